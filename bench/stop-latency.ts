// npm run bench — stop latency: how long stopRecording() takes after recordings of growing length, per encoder.
// Prints a markdown table; asserts nothing. Usage: npm run bench [-- --seconds 10,60 --runs 3]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { findChromium } from '../scripts/chromium.mjs';
import { fakeMicrophoneArgs } from '../tests/support/fake-microphone';

const PORT = 4318;
const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const lengths = arg('seconds', '10,60').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const encoders = arg('encoders', 'wav,pcm16').split(',');

const server = spawn(process.execPath, ['tests/support/serve.mjs', String(PORT)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const micFile = fileURLToPath(new URL('../tests/.generated/fake-mic-440.wav', import.meta.url));
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', ...fakeMicrophoneArgs(micFile)];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
try {
  for (const encoder of encoders) {
    for (const seconds of lengths) {
      const stops: number[] = [];
      const errors: number[] = [];
      let size = 0;
      for (let run = 0; run < runs; run++) {
        const browser = await chromium.launch({ executablePath: findChromium()?.executablePath, args });
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${PORT}/tests/browser/pages/harness.html`);
        await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
        const result = await page.evaluate(
          async ({ encoder, seconds }) => {
            const T = (window as unknown as { Tapedeck: typeof import('../src/index') }).Tapedeck;
            const recorder = new T.AudioRecorder({ encoder: encoder as 'wav' });
            await recorder.startRecording();
            const started = performance.now();
            await new Promise((r) => setTimeout(r, seconds * 1000));
            const stopAt = performance.now();
            await recorder.stopRecording();
            const stopMs = performance.now() - stopAt;
            const rec = recorder.getTemporaryContent()!;
            return { stopMs, durationErrorMs: rec.durationMs - (stopAt - started), size: rec.size };
          },
          { encoder, seconds },
        );
        stops.push(result.stopMs);
        errors.push(result.durationErrorMs);
        size = result.size;
        await browser.close();
      }
      const range = (v: number[]) => `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}`;
      rows.push(`| ${encoder} | ${seconds} s | ${median(stops).toFixed(1)} (${range(stops)}) | ${median(errors).toFixed(1)} (${range(errors)}) | ${(size / 1e6).toFixed(2)} MB |`);
      console.error(rows.at(-1));
    }
  }
} finally {
  server.kill();
}
console.log(`\nStop latency, ${runs} runs each, median (range); Chromium ${findChromium()?.source ?? '?'}, 44.1 kHz stereo output\n`);
console.log('| encoder | recorded | stopRecording() ms | duration − page time ms | file |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
