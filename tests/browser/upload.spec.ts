import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { startTusServer } from '../support/tus-server';
import { createRecorder, expectOnAudioClock, ffprobe, openHarness, readRecording, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** Records `ms` with `window.recorder`; returns what the upload reported. */
async function recordUploading(page: Page, ms: number) {
  return page.evaluate(async (ms) => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const progress: Array<{ bytesCommitted: number; atMs: number }> = [];
    const errors: string[] = [];
    recorder.on('uploadprogress', ({ bytesCommitted }) => progress.push({ bytesCommitted, atMs: performance.now() }));
    recorder.on('uploaderror', (error) => errors.push(error.message));
    const called = audioClock.now();
    await recorder.startRecording();
    const started = audioClock.now();
    await audioClock.wait(ms);
    const stopping = audioClock.now();
    const stopAt = performance.now();
    await recorder.stopRecording();
    const stopMs = performance.now() - stopAt;
    const committedWhenStopped = Math.max(0, ...progress.map((p) => p.bytesCommitted));
    const clock = { minMs: stopping - started, maxMs: audioClock.now() - called };
    const url = await recorder.uploadDone!;
    const committedBeforeStop = Math.max(0, ...progress.filter((p) => p.atMs < stopAt).map((p) => p.bytesCommitted));
    const commits = progress.filter((p, i) => i === 0 || p.bytesCommitted > progress[i - 1]!.bytesCommitted).map((p) => p.atMs);
    const longestWaitMs = Math.max(0, ...commits.slice(1).map((at, i) => at - commits[i]!));
    return { url, stopMs, committedWhenStopped, committedBeforeStop, errors, clock, longestWaitMs };
  }, ms);
}

for (const encoder of ['wav', 'mp3'] as const) {
  test(`upload, a 5 s ${encoder} take streams to a tus server as it records; the stored file is the Recording's bytes`, async ({ page }) => {
    // Each PATCH answered 300 ms late: the last one is still on its way when stopRecording() resolves.
    const tus = await startTusServer({ patchDelayMs: 300 });
    // MP3 at 128 kb/s makes 16 kB a second: smaller requests than the default 64 KiB, so that some arrive mid-take.
    await createRecorder(page, { encoder, channels: 1, upload: { endpoint: tus.endpoint, chunkSizeBytes: encoder === 'mp3' ? 16_384 : undefined } });
    const out = await recordUploading(page, 5000);
    expect(out.errors).toEqual([]);
    expect(out.committedBeforeStop).toBeGreaterThan(encoder === 'wav' ? 200_000 : 20_000); // sent while recording
    const rec = await readRecording(page);
    expect(out.committedWhenStopped).toBeLessThan(rec.bytes.length); // stopRecording() resolved before the server had it all
    expect(tus.stored(out.url).equals(rec.bytes)).toBe(true);
    // Append-only, so still a file that plays: its duration and its tone.
    expectOnAudioClock(rec.durationMs, out.clock);
    expect(Math.abs(rec.decoded!.length / rec.decoded!.sampleRate - rec.durationMs / 1000)).toBeLessThan(encoder === 'mp3' ? 0.08 : 0.005);
    expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, rec.decoded!.sampleRate) - 440)).toBeLessThan(5);
    const probe = ffprobe(tus.stored(out.url), encoder);
    if (probe) {
      expect(probe.decodeErrors).toBe('');
      expect(Math.abs(probe.durationS * 1000 - rec.durationMs)).toBeLessThan(encoder === 'mp3' ? 80 : 5);
    }
    await tus.stop();
  });
}

test('upload, the server down for 2 s mid-take: the upload resumes, and the stored file still equals the Recording', async ({ page }) => {
  const tus = await startTusServer();
  await createRecorder(page, { encoder: 'wav', channels: 1, upload: { endpoint: tus.endpoint, retryDelaysMs: [0, 250, 500, 500, 500, 500, 500, 500, 500, 500, 500] } });
  const outage = (async () => {
    // Down once the upload is under way (a first PATCH answered), however long the start took.
    await expect.poll(() => tus.patches(), { timeout: 20_000, intervals: [50] }).toBeGreaterThan(0);
    await tus.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await tus.restart();
  })();
  const out = await recordUploading(page, 5000);
  await outage;
  expect(out.errors).toEqual([]);
  // The outage was felt: no byte was confirmed for over 1.5 s (a request every ~0.75 s otherwise), then it went on.
  expect(out.longestWaitMs).toBeGreaterThan(1500);
  const rec = await readRecording(page);
  const stored = tus.stored(out.url);
  expect(stored.length).toBe(rec.bytes.length); // nothing lost, nothing twice
  expect(stored.equals(rec.bytes)).toBe(true);
  await tus.stop();
});

test('upload, a server that refuses (HTTP 403) gives uploaderror with the status; the recording is unaffected', async ({ page }) => {
  const refusing = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', '*');
    response.setHeader('access-control-allow-methods', 'POST, PATCH, HEAD, OPTIONS');
    response.statusCode = request.method === 'OPTIONS' ? 204 : 403;
    response.end();
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/files/`;
  await createRecorder(page, { encoder: 'wav', channels: 1, upload: { endpoint } });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const errors: Array<{ code: string; message: string; status: unknown }> = [];
    recorder.on('uploaderror', (error) => errors.push({ code: error.code, message: error.message, status: (error.cause as { status?: number }).status }));
    await recorder.startRecording();
    await audioClock.wait(1500);
    const url = await recorder.stopRecording();
    const done = await recorder.uploadDone!.then(() => 'uploaded', (e: { code: string }) => e.code);
    return { url, errors, done, state: recorder.state };
  });
  refusing.close();
  expect(out.done).toBe('upload-failed');
  expect(out.errors).toHaveLength(1);
  expect(out.errors[0]).toMatchObject({ code: 'upload-failed', status: 403 });
  expect(out.errors[0]!.message).toMatch(/HTTP 403/);
  expect(out.url).toMatch(/^blob:/);
  const rec = await readRecording(page);
  expect(rec.durationMs).toBeGreaterThan(1400);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});

test('upload + persist opfs: the page crashes mid-take; recovered in a new page, the upload finishes and equals the recovered file', async ({ context }) => {
  const tus = await startTusServer();
  const page = await context.newPage();
  await openHarness(page);
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs', upload: { endpoint: tus.endpoint, chunkSizeBytes: 16_384 } } as never);
  const committed = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    let committed = 0;
    recorder.on('uploadprogress', ({ bytesCommitted }) => (committed = bytesCommitted));
    await recorder.startRecording();
    await audioClock.wait(2500);
    return committed;
  });
  expect(committed).toBeGreaterThan(50_000); // part of the take is on the server
  const crashed = page.waitForEvent('crash');
  void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
  await crashed;

  const again = await context.newPage();
  await openHarness(again);
  const out = await again.evaluate(async (endpoint) => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const [take] = await Tapedeck.AudioRecorder.recover();
    const url = await take!.resumeUpload({ endpoint });
    const bytes = new Uint8Array(await take!.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const decoded = await new OfflineAudioContext(1, 1, take!.sampleRate).decodeAudioData(bytes.buffer.slice(0));
    await Tapedeck.AudioRecorder.discardRecovered(take!.id);
    return { url, bytes: btoa(text), durationMs: take!.durationMs, decodedMs: decoded.duration * 1000 };
  }, tus.endpoint);
  const recovered = Buffer.from(out.bytes, 'base64');
  expect(recovered.length).toBeGreaterThan(committed);
  expect(tus.stored(out.url).equals(recovered)).toBe(true);
  expect(out.durationMs).toBeGreaterThan(2000);
  expect(Math.abs(out.decodedMs - out.durationMs)).toBeLessThan(5);
  await tus.stop();
});
