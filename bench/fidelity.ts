// Fidelity over a long take: holes (runs of exact zeros ≥ 10 ms) in tapedeck's file, against a bare AudioWorklet
// capture fed by the same source node. A hole in both came from upstream (the device, the browser); one only in
// tapedeck's file would be tapedeck's own. Also: how many of them the Recording reported in `gaps`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { findChromium, HEADLESS_ARGS } from '../scripts/chromium.mjs';
import { writeMonoWav } from '../tests/support/wav-file';

const PORT = 4318;
const RATE = 44100;

/** White noise (amplitude 0.3), 20 s, looped by the fake microphone: it never holds a run of exact zeros. */
function noiseFixture(): string {
  const folder = fileURLToPath(new URL('../tests/.generated', import.meta.url));
  mkdirSync(folder, { recursive: true });
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return writeMonoWav(`${folder}/noise-20s.wav`, Float32Array.from({ length: RATE * 20 }, () => 0.3 * random()), RATE);
}

/** Prints a markdown table: holes per minute in a `minutes`-long WAV take and in a bare capture of the same node. */
export async function benchFidelity(minutes: number): Promise<string[]> {
  const browser = await chromium.launch({
    executablePath: findChromium()?.executablePath,
    args: [...HEADLESS_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${noiseFixture()}`],
  });
  const page = await browser.newPage();
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`http://127.0.0.1:${PORT}/tests/browser/pages/harness.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const out = await page.evaluate(
    async ({ seconds, rate }) => {
      const T = (window as unknown as { Tapedeck: typeof import('../src/index') }).Tapedeck;
      const context = T.AudioSession.instance().context;
      // The bare capture: reports each run of exact zeros (≥ 64 frames) by the context frame it began at.
      const code = `registerProcessor('bare', class extends AudioWorkletProcessor {
        constructor() { super(); this.run = 0; this.at = 0; this.heard = false; }
        process(inputs) {
          const ch = inputs[0][0];
          for (let i = 0; i < 128; i++) {
            if (!ch || ch[i] === 0) { if (this.run++ === 0) this.at = currentFrame + i; continue; }
            if (this.heard && this.run >= 64) this.port.postMessage([this.at, this.run]);
            this.run = 0; this.heard = true;
          }
          return true;
        }
      });`;
      await context.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const bare = new AudioWorkletNode(context, 'bare', { channelCount: 1, channelCountMode: 'explicit' });
      const bareRuns: Array<[number, number]> = [];
      bare.port.onmessage = (e) => bareRuns.push(e.data);
      bare.connect(context.destination);
      // Feed it from the node tapedeck connects to its capture worklet.
      const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => AudioNode;
      let tapped = false;
      (AudioNode.prototype as unknown as { connect: typeof connect }).connect = function (this: AudioNode, ...args: unknown[]) {
        if (!tapped && args[0] instanceof AudioWorkletNode && args[0] !== bare) {
          tapped = true;
          connect.call(this, bare);
        }
        return connect.apply(this, args);
      };
      const recorder = new T.AudioRecorder({ encoder: 'wav', channels: 1, sampleRate: rate });
      await recorder.startRecording();
      const started = context.currentTime;
      while (context.currentTime < started + seconds) await new Promise((r) => setTimeout(r, 500));
      await recorder.stopRecording();
      const rec = recorder.getTemporaryContent()!;
      const samples = (await rec.pcm())[0]!;
      const fileRuns: Array<[number, number]> = [];
      let run = 0;
      let heard = false;
      for (let i = 0; i < samples.length; i++) {
        if (samples[i] === 0) {
          run++;
          continue;
        }
        if (heard && run >= 64) fileRuns.push([i - run, run]);
        run = 0;
        heard = true;
      }
      return { fileRuns, bareRuns, gaps: rec.gaps, durationMs: rec.durationMs, stages: rec.stages };
    },
    { seconds: minutes * 60, rate: RATE },
  );
  await browser.close();
  // Align the two by the offset most pairs of equal-length runs share (the capture's first frame in the context).
  const offsets = new Map<number, number>();
  for (const [f, n] of out.fileRuns) for (const [b, m] of out.bareRuns) if (Math.abs(n - m) <= 1) offsets.set(b - f, (offsets.get(b - f) ?? 0) + 1);
  const offset = [...offsets.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const inBare = (f: number) => out.bareRuns.some(([b]) => Math.abs(b - offset - f) <= 2);
  const holes = out.fileRuns.filter(([, n]) => n >= RATE / 100);
  const upstream = holes.filter(([f]) => inBare(f));
  const bareHoles = out.bareRuns.filter(([, n]) => n >= RATE / 100);
  const reported = out.gaps.filter((g) => g.cause === 'input-silent').length;
  const stalls = out.gaps.filter((g) => g.cause === 'audio-thread-late');
  const perMinute = (n: number) => (n / minutes).toFixed(2);
  return [
    `${minutes} min WAV take of a looped white-noise fake microphone (44.1 kHz mono), and a bare AudioWorklet on the same source node.`,
    '',
    '| recorded | holes ≥ 10 ms in the file, per min | of them also in the bare capture | only in tapedeck\'s file | holes in the bare capture, per min | reported in Recording.gaps (input-silent) | audio-thread stalls reported | frames captured / received / dropped |',
    '|---|---|---|---|---|---|---|---|',
    `| ${(out.durationMs / 60000).toFixed(2)} min | ${perMinute(holes.length)} | ${upstream.length} | ${holes.length - upstream.length} | ${perMinute(bareHoles.length)} | ${reported} | ${stalls.length}${stalls.length ? ` (${stalls.map((s) => s.ms.toFixed(0)).join(', ')} ms)` : ''} | ${out.stages?.capturedFrames} / ${out.stages?.receivedFrames} / ${out.stages?.droppedFrames} |`,
  ];
}
