// Fault injection (issue 15): seeded random schedules of network faults — connections dropped, requests cut halfway,
// 5xx, stalls, the server gone, the browser offline — over WAV, MP3 and Opus takes uploading to a real tus server,
// with and without OPFS, some crashing mid-take. After each: the server's file is the local (or recovered) Recording
// byte for byte, every promise has settled, and no microphone track is live. FC_SEED replays a run; FAULT_RUNS sets
// how many schedules (default 8).
import { expect, test, type BrowserContext } from '@playwright/test';
import fc from 'fast-check';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../support/fault-proxy';
import { openHarness, type HarnessWindow } from './helpers';

type Fault = { atMs: number; mode: FaultMode | 'offline'; forMs: number };
type Schedule = { encoder: 'wav' | 'mp3' | 'opus'; persist: boolean; crash: boolean; takeMs: number; faults: Fault[] };

const fault = fc.record({
  atMs: fc.integer({ min: 100, max: 3000 }),
  mode: fc.constantFrom<Fault['mode']>('drop', 'cut', 'error', 'stall', 'down', 'offline'),
  forMs: fc.integer({ min: 200, max: 1500 }),
});
const schedule: fc.Arbitrary<Schedule> = fc
  .record({ encoder: fc.constantFrom('wav', 'mp3', 'opus'), persist: fc.boolean(), crash: fc.boolean(), takeMs: fc.integer({ min: 2000, max: 3500 }), faults: fc.array(fault, { maxLength: 3 }) })
  .map((s) => ({ ...s, crash: s.persist && s.crash, faults: [...s.faults].sort((a, b) => a.atMs - b.atMs) }));

/** A short retry schedule and stall timeout, so that the faults' recoveries fit in a test. */
const UPLOAD = { chunkSizeBytes: 16_384, retryDelaysMs: [0, 100, 250, 500], stallTimeoutMs: 1000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays `faults` from now, one after another, until they are over or `halt()` is called; then the network is healthy. */
function play(faults: Fault[], proxy: FaultProxy, context: BrowserContext): { done: Promise<void>; halt(): Promise<void> } {
  let halted = false;
  const t0 = Date.now();
  const done = (async () => {
    for (const { atMs, mode, forMs } of faults) {
      await sleep(atMs - (Date.now() - t0));
      if (halted) break;
      if (mode === 'offline') await context.setOffline(true);
      else await proxy.set(mode);
      await sleep(forMs);
      await context.setOffline(false);
      await proxy.set('pass');
    }
  })();
  return {
    done,
    halt: async () => {
      halted = true;
      await done;
    },
  };
}

/** How long any promise may take to settle before the run calls it hung. */
const SETTLE_MS = 45_000;

async function runOne(context: BrowserContext, proxy: FaultProxy, s: Schedule): Promise<void> {
  const page = await context.newPage();
  await openHarness(page);
  await page.evaluate(
    async ({ s, upload }) => {
      const w = window as unknown as HarnessWindow;
      w.recorder = new w.Tapedeck.AudioRecorder({ encoder: s.encoder, channels: 1, sampleRate: s.encoder === 'opus' ? 48000 : 44100, persist: s.persist ? 'opfs' : 'memory', upload });
      await w.recorder.startRecording();
    },
    { s, upload: { ...UPLOAD, endpoint: proxy.endpoint } },
  );
  const faults = play(s.faults, proxy, context);
  await page.evaluate((ms) => (window as unknown as HarnessWindow).audioClock.wait(ms), s.takeMs);

  if (s.crash) {
    // The network is made healthy first: a crashed page in the context refuses setOffline().
    await faults.halt();
    const crashed = page.waitForEvent('crash');
    void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
    await crashed;
    await page.close();
    const again = await context.newPage();
    await openHarness(again);
    const out = await again.evaluate(
      async ({ upload, settleMs }) => {
        const { Tapedeck, base64Of } = window as unknown as HarnessWindow;
        const takes = await Tapedeck.AudioRecorder.recover();
        const [take] = takes;
        if (!take) return { takes: 0 };
        const decodedMs = await new OfflineAudioContext(1, 1, take.sampleRate).decodeAudioData(await take.arrayBuffer()).then((a) => a.duration * 1000, () => -1);
        const url = await Promise.race([take.resumeUpload(upload).catch((e: Error) => `failed: ${e.message}`), new Promise((r) => setTimeout(() => r('pending'), settleMs))]);
        const bytes = await base64Of(take.blob);
        for (const t of takes) await Tapedeck.AudioRecorder.discardRecovered(t.id);
        return { takes: takes.length, url: url as string, bytes, durationMs: take.durationMs, decodedMs, problem: take.problem };
      },
      { upload: { ...UPLOAD, endpoint: proxy.endpoint }, settleMs: SETTLE_MS },
    );
    expect(out.takes).toBe(1);
    expect(out.problem).toBeNull();
    expect(out.url).toMatch(/^http/);
    expect(out.decodedMs).toBeGreaterThan(500);
    expect(proxy.stored(out.url!).equals(Buffer.from(out.bytes!, 'base64'))).toBe(true);
    await again.close();
    return;
  }

  const first = await page.evaluate(async (settleMs) => {
    const { recorder } = window as unknown as HarnessWindow;
    const within = (p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), settleMs))]);
    const stopped = await within(recorder.stopRecording().then(() => 'stopped', (e: { code: string }) => e.code));
    const url = await within(recorder.uploadDone!.catch((e: { code: string }) => e.code));
    return { stopped, url: url as string };
  }, SETTLE_MS);
  await faults.done;
  const out = await page.evaluate(
    async ({ settleMs, first }) => {
      const { recorder, gum, base64Of } = window as unknown as HarnessWindow;
      const within = (p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), settleMs))]);
      const rec = recorder.getTemporaryContent()!;
      let url = first.url;
      // The take ended in an outage and its last retries ran out: once the network is back, resumeUpload() carries it on.
      if (url === 'upload-failed') url = (await within(rec.resumeUpload().catch((e: Error) => `failed: ${e.message}`))) as string;
      const bytes = await base64Of(rec.blob);
      const decodedMs = await new OfflineAudioContext(1, 1, rec.sampleRate).decodeAudioData(await rec.arrayBuffer()).then((a) => a.duration * 1000, () => -1);
      recorder.dispose();
      // dispose() deletes a persisted take's files once the server has it: the folder empties.
      const left = () => (window as unknown as HarnessWindow).opfsNames();
      for (let i = 0; i < 100 && (await left()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      const live = gum.streams.flatMap((m) => m.getTracks()).filter((t) => t.readyState !== 'ended').length;
      return { url, bytes, durationMs: rec.durationMs, decodedMs, live, left: await left() };
    },
    { settleMs: SETTLE_MS, first },
  );
  expect(first.stopped).toBe('stopped');
  expect(out.url).toMatch(/^http/);
  expect(out.live).toBe(0);
  expect(out.left).toEqual([]);
  expect(Math.abs(out.decodedMs - out.durationMs)).toBeLessThan(100);
  expect(out.durationMs).toBeGreaterThan(s.takeMs - 50);
  expect(proxy.stored(out.url).equals(Buffer.from(out.bytes, 'base64'))).toBe(true);
  await page.close();
}

test('faults, random network faults over uploading takes (± OPFS, ± a crash): the server has each take exactly once, and everything settles', async ({ context }) => {
  const runs = Number(process.env.FAULT_RUNS ?? 8);
  test.setTimeout(runs * 75_000);
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  test.info().annotations.push({ type: 'seed', description: `FC_SEED=${seed}` });
  console.log(`faults: fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
  const proxy = await startFaultProxy();
  try {
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        try {
          await runOne(context, proxy, s);
        } finally {
          await context.setOffline(false);
          await proxy.set('pass');
        }
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  } finally {
    await proxy.stop();
  }
});
