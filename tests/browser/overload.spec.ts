import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { createRecorder, openHarness, readRecording, recordFor, type HarnessWindow } from './helpers';

test('a stalled encoder worker loses frames, and the recorder says so instead of losing them silently', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page, { workerUrl: '/tests/browser/pages/stalling-worker.js' });
  const { clock } = await recordFor(page, 3500);
  const rec = await readRecording(page);
  const events = await page.evaluate(() => (window as unknown as HarnessWindow).events);
  const lost = events.filter((e) => e.type === 'error' && e.code === 'encoder-failed');
  expect(lost).toHaveLength(1);
  // The pool holds ~1.5 s at 44.1 kHz, the stall lasts 2.5 s: about a second is missing, and no more.
  // Missing: the audio clock's time less what the file holds (the window's width is the start and stop hops).
  const missingMs = clock.minMs - rec.durationMs;
  expect(missingMs).toBeGreaterThan(500);
  expect(missingMs).toBeLessThan(1500);
  // What was kept is still the tone, and a valid file.
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});
