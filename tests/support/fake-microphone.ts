// The fake microphone's input for the browser tests, and the Chromium flags that feed it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toneWav } from './wav-file';

/** What the fake microphone plays (looped): a 440 Hz sine, amplitude 0.5, 48 kHz mono, 1 s (a whole number of cycles). */
export const FAKE_MIC_TONE = { frequency: 440, amplitude: 0.5, sampleRate: 48000, seconds: 1 };

/** A 1 kHz tone for media-element tests: amplitude 0.4, 48 kHz mono, 1 s (loops seamlessly). */
export const ELEMENT_TONE = { frequency: 1000, amplitude: 0.4, sampleRate: 48000, seconds: 1 };

/** Writes the media files the browser tests serve (under tests/.generated/). */
export function writeMediaFixtures(folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}/tone-1000.wav`, toneWav(ELEMENT_TONE));
}

/** Writes the fake microphone's WAV to `path` and returns the Chromium flags that use it. */
export function fakeMicrophoneArgs(path: string): string[] {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, toneWav(FAKE_MIC_TONE));
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${path}`];
}
