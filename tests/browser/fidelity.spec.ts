// Audio a take did not get is never lost silently: a microphone that delivers nothing for a while, and an audio
// thread that stalls, are each in Recording.gaps (and a warning) at the place they are in the file; and the
// Recording says how many frames each stage saw.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { findChromium, HEADLESS_ARGS } from '../../scripts/chromium.mjs';
import { sine } from '../support/signal';
import { writeMonoWav } from '../support/wav-file';
import { createRecorder, openHarness, readRecording, type HarnessWindow } from './helpers';

/**
 * Records `ms` of the audio clock with `window.recorder` (stalling the audio thread for 400 ms after `stallAfterMs`,
 * through `window.hog`, when given); returns the take's gaps, stages and warnings.
 */
async function takeWithGaps(page: Page, ms: number, stallAfterMs?: number) {
  return page.evaluate(
    async ({ ms, stallAfterMs }) => {
      const { recorder, audioClock } = window as unknown as HarnessWindow;
      const warnings: string[] = [];
      recorder.on('warning', ({ message }) => warnings.push(message));
      await recorder.startRecording();
      if (stallAfterMs !== undefined) void audioClock.wait(stallAfterMs).then(() => (window as unknown as { hog: AudioWorkletNode }).hog.port.postMessage(400));
      await audioClock.wait(ms);
      await recorder.stopRecording();
      const rec = recorder.getTemporaryContent()!;
      return { gaps: rec.gaps, stages: rec.stages!, warnings };
    },
    { ms, stallAfterMs },
  );
}

test('fidelity, a microphone that delivers 50 ms of nothing: the gap is in Recording.gaps and a warning, exactly where the file has it', async () => {
  // 1.5 s of tone, 50 ms of exact zeros (as a device that missed five 10 ms buffers), 1.5 s of tone; it loops.
  const rate = 44100;
  const fixture = new Float32Array(Math.round(rate * 3.05));
  fixture.set(sine(440, 1.5, rate));
  fixture.set(sine(440, 1.5, rate), Math.round(rate * 1.55));
  const file = writeMonoWav(join(mkdtempSync(join(tmpdir(), 'tapedeck-')), 'gap-mic.wav'), fixture, rate);
  const browser = await chromium.launch({
    executablePath: findChromium()?.executablePath,
    args: [...HEADLESS_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}`],
  });
  try {
    const page = await browser.newPage({ baseURL: 'http://127.0.0.1:4317' });
    await openHarness(page);
    await createRecorder(page, { encoder: 'wav', channels: 1, sampleRate: rate });
    const out = await takeWithGaps(page, 2500);
    const holes = out.gaps.filter((g) => g.cause === 'input-silent' && g.ms >= 40);
    expect(holes, JSON.stringify(out.gaps)).toHaveLength(1);
    const [hole] = holes;
    expect(hole!.ms).toBeGreaterThanOrEqual(49);
    expect(hole!.ms).toBeLessThan(65); // the fixture's 50 ms, give or take a device buffer
    expect(out.warnings.some((w) => w.startsWith(`${hole!.ms.toFixed(0)} ms of audio are missing at ${(hole!.atMs / 1000).toFixed(2)} s`))).toBe(true);
    // The file holds the zeros exactly where the gap says.
    const rec = await readRecording(page);
    const samples = rec.decoded!.data[0]!;
    const at = Math.round((hole!.atMs / 1000) * rate);
    const length = Math.round((hole!.ms / 1000) * rate);
    expect(samples.subarray(at, at + length).every((s) => s === 0)).toBe(true);
    expect(samples[at - 1]).not.toBe(0);
    expect(samples[at + length]).not.toBe(0);
    // Every stage saw every frame: captured = received, none dropped, the file as long (the same rate).
    expect(out.stages.droppedFrames).toBe(0);
    expect(out.stages.receivedFrames).toBe(out.stages.capturedFrames);
    expect(out.stages.fileFrames).toBe(out.stages.receivedFrames);
    expect(samples.length).toBe(out.stages.fileFrames);
  } finally {
    await browser.close();
  }
});

test('fidelity, the audio thread stalls for 400 ms: the take says so (Recording.gaps, a warning) at that point', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page, { encoder: 'wav', channels: 1 });
  // A worklet in the session's context that busy-waits 400 ms once: the audio thread stops for that long.
  await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const context = Tapedeck.AudioSession.instance().context;
    const code = `registerProcessor('hog', class extends AudioWorkletProcessor {
      constructor() { super(); this.port.onmessage = (e) => (this.ms = e.data); this.ms = 0; }
      process() { if (this.ms) { const until = Date.now() + this.ms; this.ms = 0; while (Date.now() < until); } return true; }
    });`;
    await context.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    const hog = new AudioWorkletNode(context, 'hog');
    hog.connect(context.destination);
    (window as unknown as { hog: AudioWorkletNode }).hog = hog;
  });
  const out = await takeWithGaps(page, 2000, 800);
  const stalls = out.gaps.filter((g) => g.cause === 'audio-thread-late');
  expect(stalls.length, JSON.stringify(out.gaps)).toBeGreaterThanOrEqual(1);
  const stall = stalls.find((g) => g.ms >= 390)!;
  expect(stall, JSON.stringify(out.gaps)).toBeDefined();
  expect(stall.atMs).toBeGreaterThan(700); // after the 800 ms of audio before it (to a device buffer)
  expect(out.warnings.some((w) => /audio are missing at .*audio thread did not run/.test(w))).toBe(true);
  expect(out.stages.receivedFrames + out.stages.droppedFrames).toBe(out.stages.capturedFrames);
});
