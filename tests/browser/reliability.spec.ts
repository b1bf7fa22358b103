import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { findChromium, HEADLESS_ARGS } from '../../scripts/chromium.mjs';
import { createRecorder, openHarness, rejectionOf, type HarnessWindow } from './helpers';
import { OTHER_ORIGIN_PORT } from '../support/ports';
import { startFaultProxy } from '../support/fault-proxy';

const OPS = ['start', 'startStream', 'pause', 'resume', 'stop', 'cancel', 'clear', 'setInputDevice', 'dispose'] as const;
type Step = { op: (typeof OPS)[number]; awaited: boolean; delayMs: number };
type Setup = { encoder: 'wav' | 'mp3' | 'f32'; persist: boolean; upload: boolean };

test('reliability, random sequences of calls, awaited or not, with any persist, upload and plugin, never wedge a recorder, leak, or leave files', async ({ page }) => {
  test.setTimeout(400_000);
  await openHarness(page);
  const proxy = await startFaultProxy();
  await page.evaluate(() => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    Tapedeck.registerEncoder({ id: 'f32', mimeType: 'audio/x-f32le', workerModule: '/tests/browser/pages/f32-plugin.js' });
  });
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  test.info().annotations.push({ type: 'seed', description: `FC_SEED=${seed}` });
  console.log(`reliability: fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
  const step = fc.record({ op: fc.constantFrom(...OPS), awaited: fc.boolean(), delayMs: fc.constantFrom(0, 0, 30, 120) });
  const setup = fc.record({ encoder: fc.constantFrom<Setup['encoder']>('wav', 'mp3', 'f32'), persist: fc.boolean(), upload: fc.boolean() });

  await fc.assert(
    fc.asyncProperty(setup, fc.array(step, { minLength: 1, maxLength: 8 }), async (config: Setup, steps: Step[]) => {
      const report = await page.evaluate(async ({ config, steps, endpoint }) => {
        const w = window as unknown as HarnessWindow;
        const recorder = new w.Tapedeck.AudioRecorder({
          channels: 1,
          encoder: config.encoder,
          persist: config.persist ? 'opfs' : 'memory',
          upload: config.upload ? { endpoint, retryDelaysMs: [0, 100] } : undefined,
        });
        const streamsBefore = w.gum.streams.length;
        const urlsBefore = w.createdUrls.length;
        const foreign: string[] = [];
        const pending: Promise<unknown>[] = [];
        const device = (await recorder.getInputDevices()).find((d) => d.label === 'Fake Audio Input 1')?.id ?? 'default';
        const call = (op: string): unknown => {
          switch (op) {
            case 'start': return recorder.startRecording();
            case 'startStream': return recorder.startStream().then((stream) => stream.cancel());
            case 'pause': return recorder.pause();
            case 'resume': return recorder.resume();
            case 'stop': return recorder.stopRecording();
            case 'cancel': return recorder.cancelRecording();
            case 'clear': return recorder.clear();
            case 'setInputDevice': return recorder.setInputDevice(device);
            default: return recorder.dispose();
          }
        };
        const judge = (error: unknown) => {
          if (!(error instanceof w.Tapedeck.TapedeckError)) foreign.push(String(error));
        };
        for (const { op, awaited, delayMs } of steps) {
          let result: unknown;
          try {
            result = call(op);
          } catch (error) {
            judge(error);
          }
          const settled = Promise.resolve(result).catch(judge);
          if (awaited) await settled;
          else pending.push(settled);
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        }
        await Promise.all(pending);
        const state = recorder.state;
        const consistent = recorder.isRecording() === (state !== 'stopped') && recorder.isPaused() === (state === 'paused');
        recorder.dispose();
        await new Promise((r) => setTimeout(r, 20));
        const tracks = w.gum.streams.slice(streamsBefore).flatMap((s) => s.getTracks().map((t) => t.readyState));
        const urls = w.createdUrls.slice(urlsBefore);
        const alive = (await Promise.all(urls.map((u) => fetch(u).then(() => u, () => null)))).filter(Boolean);
        const afterDispose = await recorder.startRecording().then(() => 'started', (e: { code: string }) => e.code);
        // Every file a persisted take wrote is deleted once disposed (after its upload, when it had one).
        const left = () => (window as unknown as HarnessWindow).opfsNames();
        for (let i = 0; i < 100 && (await left()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
        return { foreign, state, consistent, tracks, alive, afterDispose, stateAfter: recorder.state, files: await left() };
      }, { config, steps, endpoint: proxy.endpoint });
      expect(report.foreign).toEqual([]);
      expect(report.consistent).toBe(true);
      expect(report.tracks.every((t) => t === 'ended')).toBe(true);
      expect(report.alive).toEqual([]);
      expect(report.afterDispose).toBe('invalid-state');
      expect(report.stateAfter).toBe('stopped');
      expect(report.files).toEqual([]);
    }),
    { numRuns: 150, seed, endOnFailure: true },
  );
  await proxy.stop();
});

test('reliability, bad input to every public method gives a code and a message, never a crash or hang', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page);
  const table: Array<[string, unknown[], string, RegExp]> = [
    ['startRecording', [42], 'invalid-option', /options, when provided, must be an object/],
    ['startRecording', [{ source: 'mic' }], 'invalid-option', /options\.source must be a MediaStream/],
    ['startRecording', [{ source: [] }], 'invalid-option', /at least one source/],
    ['startRecording', [{ sourse: null }], 'invalid-option', /options\.sourse is not an option/],
    ['startStream', [{ source: NaN }], 'invalid-option', /options\.source/],
    ['hasPermission', [{ request: 'yes' }], 'invalid-option', /options\.request/],
    ['isSupportedEncoder', [7], 'invalid-option', /encoder must be a string/],
    ['getUnrecordableSources', [{}], 'invalid-option', /options\.source must be a MediaStream/],
    ['pause', [], 'invalid-state', /pause\(\) needs a running recording/],
    ['resume', [], 'invalid-state', /resume\(\) needs a paused recording/],
    ['stopRecording', [], 'invalid-state', /not recording/],
    ['cancelRecording', [], 'invalid-state', /not recording/],
  ];
  for (const [method, args, code, message] of table) {
    const error = await rejectionOf(page, method, ...args);
    expect(error, `${method}(${JSON.stringify(args)})`).toMatchObject({ name: 'TapedeckError', code });
    expect(error!.message).toMatch(message);
  }
  expect(await page.evaluate(() => (window as unknown as HarnessWindow).recorder.canRecord('mic' as never))).toBe(false);

  // After dispose(), every method refuses with invalid-state, and says why.
  await page.evaluate(() => (window as unknown as HarnessWindow).recorder.dispose());
  for (const method of ['startRecording', 'startStream', 'pause', 'resume', 'stopRecording', 'cancelRecording', 'hasPermission', 'getInputDevices', 'isSupportedEncoder', 'getUnrecordableSources', 'clear']) {
    const error = await rejectionOf(page, method, method === 'isSupportedEncoder' ? 'wav' : undefined);
    expect(error, method).toMatchObject({ code: 'invalid-state', message: expect.stringMatching(/disposed/) });
  }
});

test('reliability, a page with script-src \'self\' records with the script-tag build\'s own files, and fails fast on a file the policy forbids', async ({ page }) => {
  await page.goto('/tests/browser/pages/csp/strict.html');
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  type Outcome = { ok: boolean; code?: string; message?: string; afterMs?: number; durationMs?: number; peak?: number; lameTag?: string | null };
  const record = (options: object) => page.evaluate((o) => (window as unknown as { recordOnce(o: object): Promise<Outcome> }).recordOnce(o), options);

  // The script-tag build loads its worklet and worker from beside its <script src>: same-origin, so 'self' allows them.
  const own = await record({});
  expect(own.ok).toBe(true);
  expect(own.durationMs).toBeGreaterThan(700);
  expect(own.peak).toBeGreaterThan(0.45); // the 0.5-amplitude tone, not silence

  const blocked = await record({ workletUrl: `http://127.0.0.1:${OTHER_ORIGIN_PORT}/dist/runtime/capture-worklet.js?cors` });
  expect(blocked).toMatchObject({ ok: false, code: 'worklet-load-failed' });
  expect(blocked.afterMs).toBeLessThan(2000);
  expect(blocked.message).toMatch(/script-src.*workletUrl and workerUrl/);

  const hosted = await record({ workletUrl: '/dist/runtime/capture-worklet.js', workerUrl: '/dist/runtime/encoder-worker.js' });
  expect(hosted.ok).toBe(true);
  expect(hosted.durationMs).toBeGreaterThan(700);
  expect(hosted.peak).toBeGreaterThan(0.45); // the 0.5-amplitude tone, not silence

  // A worker runs under its own response's policy: served with this one (no 'wasm-unsafe-eval'), MP3 falls back from
  // WebAssembly LAME to lamejs, and still records.
  const mp3 = await record({ encoder: 'mp3', workletUrl: '/dist/runtime/capture-worklet.js', workerUrl: '/dist/runtime/encoder-worker.js?csp' });
  expect(mp3).toMatchObject({ ok: true, lameTag: 'LAME3.99r' });
  expect(mp3.durationMs).toBeGreaterThan(700);
  expect(mp3.peak).toBeGreaterThan(0.45);
});

test('reliability, no microphone at all gives device-not-found, and the recorder still records other sources', async () => {
  const { chromium } = await import('@playwright/test');
  // No --use-fake-device-for-media-stream: this browser has no audio input.
  const browser = await chromium.launch({ executablePath: findChromium()?.executablePath, args: [...HEADLESS_ARGS, '--use-fake-ui-for-media-stream'] });
  try {
    const page = await browser.newPage({ baseURL: 'http://127.0.0.1:4317' });
    await openHarness(page);
    await createRecorder(page, { channels: 1 });
    const error = await rejectionOf(page, 'startRecording');
    expect(error).toMatchObject({ code: 'device-not-found', causeName: 'NotFoundError' });
    const after = await page.evaluate(async () => {
      const { recorder } = window as unknown as HarnessWindow;
      const context = new AudioContext();
      const oscillator = new OscillatorNode(context, { frequency: 500 });
      oscillator.start();
      await recorder.startRecording({ source: oscillator });
      const until = context.currentTime + 0.3; // the take runs on the oscillator's context
      while (context.currentTime < until) await new Promise((r) => setTimeout(r, 10));
      await recorder.stopRecording();
      return { state: recorder.state, durationMs: recorder.getTemporaryContent()!.durationMs };
    });
    expect(after.state).toBe('stopped');
    expect(after.durationMs).toBeGreaterThan(250);
  } finally {
    await browser.close();
  }
});
