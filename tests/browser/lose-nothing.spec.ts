// Issue 15's promises, one test each: what a take writes is what the server gets, what a crash leaves is what
// recover() gives, and every teardown settles and lets go of the microphone. Each checks content (bytes, duration,
// tone), not just that a call returned.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { dominantFrequency, longestSilence } from '../support/signal';
import { startFaultProxy } from '../support/fault-proxy';
import { startStaticServer } from '../support/static-server.mjs';
import { createRecorder, expectOnAudioClock, openHarness, readRecording, type HarnessWindow } from './helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const b64 = (text: string) => Buffer.from(text, 'base64');

/** Crashes `page` (CDP Page.crash) and waits until it has. */
async function crash(context: BrowserContext, page: Page): Promise<void> {
  const crashed = page.waitForEvent('crash');
  void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
  await crashed;
}

/** A new harness page in `context` whose recover() finds what the last one left; returns it and the takes' facts. */
async function recoverIn(context: BrowserContext) {
  const page = await context.newPage();
  await openHarness(page);
  const takes = await page.evaluate(async () => {
    const { Tapedeck, base64Of } = window as unknown as HarnessWindow;
    const takes = await Tapedeck.AudioRecorder.recover();
    (window as unknown as { recovered: unknown }).recovered = takes;
    return Promise.all(takes.map(async (t) => ({ id: t.id, durationMs: t.durationMs, problem: t.problem, uploadPending: t.uploadPending, mimeType: t.mimeType, bytes: await base64Of(t.blob) })));
  });
  return { page, takes: takes.map((t) => ({ ...t, bytes: b64(t.bytes) })) };
}

/** Deletes every take recover() finds in `page`. */
async function discardAll(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const takes = await Tapedeck.AudioRecorder.recover();
    for (const take of takes) await Tapedeck.AudioRecorder.discardRecovered(take.id);
    return takes.length;
  });
}

/** Records `ms` of the audio clock with `window.recorder`; resolves after stop with the clock window and the upload's URL. */
async function take(page: Page, ms: number) {
  return page.evaluate(async (ms) => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const errors: string[] = [];
    recorder.on('uploaderror', (error) => errors.push(`${error.code}: ${error.message}`));
    const called = audioClock.now();
    await recorder.startRecording();
    const started = audioClock.now();
    await audioClock.wait(ms);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    const clock = { minMs: stopping - started, maxMs: audioClock.now() - called };
    const url = recorder.uploadDone ? await recorder.uploadDone.catch((e: Error) => `failed: ${e.message}`) : null;
    return { clock, url, errors };
  }, ms);
}

test.beforeEach(async ({ page }) => {
  await openHarness(page);
  await discardAll(page);
});

// Item 1: with persist: 'opfs', the upload and the live chunks each carry the take once.
for (const encoder of ['wav', 'mp3', 'opus', 'aac'] as const) {
  test(`lose nothing, persist opfs + upload${encoder === 'aac' ? '' : ' + timeslice'}, ${encoder}: the server's file is the Recording, and the chunks carry it once`, async ({ page }) => {
    const proxy = await startFaultProxy();
    await createRecorder(page, {
      encoder,
      channels: 1,
      sampleRate: encoder === 'opus' ? 48000 : 44100,
      persist: 'opfs',
      timesliceMs: encoder === 'aac' ? undefined : 250,
      upload: { endpoint: proxy.endpoint, chunkSizeBytes: 16_384 },
    });
    await page.evaluate(() => {
      const w = window as unknown as HarnessWindow & { chunks: Blob[] };
      w.chunks = [];
      w.recorder.on('data', ({ blob }) => w.chunks.push(blob));
    });
    const out = await take(page, 2000);
    expect(out.errors).toEqual([]);
    const rec = await readRecording(page);
    expectOnAudioClock(rec.durationMs, out.clock);
    expect(Math.abs(rec.decoded!.length / rec.decoded!.sampleRate - rec.durationMs / 1000)).toBeLessThan(0.08);
    expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, rec.decoded!.sampleRate) - 440)).toBeLessThan(5);
    expect(proxy.stored(out.url!).equals(rec.bytes)).toBe(true);
    if (encoder !== 'aac') {
      const joined = await page.evaluate(async () => {
        const w = window as unknown as HarnessWindow & { chunks: Blob[] };
        const blob = new Blob(w.chunks, { type: w.recorder.getTemporaryContent()!.mimeType });
        const decoded = await new OfflineAudioContext(1, 1, w.recorder.getTemporaryContent()!.sampleRate).decodeAudioData(await blob.arrayBuffer());
        return { bytes: await w.base64Of(blob), decodedMs: decoded.duration * 1000 };
      });
      const chunks = b64(joined.bytes);
      // Once, not twice: the same length as the file (a WebM's header says "live" instead of its duration; a WAV's
      // streaming header has open sizes), and the same audio.
      if (encoder === 'mp3') expect(chunks.equals(rec.bytes)).toBe(true);
      if (encoder === 'wav') expect(chunks.subarray(44).equals(rec.bytes.subarray(44))).toBe(true);
      expect(Math.abs(chunks.length - rec.bytes.length)).toBeLessThan(encoder === 'opus' ? 64 : 1);
      expect(Math.abs(joined.decodedMs - rec.durationMs)).toBeLessThan(encoder === 'mp3' ? 80 : 30);
    }
    await proxy.stop();
  });
}

// Item 2: an outage (offline, then the server gone) with a short retry schedule does not end the upload.
test('lose nothing, offline for 1.5 s and the server gone for 1.5 s, with only 3 retries: the upload waits, resumes, and equals the Recording', async ({ page, context }) => {
  const proxy = await startFaultProxy();
  await createRecorder(page, { encoder: 'wav', channels: 1, upload: { endpoint: proxy.endpoint, retryDelaysMs: [0, 100, 200] } });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const patches = () => proxy.seen.filter((r) => r.method === 'PATCH').length;
  const started = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const w = window as unknown as { errors: string[] };
    w.errors = [];
    recorder.on('uploaderror', (error) => w.errors.push(`${error.code}: ${error.message}`));
    const called = audioClock.now();
    await recorder.startRecording();
    return { called, started: audioClock.now() };
  });
  // The faults begin once the upload is under way (the first PATCH), however long the start took.
  await expect.poll(patches, { timeout: 15_000 }).toBeGreaterThan(0);
  await context.setOffline(true);
  await sleep(200); // a PATCH already on its way when the network went reaches the proxy meanwhile
  const patchesBefore = patches();
  await sleep(1300);
  const patchesDuring = patches() - patchesBefore;
  await context.setOffline(false);
  await sleep(600);
  await proxy.set('down');
  await sleep(1500);
  await proxy.set('pass');
  const out = await page.evaluate(async ({ called, started }) => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await audioClock.wait(500);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    const clock = { minMs: stopping - started, maxMs: audioClock.now() - called };
    const url = await recorder.uploadDone!.catch((e: Error) => `failed: ${e.message}`);
    return { clock, url, errors: (window as unknown as { errors: string[] }).errors };
  }, started);
  expect(out.errors).toEqual([]);
  expect(patchesDuring).toBe(0); // offline: nothing got through
  const rec = await readRecording(page);
  expect(proxy.stored(out.url).equals(rec.bytes)).toBe(true);
  expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1); // one upload, resumed (never a second copy)
  expectOnAudioClock(rec.durationMs, out.clock);
  await proxy.stop();
});

// The stall watch covers requests in flight only: a take whose bytes come slower than stallTimeoutMs (tus waits for
// them between PATCHes) is sent once, never by two request loops at once.
test('lose nothing, a take whose bytes come slower than stallTimeoutMs: one PATCH per offset, and the server has the Recording', async ({ page }) => {
  const proxy = await startFaultProxy();
  // 8 kHz mono WAV: 16 KB a second, so each 48 KiB chunk waits about 3 s for its bytes (the watch is 1 s).
  await createRecorder(page, { encoder: 'wav', channels: 1, sampleRate: 8000, upload: { endpoint: proxy.endpoint, chunkSizeBytes: 49_152, stallTimeoutMs: 1000 } });
  const out = await take(page, 7000);
  expect(out.errors).toEqual([]);
  const rec = await readRecording(page);
  expect(proxy.stored(out.url!).equals(rec.bytes)).toBe(true);
  const offsets = proxy.seen.filter((r) => r.method === 'PATCH').map((r) => r.headers['upload-offset']);
  expect(offsets.length).toBeGreaterThanOrEqual(3); // 0, 48 KiB, 96 KiB (and the last, with the length)
  expect(new Set(offsets).size).toBe(offsets.length);
  expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  await proxy.stop();
});

// Item 3 with a refusal: clear() of a persisted take whose upload failed leaves its files for recover(), in this tab too.
test('lose nothing, clear() of a persisted take whose upload was refused: recover() in the same tab offers it, uploadPending', async ({ page }) => {
  const proxy = await startFaultProxy();
  await proxy.set('refuse');
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs', upload: { endpoint: proxy.endpoint } });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock, base64Of, Tapedeck } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(1000);
    await recorder.stopRecording();
    const failed = await recorder.uploadDone!.then(() => 'uploaded', (e: { code: string }) => e.code);
    const bytes = await base64Of(recorder.getTemporaryContent()!.blob);
    recorder.clear();
    await new Promise((r) => setTimeout(r, 300));
    const takes = await Tapedeck.AudioRecorder.recover();
    return { failed, bytes, takes: await Promise.all(takes.map(async (t) => ({ uploadPending: t.uploadPending, bytes: await base64Of(t.blob) }))) };
  });
  expect(out.failed).toBe('upload-failed');
  expect(out.takes).toHaveLength(1);
  expect(out.takes[0]!.uploadPending).toBe(true);
  expect(b64(out.takes[0]!.bytes).equals(b64(out.bytes))).toBe(true);
  expect(await discardAll(page)).toBe(1);
  await proxy.stop();
});

// Item 3 (and 2's resumeUpload for any take): a stopped take whose upload has not finished stays on disk.
test('lose nothing, a stopped take whose upload is cut off survives dispose() and the tab closing; recover() offers it, resumeUpload() finishes it', async ({ page, context }) => {
  const proxy = await startFaultProxy();
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs', upload: { endpoint: proxy.endpoint, chunkSizeBytes: 16_384 } });
  await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(1000);
  });
  await proxy.set('down');
  const local = await page.evaluate(async () => {
    const { recorder, audioClock, base64Of } = window as unknown as HarnessWindow;
    await audioClock.wait(1000);
    await recorder.stopRecording();
    const bytes = await base64Of(recorder.getTemporaryContent()!.blob);
    recorder.dispose(); // the only complete copy is the disk's: dispose() must leave it
    await new Promise((r) => setTimeout(r, 300));
    return bytes;
  });
  await page.close();
  const { page: again, takes } = await recoverIn(context);
  expect(takes).toHaveLength(1);
  expect(takes[0]).toMatchObject({ uploadPending: true, problem: null, mimeType: 'audio/wav' });
  expect(takes[0]!.bytes.equals(b64(local))).toBe(true);
  expect(takes[0]!.durationMs).toBeGreaterThan(1900);
  await proxy.set('pass');
  const url = await again.evaluate(async (endpoint) => {
    const [take] = (window as unknown as { recovered: Array<{ id: string; resumeUpload(o: object): Promise<string> }> }).recovered;
    return take!.resumeUpload({ endpoint });
  }, proxy.endpoint);
  expect(proxy.stored(url).equals(b64(local))).toBe(true);
  expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1); // the same upload, carried on from its offset
  expect(await discardAll(again)).toBe(1);
  expect(await discardAll(again)).toBe(0);
  await proxy.stop();
});

// Item 5: an upload URL remembered in localStorage for another origin is never sent the audio (or its headers).
test('lose nothing, a poisoned localStorage entry pointing at another origin is not resumed: that server gets no request', async ({ page, context }) => {
  const proxy = await startFaultProxy();
  const evil: string[] = [];
  const attacker = createServer((request, response) => {
    evil.push(`${request.method} ${request.url}`);
    response.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' }).end();
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const evilUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/files/stolen`;
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs', upload: { endpoint: proxy.endpoint, chunkSizeBytes: 16_384, headers: { Authorization: 'Bearer s3cret' } } });
  await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(1500);
  });
  await crash(context, page);
  const poisoned = await context.newPage();
  await openHarness(poisoned);
  const entries = await poisoned.evaluate((evilUrl) => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('tus::tapedeck:'));
    for (const key of keys) localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), uploadUrl: evilUrl }));
    return keys.length;
  }, evilUrl);
  expect(entries).toBe(1); // the take's upload was remembered (under the endpoint and the take's id)
  await poisoned.close();
  const { page: again, takes } = await recoverIn(context);
  expect(takes).toHaveLength(1);
  const url = await again.evaluate(async (endpoint) => {
    const [take] = (window as unknown as { recovered: Array<{ resumeUpload(o: object): Promise<string> }> }).recovered;
    return take!.resumeUpload({ endpoint, headers: { Authorization: 'Bearer s3cret' } });
  }, proxy.endpoint);
  expect(evil).toEqual([]);
  expect(new URL(url).origin).toBe(new URL(proxy.endpoint).origin);
  expect(proxy.stored(url).equals(takes[0]!.bytes)).toBe(true);
  await discardAll(again);
  attacker.close();
  await proxy.stop();
});

// Items 6 and 2: a refusal is final and carries no secret; resumeUpload() then carries the take on.
test('lose nothing, a 403 gives uploaderror without the Authorization header anywhere in it; resumeUpload() with the recorded options then uploads the file', async ({ page }) => {
  const proxy = await startFaultProxy();
  await proxy.set('refuse');
  await createRecorder(page, { encoder: 'mp3', channels: 1, upload: { endpoint: proxy.endpoint, headers: { Authorization: 'Bearer s3cret-token' } } });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const errors: Array<{ code: string; message: string; cause: string; status: unknown }> = [];
    recorder.on('uploaderror', (error) => {
      const cause = error.cause as Record<string, unknown>;
      errors.push({ code: error.code, message: error.message, cause: `${JSON.stringify(cause)} ${String(cause)} ${Object.values(cause).map(String).join(' ')}`, status: cause.status });
    });
    await recorder.startRecording();
    await audioClock.wait(1500);
    await recorder.stopRecording();
    const failed = await recorder.uploadDone!.then(() => 'uploaded', (e: { code: string; stack?: string }) => `${e.code} ${e.stack ?? ''}`);
    return { errors, failed };
  });
  expect(out.errors).toHaveLength(1);
  expect(out.errors[0]).toMatchObject({ code: 'upload-failed', status: 403 });
  for (const text of [out.errors[0]!.message, out.errors[0]!.cause, out.failed]) expect(text).not.toContain('s3cret');
  expect(out.failed).toMatch(/^upload-failed/);
  await proxy.set('pass');
  const url = await page.evaluate(() => (window as unknown as HarnessWindow).recorder.getTemporaryContent()!.resumeUpload());
  const rec = await readRecording(page);
  expect(proxy.stored(url).equals(rec.bytes)).toBe(true);
  expect(rec.durationMs).toBeGreaterThan(1400);
  // The header was sent (to the server it is meant for).
  expect(proxy.seen.some((r) => r.method === 'PATCH' && r.headers.authorization === 'Bearer s3cret-token')).toBe(true);
  await proxy.stop();
});

// Item 7: every teardown settles, within a bound, and lets go of every microphone it opened.
test('lose nothing, dispose() during stopRecording(), startRecording() or setInputDevice() settles every promise and leaves no live track', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck, gum, audioClock } = window as unknown as HarnessWindow;
    const outcome = (p: Promise<unknown>) =>
      Promise.race([p.then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e)), new Promise((r) => setTimeout(() => r('pending'), 12_000))]);
    const results: Record<string, unknown> = {};
    for (const delayMs of [0, 15, 60]) {
      const stopping = new Tapedeck.AudioRecorder({ channels: 1 });
      await stopping.startRecording();
      await audioClock.wait(300);
      const stop = stopping.stopRecording();
      await new Promise((r) => setTimeout(r, delayMs));
      stopping.dispose();
      results[`stop+${delayMs}`] = await outcome(stop);

      const starting = new Tapedeck.AudioRecorder({ channels: 1 });
      const start = starting.startRecording();
      await new Promise((r) => setTimeout(r, delayMs));
      starting.dispose();
      results[`start+${delayMs}`] = await outcome(start);

      const moving = new Tapedeck.AudioRecorder({ channels: 1 });
      await moving.startRecording();
      const target = (await moving.getInputDevices()).find((d) => d.label === 'Fake Audio Input 1')!.id;
      const move = moving.setInputDevice(target);
      await new Promise((r) => setTimeout(r, delayMs));
      moving.dispose();
      results[`move+${delayMs}`] = await outcome(move);
    }
    await new Promise((r) => setTimeout(r, 300));
    return { results, tracks: gum.streams.flatMap((s) => s.getTracks().map((t) => t.readyState)), opened: gum.calls };
  });
  for (const [call, result] of Object.entries(out.results)) expect(result, call).not.toBe('pending');
  expect(out.opened).toBeGreaterThanOrEqual(9);
  expect(out.tracks.filter((t) => t !== 'ended')).toEqual([]);
});

test('lose nothing, a plugin whose flush() never settles: stop resolves within its bound with what was encoded and says encoder-failed; the next take records', async ({ page }) => {
  await page.evaluate(() => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    Tapedeck.registerEncoder({ id: 'hang', mimeType: 'audio/x-f32le', workerModule: '/tests/browser/pages/hanging-plugin.js' });
  });
  await createRecorder(page, { encoder: 'hang', channels: 1, sampleRate: 16000 });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock, events } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(1000);
    const stopAt = performance.now();
    const url = await recorder.stopRecording();
    const stopMs = performance.now() - stopAt;
    const rec = recorder.getTemporaryContent()!;
    const floats = Array.from(new Float32Array(await rec.arrayBuffer()));
    // The recorder is not wedged: it starts again (and a cancel, bounded too, ends that take).
    await recorder.startRecording();
    const again = recorder.state;
    await audioClock.wait(300);
    await recorder.cancelRecording();
    return { url, stopMs, floats, durationMs: rec.durationMs, errors: events.filter((e) => e.type === 'error').map((e) => e.code), again, state: recorder.state };
  });
  expect(out.url).toMatch(/^blob:/);
  expect(out.stopMs).toBeLessThan(15_000);
  expect(out.errors).toEqual(['encoder-failed']);
  // What the plugin had encoded before its flush hung: all but the last chunk (~128 ms) of the second.
  expect(out.floats.length / 16000).toBeGreaterThan(0.8);
  expect(Math.abs(out.durationMs / 1000 - out.floats.length / 16000)).toBeLessThan(0.2);
  expect(Math.abs(dominantFrequency(Float32Array.from(out.floats), 16000) - 440)).toBeLessThan(5);
  expect({ again: out.again, state: out.state }).toEqual({ again: 'recording', state: 'stopped' });
});

test('lose nothing, cancelRecording() of a persisted take leaves nothing on disk for recover()', async ({ page }) => {
  await createRecorder(page, { encoder: 'mp3', channels: 1, persist: 'opfs' });
  const names = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(1200);
    await recorder.cancelRecording();
    return (window as unknown as HarnessWindow).opfsNames();
  });
  expect(names).toEqual([]);
  expect(await discardAll(page)).toBe(0);
});

test('lose nothing, a refused Web Lock makes startRecording() with persist opfs reject with a code, before the microphone opens', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck, gum } = window as unknown as HarnessWindow;
    Object.defineProperty(navigator.locks, 'request', { value: () => Promise.reject(new DOMException('The lock was refused', 'SecurityError')) });
    const recorder = new Tapedeck.AudioRecorder({ channels: 1, persist: 'opfs' });
    const result = await Promise.race([
      recorder.startRecording().then(() => 'started', (e: { code: string; message: string }) => `${e.code}: ${e.message}`),
      new Promise((r) => setTimeout(() => r('pending'), 10_000)),
    ]);
    return { result, state: recorder.state, opened: gum.calls };
  });
  expect(out.result).toMatch(/^unsupported-browser: .*Web Lock.*refused.*without persist/);
  expect(out.state).toBe('stopped');
  expect(out.opened).toBe(0);
});

// Item 8: journals a crash cannot leave unreadable, takes that cannot be rebuilt reported, quota keeps the disk's part.
test('lose nothing, a journal slot cut by a crash: the other slot recovers the take; both lost: it is still offered, with its problem', async ({ page, context }) => {
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs' });
  await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(2000);
  });
  await crash(context, page);
  const cut = async (target: Page, slots: string[]) =>
    target.evaluate(async (slots) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('tapedeck');
      const names: string[] = [];
      for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      for (const name of names.filter((n) => slots.some((slot) => n.endsWith(`.${slot}.json`)))) {
        const writable = await (await folder.getFileHandle(name)).createWritable();
        await writable.write(name.endsWith('.a.json') ? '' : '{"id":"'); // truncated, and cut mid-write
        await writable.close();
      }
      return names.sort();
    }, slots);
  const probe = await context.newPage();
  await openHarness(probe);
  const names = await cut(probe, ['a']);
  expect(names.map((n) => n.replace(/^[^.]+/, 'id'))).toEqual(['id.a.json', 'id.b.json', 'id.bin']);
  await probe.close();
  const first = await recoverIn(context);
  expect(first.takes).toHaveLength(1);
  expect(first.takes[0]).toMatchObject({ problem: null, mimeType: 'audio/wav' });
  expect(first.takes[0]!.durationMs).toBeGreaterThan(1400); // the older slot: at most one journal interval behind
  await cut(first.page, ['b']);
  await first.page.close();
  const second = await recoverIn(context);
  expect(second.takes).toHaveLength(1);
  expect(second.takes[0]!.problem).toMatch(/journal/i);
  // Its bytes as they were written: the WAV's samples are all there.
  expect(second.takes[0]!.bytes.length).toBeGreaterThan(first.takes[0]!.bytes.length - 1000);
  expect(await discardAll(second.page)).toBe(1);
});

test('lose nothing, the OPFS quota runs out mid-take: a warning, the take goes on in memory, and a crash still recovers what reached the disk', async ({ page, context }) => {
  await createRecorder(page, { encoder: 'wav', channels: 1, persist: 'opfs', workerUrl: '/tests/browser/pages/quota-worker.js' });
  const warnings = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const warnings: string[] = [];
    // (Gaps in the input are warnings too: only the storage's are counted here.)
    recorder.on('warning', ({ message }) => /File System/.test(message) && warnings.push(message));
    await recorder.startRecording();
    await audioClock.wait(3000);
    return warnings;
  });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/Origin Private File System failed.*QuotaExceededError.*goes on in memory.*first 0\.2 MB/);
  await crash(context, page);
  const { page: again, takes } = await recoverIn(context);
  expect(takes).toHaveLength(1);
  // The quota worker lets 200,000 bytes reach the disk: 2.27 s of 44.1 kHz mono 16-bit, less its journal's lag.
  expect(takes[0]!.durationMs).toBeGreaterThan(1700);
  expect(takes[0]!.durationMs).toBeLessThan(2300);
  const samples = new Float32Array((takes[0]!.bytes.length - 44) / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = takes[0]!.bytes.readInt16LE(44 + i * 2) / 32768;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  await discardAll(again);
});

// Item 9: a short segment of real audio is kept, judged by the frames the worker heard.
test('lose nothing, TrackRecorder keeps a 300 ms segment of a track that then ends', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const track = w.toneTrack(440);
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-7' });
    const events: string[] = [];
    tracks.on('participant-track-recording-failed', ({ data }) => events.push(`failed: ${(data as { reason: string }).reason}`));
    const stopped = new Promise<number>((resolve) => tracks.on('participant-track-recording-stopped', () => resolve(w.audioClock.now())));
    const calledAt = w.audioClock.now();
    await tracks.startTrackRecording({ participantId: 'ivy', kind: 'audio', track });
    await w.audioClock.wait(300);
    track.stop();
    const stoppedAt = await stopped;
    const files = Object.values(tracks.getFiles()).flatMap((kinds) => Object.values(kinds).flat());
    const decoded = await Promise.all(files.map(async (f) => new OfflineAudioContext(1, 1, 48000).decodeAudioData(await (await fetch(f.fileUrl)).arrayBuffer())));
    return { events, longestMs: stoppedAt - calledAt, files: files.map((f, i) => ({ durationMs: f.durationMs, decodedMs: decoded[i]!.duration * 1000, samples: Array.from(decoded[i]!.getChannelData(0)) })) };
  });
  expect(out.events).toEqual([]);
  expect(out.files).toHaveLength(1);
  expect(out.files[0]!.durationMs).toBeGreaterThan(200);
  // The segment runs on until the take notices the track ended (a timer): no longer than the audio clock ran meanwhile.
  expect(out.files[0]!.durationMs).toBeLessThanOrEqual(out.longestMs + 25);
  expect(Math.abs(dominantFrequency(Float32Array.from(out.files[0]!.samples), 48000) - 440)).toBeLessThan(5);
});

// Item 10: the script-tag build from another origin makes one bootstrap for the worker, not one per take.
test('lose nothing, the script-tag build loaded from another origin: three takes, one blob: bootstrap', async ({ page }) => {
  const cdn = await startStaticServer({ root: ROOT, port: 0, cors: true });
  const out = await page.evaluate(async (src) => {
    const scripts: string[] = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = (object: Blob | MediaSource) => {
      if (object instanceof Blob && object.type === 'text/javascript') scripts.push(object.type);
      return create(object);
    };
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    const Tapedeck = (window as unknown as HarnessWindow).Tapedeck;
    const recorder = new Tapedeck.AudioRecorder({ channels: 1 });
    const durations: number[] = [];
    const context = Tapedeck.AudioSession.instance().context; // this build's own clock
    for (let i = 0; i < 3; i++) {
      await recorder.startRecording();
      const until = context.currentTime + 0.3;
      while (context.currentTime < until) await new Promise((r) => setTimeout(r, 10));
      await recorder.stopRecording();
      durations.push(recorder.getTemporaryContent()!.durationMs);
    }
    recorder.dispose();
    return { scripts: scripts.length, durations };
  }, `${cdn.origin}/dist/tapedeck.iife.js`);
  cdn.server.close();
  expect(out.scripts).toBe(1);
  for (const durationMs of out.durations) expect(durationMs).toBeGreaterThan(250);
});

// Item 11: a hidden page records on by default.
test('lose nothing, the page hidden for 3 s in the middle of a 6 s take: the file lasts 6 s and the tone runs through it', async ({ page }) => {
  await createRecorder(page, { encoder: 'wav', channels: 1 });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock, Tapedeck } = window as unknown as HarnessWindow;
    const setHidden = (hidden: boolean) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    const told: string[] = [];
    Tapedeck.AudioSession.instance().on('interruption', ({ begin, reason }) => told.push(`${reason}:${begin}`));
    const states: string[] = [];
    recorder.on('statechange', ({ state }) => states.push(state));
    const called = audioClock.now();
    await recorder.startRecording();
    const started = audioClock.now();
    await audioClock.wait(1500);
    setHidden(true);
    await audioClock.wait(3000);
    setHidden(false);
    await audioClock.wait(1500);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    return { told, states, gaps: recorder.getTemporaryContent()!.gaps, clock: { minMs: stopping - started, maxMs: audioClock.now() - called } };
  });
  expect(out.told).toEqual(['page-hidden:true', 'page-hidden:false']); // the event still tells
  expect(out.states).toEqual(['recording', 'stopped']);
  const rec = await readRecording(page);
  expectOnAudioClock(rec.durationMs, out.clock);
  expect(rec.durationMs).toBeGreaterThan(5900);
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  // The fake microphone's tone runs through: never a pause's worth of silence, and any 10 ms hole is one the take
  // reported where it is (a device buffer that did not arrive, upstream of tapedeck: see the fidelity bench).
  const hole = longestSilence(samples, 4410);
  expect(hole.length).toBeLessThan(4410);
  if (hole.length >= 441) {
    const holeMs = ((hole.endsAt - hole.length) / 44100) * 1000;
    expect(out.gaps.filter((g) => g.cause === 'input-silent' && Math.abs(g.atMs - holeMs) < 10), `a ${hole.length}-frame hole at ${holeMs} ms, gaps ${JSON.stringify(out.gaps)}`).toHaveLength(1);
  }
});

test('lose nothing, keepAwake holds the Screen Wake Lock while recording and lets it go after', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck, audioClock } = window as unknown as HarnessWindow;
    const log: string[] = [];
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: { request: async (type: string) => (log.push(`request ${type}`), { release: async () => void log.push('release') }) },
    });
    const recorder = new Tapedeck.AudioRecorder({ channels: 1, keepAwake: true });
    await recorder.startRecording();
    await audioClock.wait(300);
    const during = [...log];
    await recorder.stopRecording();
    await new Promise((r) => setTimeout(r, 50));
    const plain = new Tapedeck.AudioRecorder({ channels: 1 });
    await plain.startRecording();
    await plain.stopRecording();
    return { during, after: log };
  });
  expect(out.during).toEqual(['request screen']);
  expect(out.after).toEqual(['request screen', 'release']);
});

// Item 12: TrackRecorder's files go to the customer's storage, under their bucket path.
test('lose nothing, TrackRecorder with upload: each segment reaches the tus server under bucketDirPath, and stopped gives the server URL', async ({ page }) => {
  const proxy = await startFaultProxy();
  const out = await page.evaluate(async (endpoint) => {
    const w = window as unknown as HarnessWindow;
    const track = w.toneTrack(660);
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-9', fileFormat: 'mp3', upload: { endpoint, chunkSizeBytes: 4096, bucketDirPath: 'customer/bucket' } });
    let details: Array<{ filePath: string; fileUrl: string }> = [];
    tracks.on('participant-track-recording-stopped', ({ data }) => (details = (data as { fileDetails: typeof details }).fileDetails));
    await tracks.startTrackRecording({ participantId: 'jo', kind: 'audio', track });
    await w.audioClock.wait(600);
    track.enabled = false; // a mute: the first segment ends
    await w.audioClock.wait(300);
    track.enabled = true;
    await w.audioClock.wait(600);
    await tracks.stopTrackRecording({ participantId: 'jo', kind: 'audio' });
    const files = Object.values(tracks.getFiles()).flatMap((kinds) => Object.values(kinds).flat());
    return {
      details,
      files: await Promise.all(files.map(async (f) => ({ filePath: f.filePath, fileName: f.fileName, uploadUrl: f.uploadUrl, bytes: await w.base64Of(await (await fetch(f.fileUrl)).blob()) }))),
    };
  }, proxy.endpoint);
  expect(out.files).toHaveLength(2);
  expect(out.details.map((d) => d.fileUrl)).toEqual(out.files.map((f) => f.uploadUrl));
  for (const file of out.files) {
    expect(file.uploadUrl).toMatch(new RegExp(`^${proxy.endpoint}`));
    expect(proxy.stored(file.uploadUrl!).equals(b64(file.bytes))).toBe(true);
    expect(proxy.metadata(file.uploadUrl!).filename).toBe(`customer/bucket/room-9/jo/audio/${file.fileName}`);
    expect(file.filePath).toBe(`room-9/jo/audio/${file.fileName}`);
  }
  await proxy.stop();
});
