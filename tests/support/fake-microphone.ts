// The fake microphone's input for the browser tests, and the Chromium flags that feed it: the testing kit's own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fakeMicrophoneArgs as kitArgs, writeToneWav } from '../../src/testing/node';
import { QUIET_PHRASES_FILE, writeSpeechFixtures } from './speech-fixtures';

/** What the fake microphone plays (looped): a 440 Hz sine, amplitude 0.5, 48 kHz mono, 1 s (a whole number of cycles). */
export const FAKE_MIC_TONE = { frequency: 440, amplitude: 0.5, sampleRate: 48000, seconds: 1 };

/** A 1 kHz tone for media-element tests: amplitude 0.4, 48 kHz mono, 1 s (loops seamlessly). */
export const ELEMENT_TONE = { frequency: 1000, amplitude: 0.4, sampleRate: 48000, seconds: 1 };

/** Writes the media files the browser tests serve (under tests/.generated/). */
export function writeMediaFixtures(folder: string): void {
  writeToneWav({ path: `${folder}/tone-1000.wav`, ...ELEMENT_TONE });
  // Speech (espeak-ng: 22.05 kHz mono, ~4 s, with the pauses between its sentences).
  const speech = `${folder}/${SPEECH_FILE}`;
  if (!existsSync(speech) && existsSync('/usr/bin/espeak-ng')) {
    execFileSync('espeak-ng', ['-w', speech, '-s', '160', 'The quick brown fox jumps over the lazy dog. Then it sleeps. A voice note, recorded in the page.']);
  }
  if (!existsSync(`${folder}/${QUIET_PHRASES_FILE}`)) writeSpeechFixtures(folder); // the last it writes
}

/** The speech fixture (under tests/.generated/), for tests of what is done to a voice. */
export const SPEECH_FILE = 'speech.wav';

/**
 * Writes the fake microphone's WAV to `path` and returns the Chromium flags that use it. Permission is not
 * granted by a flag: each test context grants it (or not, for the permission-denied test).
 */
export function fakeMicrophoneArgs(path: string): string[] {
  return kitArgs({ file: writeToneWav({ path, ...FAKE_MIC_TONE }), autoGrant: false });
}
