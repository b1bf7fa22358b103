// Shared set-up of the browser benchmarks: a static server, and a fresh Chromium with the fake microphone per run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { findChromium, HEADLESS_ARGS } from '../scripts/chromium.mjs';
import { fakeMicrophoneArgs } from '../tests/support/fake-microphone';

const PORT = 4318;
const micFile = fileURLToPath(new URL('../tests/.generated/fake-mic-440.wav', import.meta.url));

/** The bench's static server; stop it with `kill()`. */
export async function startServer(): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['tests/support/serve.mjs', String(PORT)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  return server;
}

/** A fresh Chromium with the fake microphone, on the harness page with the ES module build loaded. */
export async function openBenchPage(extraArgs: string[] = []): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: findChromium()?.executablePath,
    args: [
      ...HEADLESS_ARGS,
      '--use-fake-ui-for-media-stream',
      ...fakeMicrophoneArgs(micFile),
      ...extraArgs,
    ],
  });
  const page = await browser.newPage();
  // tsx compiles page functions with esbuild's keepNames, which calls a __name helper the page does not have.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`http://127.0.0.1:${PORT}/tests/browser/pages/harness.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  return { browser, page };
}

/** Value of `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
}

/** Median of `values`. */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** "min–max" of `values`, to `digits` decimals. */
export const range = (values: number[], digits = 1) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Where the benchmarks ran. */
export function chromiumName(): string {
  return findChromium()?.source ?? 'unknown Chromium';
}

/**
 * CPU seconds (user + system) and resident bytes of every Chromium process, and the resident bytes of the renderers
 * and the audio service alone (where a recorder's memory lives). Linux /proc; the benches run one browser at a time.
 */
export function chromiumProcesses(): { cpuS: number; rss: number; recorderRss: number } {
  let ticks = 0;
  let rss = 0;
  let recorderRss = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!/chrom/i.test(readFileSync(`/proc/${entry}/comm`, 'utf8'))) continue;
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      const bytes = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      rss += bytes;
      if (/--type=renderer|AudioService/.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) recorderRss += bytes;
    } catch {
      // the process ended meanwhile, or this is not Linux
    }
  }
  return { cpuS: ticks / 100, rss, recorderRss };
}
