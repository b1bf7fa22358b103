// Shared set-up of the browser benchmarks: a static server, and a fresh Chromium with the fake microphone per run.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { findChromium, HEADLESS_ARGS } from '../scripts/chromium.mjs';
import { fakeMicrophoneArgs, writeToneWav } from '../src/testing/node';
import { FAKE_MIC_TONE } from '../tests/support/fake-microphone';
import { startStaticServer } from '../tests/support/static-server.mjs';

/** The bench's static server's port. */
export const PORT = 4318;
const micFile = fileURLToPath(new URL('../tests/.generated/fake-mic-440.wav', import.meta.url));

/** The bench's static server (the repository root), in this process; stop it with `kill()`. */
export interface BenchServer {
  kill(): void;
  /** Paths served since the last call, each once, in the order first asked for. */
  takeServed(): string[];
}

/** Starts the bench's static server on its port. */
export async function startServer(): Promise<BenchServer> {
  let served = new Set<string>();
  const { server } = await startStaticServer({ root: fileURLToPath(new URL('../', import.meta.url)), port: PORT, onServed: (path) => served.add(path) });
  return {
    kill: () => server.close(),
    takeServed() {
      const paths = [...served];
      served = new Set();
      return paths;
    },
  };
}

/** A fresh headless Chromium whose fake microphone plays `input` (a WAV file, looped), allowed without a prompt. */
export function launchWithMicrophone(input: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(launchOptions(input, extraArgs));
}

/** How the benches launch Chromium: headless, its fake microphone playing `input`. */
const launchOptions = (input: string, extraArgs: string[]) => ({
  executablePath: findChromium()?.executablePath,
  args: [...HEADLESS_ARGS, ...fakeMicrophoneArgs({ file: input }), ...extraArgs],
});

/** A fresh Chromium with the fake microphone (the tests' 440 Hz tone), on the harness page with the ES module build loaded. */
export async function openBenchPage(extraArgs: string[] = []): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchWithMicrophone(writeToneWav({ path: micFile, ...FAKE_MIC_TONE }), extraArgs);
  const page = await browser.newPage();
  await openHarness(page);
  return { browser, page };
}

/**
 * The same page in a fresh Chromium with a profile on disk (`profile`, a folder), as a user's normal window: a page
 * of `browser.newPage()` is in an off-the-record context, whose origin private file system is kept in memory.
 */
export async function openBenchPageOnDisk(profile: string, extraArgs: string[] = []): Promise<{ close(): Promise<void>; page: Page }> {
  const input = writeToneWav({ path: micFile, ...FAKE_MIC_TONE });
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions(input, extraArgs), acceptDownloads: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openHarness(page);
    return { close: () => context.close(), page };
  } catch (error) {
    await context.close();
    throw error;
  }
}

async function openHarness(page: Page): Promise<void> {
  // tsx compiles page functions with esbuild's keepNames, which calls a __name helper the page does not have.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`http://127.0.0.1:${PORT}/tests/browser/pages/harness.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
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

/** One Chromium process as /proc shows it. */
export interface ChromiumProcess {
  pid: number;
  /** The process's role: browser, renderer, audio (the audio service), gpu or utility. */
  role: string;
  /** Its utility service (e.g. storage.mojom.StorageService), else its role. */
  service: string;
  /** CPU seconds so far, user + system. */
  cpuS: number;
  /** Resident bytes (smaps_rollup's Rss), and of those the anonymous ones (heaps, buffers: not shared code). */
  rss: number;
  anonymous: number;
}

function role(cmdline: string): string {
  if (!cmdline.includes('--type=')) return 'browser';
  if (cmdline.includes('--type=renderer')) return 'renderer';
  if (/AudioService|audio\.mojom/.test(cmdline)) return 'audio';
  if (cmdline.includes('--type=gpu-process')) return 'gpu';
  return 'utility';
}

/** Every Chromium process now (Linux /proc; the benches run one browser at a time). */
export function chromiumProcesses(): ChromiumProcess[] {
  const found: ChromiumProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!/chrom/i.test(readFileSync(`/proc/${entry}/comm`, 'utf8'))) continue;
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const rollup = readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8');
      const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const its = role(cmdline);
      found.push({
        pid: Number(entry),
        role: its,
        service: /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1] ?? its,
        cpuS: (Number(fields[11]) + Number(fields[12])) / 100,
        rss: kB('Rss'),
        anonymous: kB('Anonymous'),
      });
    } catch {
      // the process ended meanwhile, or this is not Linux
    }
  }
  return found;
}

/** CPU seconds the processes of `after` used since `before` (per process: one that started meanwhile counts whole). */
export function cpuSince(before: ChromiumProcess[], after: ChromiumProcess[]): number {
  const was = new Map(before.map((p) => [p.pid, p.cpuS]));
  return after.reduce((sum, p) => sum + p.cpuS - (was.get(p.pid) ?? 0), 0);
}

/** The processes a recorder's memory lives in (the page and the audio service), and all of them. */
export const RECORDER_ROLES = ['renderer', 'audio'];
export const ALL_ROLES = ['browser', 'renderer', 'audio', 'gpu', 'utility'];

/** Resident bytes of the processes with one of `roles`. */
export const residentOf = (processes: ChromiumProcess[], roles: string[]) => processes.filter((p) => roles.includes(p.role)).reduce((sum, p) => sum + p.rss, 0);
