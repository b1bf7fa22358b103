import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { parseWav } from '../support/wav-file';
import { createRecorder, expectOnAudioClock, openHarness, readRecording, recordFor, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('plugins, an encoder registered with a worker module records and round-trips', async ({ page }) => {
  const supported = await page.evaluate(() => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    Tapedeck.registerEncoder({ id: 'f32', mimeType: 'audio/x-f32le', workerModule: '/tests/browser/pages/f32-plugin.js' });
    return new Tapedeck.AudioRecorder({ encoder: 'f32' }).isSupportedEncoder('f32');
  });
  expect(supported).toBe(true);
  await createRecorder(page, { encoder: 'f32', channels: 1, sampleRate: 16000 });
  const { clock } = await recordFor(page, 1000);
  const out = await page.evaluate(async () => {
    const r = (window as unknown as HarnessWindow).recorder.getTemporaryContent()!;
    return { mimeType: r.mimeType, durationMs: r.durationMs, floats: Array.from(new Float32Array(await r.arrayBuffer())) };
  });
  expect(out.mimeType).toBe('audio/x-f32le');
  expect(out.floats.length).toBe(Math.round((out.durationMs / 1000) * 16000));
  expectOnAudioClock(out.durationMs, clock);
  expect(Math.abs(dominantFrequency(Float32Array.from(out.floats), 16000) - 440)).toBeLessThan(5);
});

test('plugins, extendable-media-recorder-wav-encoder through the adapter records a playable WAV', async ({ page }) => {
  await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const wavEncoder = (await import('/tests/.generated/emr-wav-encoder.js' as string)) as { connect(): Promise<MessagePort> };
    Tapedeck.registerEncoder(Tapedeck.fromExtendableMediaRecorder(wavEncoder, { id: 'emr-wav', mimeType: 'audio/wav' }));
  });
  await createRecorder(page, { encoder: 'emr-wav', channels: 2, sampleRate: 44100 });
  const { clock } = await recordFor(page, 1000);
  const rec = await readRecording(page);
  expect(rec.mimeType).toBe('audio/wav');
  const wav = parseWav(rec.bytes);
  expect(wav).toMatchObject({ channels: 2, sampleRate: 44100 });
  expectOnAudioClock((wav.samples[0]!.length / 44100) * 1000, clock);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});

test('plugins, registerEncoder refuses what it cannot use, with the reason', async ({ page }) => {
  const errors = await page.evaluate(() => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const attempts = [
      { id: 'wav', mimeType: 'audio/wav', workerModule: '/x.js' },
      { id: 'x', mimeType: 'nope', workerModule: '/x.js' },
      { id: 'x', mimeType: 'audio/x' },
      { id: 'has space', mimeType: 'audio/x', workerModule: '/x.js' },
    ];
    return attempts.map((plugin) => {
      try {
        Tapedeck.registerEncoder(plugin as never);
        return 'registered';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    });
  });
  expect(errors[0]).toMatch(/^invalid-option: .*built-in format/);
  expect(errors[1]).toMatch(/^invalid-option: .*mimeType/);
  expect(errors[2]).toMatch(/^invalid-option: .*exactly one of workerModule/);
  expect(errors[3]).toMatch(/^invalid-option: .*plugin\.id/);
});
