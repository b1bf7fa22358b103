// Pre-roll (options.preRollMs) and the voice activity's startOnSpeech: an armed take keeps the last of its input on
// the audio thread, and the file begins before the moment it was resumed — by hand, or where the detector heard
// speech begin. The input is espeak-ng's phrases (exact silences between them); the first phrase is found in the file
// by its envelope.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PHRASES_FILE } from '../support/speech-fixtures';
import { envelope, findEnvelope, soundSpans } from '../support/signal';
import { parseWav } from '../support/wav-file';
import { createRecorder, openHarness, readRecording, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** The main thread sees the audio clock advance in steps of a device buffer (up to ~23 ms here) and the envelope's step is 10 ms. */
const CLOCK_STEP_MS = 35;

/** The fixture's first phrase: where it is in the fixture (ms) and its envelope with 100 ms of silence either side. */
function firstPhrase() {
  const { samples, sampleRate } = parseWav(new Uint8Array(readFileSync(`tests/.generated/${PHRASES_FILE}`)));
  const [phrase] = soundSpans(samples[0]!, sampleRate);
  const from = Math.round(((phrase!.startMs - 100) * sampleRate) / 1000);
  const to = Math.round(((phrase!.endMs + 100) * sampleRate) / 1000);
  return { ...phrase!, envelope: envelope(samples[0]!.subarray(from, to), sampleRate) };
}

/** The recorded file's envelope and where the first phrase is in it (ms of its onset, and how well it matches). */
async function phraseInFile(page: Page, phrase: ReturnType<typeof firstPhrase>) {
  const rec = await readRecording(page);
  const found = findEnvelope(envelope(rec.decoded!.data[0]!, rec.decoded!.sampleRate), phrase.envelope);
  return { onsetMs: found.atMs + 100, correlation: found.correlation, rec };
}

test('preRollMs 1000: a take resumed 300 ms into a phrase holds the whole phrase, from its first syllable', async ({ page }) => {
  const phrase = firstPhrase();
  await createRecorder(page, { channels: 1, preRollMs: 1000 });
  // The fixture plays from an AudioBufferSourceNode started at a known time of the audio clock, so that where the
  // input is at the resume is known to the quantum (an <audio> element's currentTime is ~100 ms off what it feeds).
  const resume = await page.evaluate(
    async ({ file, startMs, endMs }) => {
      const w = window as unknown as HarnessWindow;
      const context = w.Tapedeck.AudioSession.instance().context;
      const buffer = await context.decodeAudioData(await (await fetch(`/tests/.generated/${file}`)).arrayBuffer());
      const player = new AudioBufferSourceNode(context, { buffer });
      await w.recorder.startRecording({ source: player, paused: true });
      const playedAt = context.currentTime + 0.1;
      player.start(playedAt);
      const inputMs = () => (context.currentTime - playedAt) * 1000;
      const until = async (ms: number) => {
        while (inputMs() < ms) await new Promise((resolve) => setTimeout(resolve, 5));
      };
      await until(startMs + 300);
      const before = inputMs();
      await w.recorder.resume(); // resolves once the audio thread has resumed
      const after = inputMs();
      await until(endMs + 300);
      await w.recorder.stopRecording();
      player.stop();
      return { before, after };
    },
    { file: PHRASES_FILE, startMs: phrase.startMs, endMs: phrase.endMs },
  );
  const { onsetMs, correlation } = await phraseInFile(page, phrase);
  // The phrase had been playing (resume − its start) when the take resumed, so its onset is that far inside the
  // 1000 ms of pre-roll; the resume fell between the two clock readings, each good to one step of the clock.
  const [earliest, latest] = [1000 - (resume.after - phrase.startMs), 1000 - (resume.before - phrase.startMs)];
  expect(onsetMs, `onset ${onsetMs} ms, the resume allows ${earliest.toFixed(0)}–${latest.toFixed(0)}`).toBeGreaterThanOrEqual(earliest - CLOCK_STEP_MS);
  expect(onsetMs, `onset ${onsetMs} ms, the resume allows ${earliest.toFixed(0)}–${latest.toFixed(0)}`).toBeLessThanOrEqual(latest + CLOCK_STEP_MS);
  expect(onsetMs).toBeGreaterThan(300); // the first syllable is in the file, after some of the silence before it
  expect(correlation, 'the whole phrase, envelope against the source').toBeGreaterThanOrEqual(0.95);
});

test('vad startOnSpeech with preRollMs 500: the armed recorder begins by itself, the file starts 500 ms before the speech', async ({ page }) => {
  const phrase = firstPhrase();
  await createRecorder(page, { channels: 1, preRollMs: 500, vad: { startOnSpeech: true } });
  const result = await page.evaluate(
    async ({ file, endMs }) => {
      const w = window as unknown as HarnessWindow;
      const states: string[] = [];
      w.recorder.on('statechange', ({ state }) => states.push(state));
      const began = new Promise<void>((resolve) => w.recorder.on('statechange', ({ state }) => state === 'recording' && resolve()));
      // Played from the audio clock once the take is armed, so the pre-roll is full before the speech, however long
      // the start took (the fixture's silence before the phrase is longer than the pre-roll).
      const context = w.Tapedeck.AudioSession.instance().context;
      const buffer = await context.decodeAudioData(await (await fetch(`/tests/.generated/${file}`)).arrayBuffer());
      const player = new AudioBufferSourceNode(context, { buffer });
      await w.recorder.startRecording({ source: player });
      const armedState = w.recorder.state;
      const playedAt = context.currentTime + 0.1;
      player.start(playedAt);
      await Promise.race([began, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      while ((context.currentTime - playedAt) * 1000 < endMs + 300) await new Promise((resolve) => setTimeout(resolve, 10));
      await w.recorder.stopRecording();
      player.stop();
      return { armedState, states, segments: w.recorder.getTemporaryContent()!.speechSegments };
    },
    { file: PHRASES_FILE, endMs: phrase.endMs },
  );
  expect(result.armedState).toBe('paused');
  expect(result.states).toEqual(['paused', 'recording', 'stopped']);
  const { onsetMs, correlation, rec } = await phraseInFile(page, phrase);
  // The detector finds a start within ±150 ms of the truth (vad.spec), and the file begins 500 ms before it.
  expect(Math.abs(onsetMs - 500), `onset ${onsetMs} ms`).toBeLessThanOrEqual(150);
  expect(correlation, 'the whole phrase, envelope against the source').toBeGreaterThanOrEqual(0.95);
  // Speech is told in the file's time: the detector's start is where the file began plus the pre-roll.
  expect(result.segments.length).toBeGreaterThanOrEqual(1);
  expect(result.segments[0]!.startMs).toBeCloseTo(500, -1);
  const truth = soundSpans(rec.decoded!.data[0]!, rec.decoded!.sampleRate);
  expect(Math.abs(result.segments[0]!.endMs - truth[0]!.endMs)).toBeLessThanOrEqual(150);
});
