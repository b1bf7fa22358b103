import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { createRecorder, expectOnAudioClock, openHarness, readRecording, recordFor, rejectionOf } from './helpers';

test('script-tag build, window.Tapedeck records a WAV of the 440 Hz tone, loading its files from beside the script', async ({ page }) => {
  await openHarness(page, '/tests/browser/pages/script-tag.html');
  await createRecorder(page, { channels: 1, sampleRate: 22050 });
  const { clock } = await recordFor(page, 1000);
  const rec = await readRecording(page);
  expect(rec).toMatchObject({ mimeType: 'audio/wav', sampleRate: 22050, channels: 1 });
  expectOnAudioClock(rec.durationMs, clock);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 22050) - 440)).toBeLessThan(5);
  // It found the worklet and the worker beside its own <script src> (through same-origin blob: bootstraps).
  expect(await page.evaluate(() => typeof (window as unknown as { Tapedeck: object }).Tapedeck)).toBe('object');
});

test('ES module build, workletUrl and workerUrl load the hosted files', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page, { workletUrl: '/dist/runtime/capture-worklet.js', workerUrl: '/dist/runtime/encoder-worker.js', encoder: 'pcm16', channels: 1, sampleRate: 16000 });
  const { clock } = await recordFor(page, 800);
  const rec = await readRecording(page);
  expect(rec.mimeType).toBe('audio/pcm;rate=16000;channels=1');
  // Raw PCM16: two bytes a frame, so the size says the duration.
  expect(rec.size).toBe(Math.round((rec.durationMs / 1000) * 16000) * 2);
  expectOnAudioClock(rec.durationMs, clock);
  const samples = new Float32Array(rec.size / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = rec.bytes.readInt16LE(i * 2) / 32768;
  expect(Math.abs(dominantFrequency(samples, 16000) - 440)).toBeLessThan(5);
});

test('a worklet URL that cannot load fails fast with worklet-load-failed, naming script-src and the options', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page, { workletUrl: '/nowhere/capture-worklet.js' });
  const started = Date.now();
  const error = await rejectionOf(page, 'startRecording');
  expect(Date.now() - started).toBeLessThan(2000);
  expect(error).toMatchObject({ code: 'worklet-load-failed' });
  expect(error!.message).toMatch(/script-src.*workletUrl and workerUrl/);
  // The microphone it had opened is released again.
  const tracks = await page.evaluate(() => (window as unknown as { gum: { streams: MediaStream[] } }).gum.streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
  expect(tracks).toEqual(['ended']);
});
