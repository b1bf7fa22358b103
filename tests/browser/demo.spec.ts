import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { parseWav } from '../support/wav-file';

// The built static demo (npm run build:demo), served from a subfolder as any static host would.
const DEMO = '/dist-demo/';

async function takeCount(page: Page): Promise<number> {
  return page.locator('#takes > li').count();
}

/** Records for about `ms` with the keyboard, as a person would; returns when the new take is listed. */
async function recordTake(page: Page, ms: number): Promise<void> {
  const before = await takeCount(page);
  await page.keyboard.press('r');
  await expect(page.locator('#status')).toHaveText('Recording…');
  await page.waitForTimeout(ms);
  await page.keyboard.press('r');
  await expect(page.locator('#takes > li')).toHaveCount(before + 1);
}

/** The newest take's facts, its bytes as downloaded, and its bytes as the page holds them. */
async function newestTake(page: Page) {
  const item = page.locator('#takes > li').first();
  const meta = (await item.locator('.meta').textContent())!;
  const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('link', { name: 'Download' }).click()]);
  const downloaded = readFileSync((await download.path())!);
  const held = Buffer.from(
    await item.locator('a').evaluate(async (a: HTMLAnchorElement) => Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer()))),
  );
  return { meta, name: download.suggestedFilename(), downloaded, held, seconds: Number(/ (\d+\.\d+) s /.exec(meta)![1]) };
}

/** Plays the newest take and reports whether its time advanced. */
async function plays(page: Page): Promise<boolean> {
  return page.locator('#takes > li audio').first().evaluate(async (audio: HTMLAudioElement) => {
    await audio.play();
    await new Promise((r) => setTimeout(r, 400));
    audio.pause();
    return audio.currentTime > 0.2;
  });
}

test('demo, a person records a WAV and an MP3 take, pauses, plays and downloads them', async ({ page }, testInfo) => {
  await page.goto(DEMO);
  await expect(page.locator('#noTakes')).toBeVisible();
  await page.getByLabel('Format').selectOption('wav');

  const recording = Date.now();
  await recordTake(page, 2000);
  const wallSeconds = (Date.now() - recording) / 1000;
  const wav = await newestTake(page);
  expect(wav.name).toBe('take-1.wav');
  // At least most of the wait: an audio thread starved on a busy machine loses what it did not render (reported as a gap).
  expect(wav.seconds).toBeGreaterThan(1.5);
  // The page's clock runs late on a busy machine, never early: the take is no longer than the test's own wait.
  expect(wav.seconds).toBeLessThanOrEqual(wallSeconds + 0.05);
  expect(wav.downloaded.equals(wav.held)).toBe(true);
  const parsed = parseWav(wav.downloaded);
  expect(Math.abs(dominantFrequency(parsed.samples[0]!, parsed.sampleRate) - 440)).toBeLessThan(5);
  expect(await plays(page)).toBe(true);
  await expect(page.locator('#status')).toHaveText(/Saved a \d+\.\d s wav take\./);
  const said = Number(/Saved a (\d+\.\d) s/.exec((await page.locator('#status').textContent())!)![1]);
  expect(Math.abs(said - wav.seconds)).toBeLessThanOrEqual(0.055 + 1e-9); // the take's length (to 1 decimal; the list says it to 2)

  // MP3, with a pause in the middle: the timer holds still while paused.
  await page.getByLabel('Format').selectOption('mp3');
  const mp3Started = Date.now();
  await page.keyboard.press('r');
  await expect(page.locator('#status')).toHaveText('Recording…');
  await page.waitForTimeout(1000);
  await page.keyboard.press('p');
  await expect(page.locator('#status')).toHaveText('Paused.');
  // The timer redraws every 100 ms from the last level report: let it settle, then it must hold still.
  await page.waitForTimeout(300);
  const pausedAt = await page.locator('#elapsed').textContent();
  await page.waitForTimeout(700);
  expect(await page.locator('#elapsed').textContent()).toBe(pausedAt);
  await page.keyboard.press('p');
  await expect(page.locator('#status')).toHaveText('Recording…');
  await page.waitForTimeout(1000);
  await expect(page.locator('#elapsed')).not.toHaveText(pausedAt!);
  await page.keyboard.press('r');
  await expect(page.locator('#takes > li')).toHaveCount(2);
  const mp3WallSeconds = (Date.now() - mp3Started) / 1000;
  const mp3 = await newestTake(page);
  expect(mp3.name).toBe('take-2.mp3');
  expect(mp3.meta).toContain('audio/mpeg');
  expect(mp3.seconds).toBeGreaterThan(1.5);
  // The pause (1 s of the test's waiting) is not in it: allow its two hops to the audio thread to differ by 0.4 s;
  // a take with the pause in it would be the whole wait less the start-up, far above this.
  expect(mp3.seconds).toBeLessThan(mp3WallSeconds - 0.6);
  expect(mp3.downloaded.equals(mp3.held)).toBe(true);
  expect(await plays(page)).toBe(true);

  await testInfo.attach('demo-with-two-takes', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('demo, every control has a label and state changes are announced', async ({ page }) => {
  await page.goto(DEMO);
  for (const name of ['Format', 'Bit rate', 'Sample rate', 'Channels', 'Input', 'Time limit (s)', 'Echo cancellation', 'Noise suppression', 'Auto gain', 'Detect speech', 'Start on speech', 'Remove noise', 'Level speech', 'Keep the unprocessed take', 'Stop after silence (ms)', 'Pre-roll (ms)']) {
    await expect(page.getByLabel(name, { exact: false }).first()).toBeVisible();
  }
  await expect(page.locator('#status')).toHaveAttribute('aria-live', 'polite');
  await page.getByRole('button', { name: /Record/ }).focus();
  const outline = await page.getByRole('button', { name: /Record/ }).evaluate((b) => getComputedStyle(b).outlineStyle);
  expect(outline).not.toBe('none');
});

test('demo/cdn.html records and plays through the script-tag build only', async ({ page }) => {
  await page.goto(`${DEMO}demo/cdn.html`);
  expect(await page.evaluate(() => Object.keys((window as unknown as { Tapedeck: object }).Tapedeck))).toContain('AudioRecorder');
  await page.getByRole('button', { name: /Record/ }).click();
  await expect(page.locator('#status')).toHaveText('Recording…');
  await page.waitForTimeout(1200);
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page.locator('#status')).toHaveText(/Recorded \d+\.\d s\./);
  const bytes = Buffer.from(
    await page.locator('#player').evaluate(async (audio: HTMLAudioElement) => {
      await audio.play();
      return Array.from(new Uint8Array(await (await fetch(audio.src)).arrayBuffer()));
    }),
  );
  const wav = parseWav(bytes);
  expect(wav.channels).toBe(1);
  expect(Math.abs(dominantFrequency(wav.samples[0]!, wav.sampleRate) - 440)).toBeLessThan(5);
});

test('demo, the Voice panel: a denoised take with speech detection lists its unprocessed twin, both playable, both the take\'s length', async ({ page }) => {
  await page.goto(DEMO);
  await page.getByLabel('Format').selectOption('wav');
  await page.getByLabel('Channels').selectOption('1');
  await page.getByLabel('Detect speech').check();
  await page.getByLabel('Remove noise').check();
  await page.getByLabel('Keep the unprocessed take').check();
  await expect(page.locator('#speaking')).toHaveText('—');
  await page.locator('h1').click(); // the keys work outside the form's fields
  await recordTake(page, 1500);
  const item = page.locator('#takes > li').first();
  const audios = item.locator('audio');
  await expect(audios).toHaveCount(2);
  await expect(item.getByText('Before (unprocessed):')).toBeVisible();
  const lengths = await audios.evaluateAll(async (elements: HTMLAudioElement[]) =>
    Promise.all(
      elements.map(async (audio) => {
        const bytes = await (await fetch(audio.src)).arrayBuffer();
        return (await new OfflineAudioContext(1, 1, 44100).decodeAudioData(bytes)).duration;
      }),
    ),
  );
  // Both recorders took the same microphone for the same time: the twin starts a moment after and stops a moment after.
  expect(lengths[0]).toBeGreaterThan(1.1);
  expect(Math.abs(lengths[0]! - lengths[1]!)).toBeLessThan(0.5);
  expect(await plays(page)).toBe(true);
});
