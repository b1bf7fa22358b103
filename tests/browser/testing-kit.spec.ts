import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { findChromium, HEADLESS_ARGS } from '../../scripts/chromium.mjs';
import { createRecorder, expectNoUnreportedHole, expectOnAudioClock, openHarness, readRecording, recordFor, type HarnessWindow } from './helpers';

const PAGE_HELPERS = fileURLToPath(new URL('../../dist/testing-page.iife.js', import.meta.url));

interface KitWindow {
  TapedeckTesting: typeof import('../../src/testing/page');
}

test('testing kit, analyzeRecording finds the 440 Hz fake microphone in a take', async ({ page }) => {
  await openHarness(page);
  await page.addScriptTag({ path: PAGE_HELPERS });
  await createRecorder(page, { channels: 1, sampleRate: 22050 });
  const { clock } = await recordFor(page, 1000);
  const analysis = await page.evaluate(() => {
    const w = window as unknown as HarnessWindow & KitWindow;
    return w.TapedeckTesting.analyzeRecording(w.recorder.getTemporaryContent()!);
  });
  expect(analysis).toMatchObject({ channels: 1, sampleRate: 22050 });
  expect(Math.abs(analysis.dominantFrequency - 440)).toBeLessThan(5);
  expectOnAudioClock(analysis.durationMs, clock);
  expect(analysis.rms).toBeGreaterThan(0.3); // 0.5-amplitude sine: 0.354
  expect(analysis.peak).toBeGreaterThan(0.45);
  // Quirk #7: at most one dropped 10 ms device buffer, unless the take reported more where the silence is. From
  // 50 ms in, as analyzeRecording's longestSilenceMs: a freshly opened device's first buffers may be silence (CI
  // once saw 20 ms at 0.0 ms), which is the device warming up, not a hole in the take.
  const rec = await readRecording(page);
  expectNoUnreportedHole(rec, Math.round(0.0101 * 22050), Math.round(0.05 * 22050));
  if (rec.gaps.length === 0) expect(analysis.longestSilenceMs).toBeLessThanOrEqual(10.1);
});

test('testing kit, installFakeMicrophone feeds a tone in a browser started without fake-device flags', async () => {
  // Not the suite's browser: no --use-fake-device-for-media-stream, so getUserMedia has no device of its own.
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: findChromium()?.executablePath, args: HEADLESS_ARGS });
  try {
    const page = await browser.newPage({ baseURL: 'http://127.0.0.1:4317' });
    await page.addInitScript({ path: PAGE_HELPERS });
    await page.addInitScript(() => (window as unknown as KitWindow).TapedeckTesting.installFakeMicrophone({ frequency: 660, amplitude: 0.4 }));
    await openHarness(page);
    await createRecorder(page, { channels: 1, sampleRate: 16000 });
    await recordFor(page, 1000);
    const out = await page.evaluate(async () => {
      const w = window as unknown as HarnessWindow & KitWindow;
      const devices = await navigator.mediaDevices.enumerateDevices();
      return { analysis: await w.TapedeckTesting.analyzeRecording(w.recorder.getTemporaryContent()!), inputs: devices.filter((d) => d.kind === 'audioinput').map((d) => d.label) };
    });
    expect(Math.abs(out.analysis.dominantFrequency - 660)).toBeLessThan(5);
    expect(out.analysis.peak).toBeGreaterThan(0.35);
    expect(out.analysis.peak).toBeLessThan(0.45);
    expect(out.inputs).toEqual(['tapedeck fake microphone']);
  } finally {
    await browser.close();
  }
});
