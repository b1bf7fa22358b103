// Voice activity (options.vad) in the browser: espeak-ng phrases 1.5 s apart, played by an <audio> element, recorded
// with the detector on. The true phrase spans are read from the recorded file itself (the fixture's silences are
// exact zeros), so the element's start latency does not matter.
import { expect, test } from '@playwright/test';
import { PHRASES_FILE, ROOM_NOISE_FILE } from '../support/speech-fixtures';
import { soundSpans } from '../support/signal';
import { createRecorder, openHarness, readRecording, recordFor, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('vad, autoStop after 1000 ms: the first phrase is found within ±150 ms and the take ends 1000 ± 200 ms after it, by itself', async ({ page }) => {
  await createRecorder(page, { channels: 1, vad: { autoStop: { afterSilenceMs: 1000 } } });
  const result = await page.evaluate(async (file) => {
    const w = window as unknown as HarnessWindow;
    const events: string[] = [];
    w.recorder.on('speechstart', ({ atMs }) => events.push(`start ${atMs}`));
    w.recorder.on('speechend', ({ startMs, endMs }) => events.push(`end ${startMs}-${endMs}`));
    const limit = new Promise<string>((resolve) => w.recorder.on('limitreached', ({ reason }) => resolve(reason)));
    const audio = new Audio(`/tests/.generated/${file}`);
    await audio.play();
    await w.recorder.startRecording({ source: audio });
    const reason = await Promise.race([limit, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 20_000))]);
    audio.pause();
    return { reason, events, segments: w.recorder.getTemporaryContent()?.speechSegments ?? [] };
  }, PHRASES_FILE);
  expect(result.reason).toBe('silence');
  const rec = await readRecording(page);
  const rate = rec.decoded!.sampleRate;
  const truth = soundSpans(rec.decoded!.data[0]!, rate);
  expect(truth.length).toBe(1); // the take ended before the second phrase
  expect(result.segments.length).toBe(1);
  const [segment] = result.segments;
  expect(Math.abs(segment!.startMs - truth[0]!.startMs)).toBeLessThanOrEqual(150);
  expect(Math.abs(segment!.endMs - truth[0]!.endMs)).toBeLessThanOrEqual(150);
  const lengthMs = (rec.decoded!.data[0]!.length * 1000) / rate;
  expect(Math.abs(lengthMs - truth[0]!.endMs - 1000)).toBeLessThanOrEqual(200);
  // Cut there, or later by what the detector had not judged yet (its partial 30 ms frame, and the chunk in hand: 2048 frames).
  const late = lengthMs - (segment!.endMs + 1000);
  expect(late).toBeGreaterThanOrEqual(-1);
  expect(late).toBeLessThanOrEqual(80);
  expect(result.events).toEqual([`start ${segment!.startMs}`, `end ${segment!.startMs}-${segment!.endMs}`]);
});

/** Plays `file` (under tests/.generated/) through an <audio> element into a take with `vad`, to its end; the take's events and segments. */
async function recordFileWithVad(page: import('@playwright/test').Page, file: string) {
  return page.evaluate(async (file) => {
    const w = window as unknown as HarnessWindow;
    const starts: number[] = [];
    w.recorder.on('speechstart', ({ atMs }) => starts.push(atMs));
    const audio = new Audio(`/tests/.generated/${file}`);
    const ended = new Promise((resolve) => audio.addEventListener('ended', resolve, { once: true }));
    await audio.play();
    await w.recorder.startRecording({ source: audio });
    await ended;
    await w.recorder.stopRecording();
    return { starts, segments: w.recorder.getTemporaryContent()!.speechSegments };
  }, file);
}

test('vad, three phrases 1.5 s apart: three segments, each within ±150 ms of the phrase in the file', async ({ page }) => {
  test.setTimeout(60_000);
  await createRecorder(page, { channels: 1, vad: true });
  const result = await recordFileWithVad(page, PHRASES_FILE);
  const rec = await readRecording(page);
  const truth = soundSpans(rec.decoded!.data[0]!, rec.decoded!.sampleRate);
  expect(truth.length).toBe(3);
  expect(result.segments.length, JSON.stringify(result.segments)).toBe(3);
  result.segments.forEach((segment, i) => {
    expect(Math.abs(segment.startMs - truth[i]!.startMs), `phrase ${i} start`).toBeLessThanOrEqual(150);
    expect(Math.abs(segment.endMs - truth[i]!.endMs), `phrase ${i} end`).toBeLessThanOrEqual(150);
  });
  expect(result.starts).toEqual(result.segments.map((segment) => segment.startMs));
});

test('vad, 5 s of a quiet room (pink noise and hum), no speech: no segment and no speechstart', async ({ page }) => {
  await createRecorder(page, { channels: 1, vad: true });
  const result = await recordFileWithVad(page, ROOM_NOISE_FILE);
  const rec = await readRecording(page);
  // The room was recorded (it is not a silent take that trivially has no speech).
  expect(rec.decoded!.data[0]!.length / rec.decoded!.sampleRate).toBeGreaterThan(4.5);
  const rms = Math.sqrt(rec.decoded!.data[0]!.reduce((sum, s) => sum + s * s, 0) / rec.decoded!.data[0]!.length);
  expect(rms).toBeGreaterThan(0.003);
  expect(result.segments).toEqual([]);
  expect(result.starts).toEqual([]);
});

test('vad, off by default costs nothing: a take without it requests neither vad.js nor fvad.wasm; a take with it requests both', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const vadFiles = () => requested.filter((path) => /\/codecs\/(vad\.js|fvad\.wasm)$/.test(path)).map((path) => path.split('/').at(-1)).sort();
  await createRecorder(page, { channels: 1 });
  await recordFor(page, 300);
  expect(requested.some((path) => path.endsWith('/encoder-worker.js'))).toBe(true); // the take ran, and its requests are seen
  expect(vadFiles()).toEqual([]);
  await createRecorder(page, { channels: 1, vad: true });
  await recordFor(page, 300);
  expect(vadFiles()).toEqual(['fvad.wasm', 'vad.js']);
});
