// Memory over a long take: JS heap the page retains, Chromium's resident memory while recording (its peak growth and
// its slope after the first minute, per process: flat means nothing grows with the take but its file), the stop, and whether
// the file decodes to the length the audio clock says was recorded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_ROLES, chromiumProcesses, type ChromiumProcess, median, openBenchPage, openBenchPageOnDisk, residentOf } from './browser';

/** One variant: a format, where the take is kept, and whether the browser's profile is on disk. */
export interface MemoryVariant {
  encoder: string;
  persist: 'memory' | 'opfs';
  /**
   * A profile on disk, as a user's normal window; else off the record (a Playwright `newPage()`, as a private
   * window), where Chromium keeps the origin private file system in memory.
   */
  onDisk: boolean;
}

/** The processes whose growth is told apart. */
const SPLIT_ROLES = ['renderer', 'browser', 'audio', 'utility', 'gpu'];

/** Seconds between RSS samples. */
const SAMPLE_S = 5;

/** Least-squares slope of `points` ([seconds, bytes]) in MB per minute; NaN with fewer than two. */
function slopePerMinute(points: Array<[number, number]>): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return ((num / den) * 60) / 1e6;
}

/** Decoded length of `file` in ms (ffmpeg decodes every packet; the bytes are counted as they stream). */
function decodedMs(file: string, rate: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 's16le', '-']);
    let bytes = 0;
    ffmpeg.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    ffmpeg.on('error', reject);
    ffmpeg.on('close', (code) => (code === 0 ? resolve(((bytes / 2) * 1000) / rate) : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}

/** The memory table's columns, in order (bench/report.ts reads the result files' tables by these names). */
export const MEMORY_COLUMNS = {
  encoder: 'encoder',
  keptIn: 'kept in',
  profile: 'profile',
  recorded: 'recorded',
  fileMB: 'file MB',
  heapRetained: 'page JS heap retained MB (after gc)',
  rssPeak: 'Chromium RSS growth while recording, MB (peak)',
  slope: 'RSS slope after the first minute (MB per min)',
  slopeSplit: 'of it renderer / browser / audio / utility / gpu',
  spawned: 'processes Chromium started meanwhile (not counted)',
  stop: 'stop ms',
  drift: 'decoded − audio clock ms',
  captureDrift: 'of it, captured − audio clock ms (the start and stop hops, and any quanta the worklet did not see)',
  dropped: 'frames dropped by the worklet',
  gaps: 'gaps the take reported (count, ms, causes)',
} as const;

/** Prints a markdown table of memory per variant, recording `seconds` each, `runs` fresh browsers. */
export async function benchMemory(variants: MemoryVariant[], seconds: number, runs: number): Promise<string[]> {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const rows = [
    `| ${Object.values(MEMORY_COLUMNS).join(' | ')} |`,
    `|${Object.values(MEMORY_COLUMNS).map(() => '---|').join('')}`,
  ];
  for (const { encoder, persist, onDisk } of variants) {
    const retained: number[] = [];
    const rss: number[] = [];
    const slopes: number[] = [];
    const stops: number[] = [];
    const captureErrors: number[] = [];
    const lengthErrors: number[] = [];
    const splits: string[] = [];
    const spawned: string[] = [];
    const dropped: number[] = [];
    const gapLines: string[] = [];
    let size = 0;
    for (let run = 0; run < runs; run++) {
      const folder = mkdtempSync(join(tmpdir(), 'tapedeck-memory-'));
      const flags = ['--enable-precise-memory-info', '--js-flags=--expose-gc'];
      const { close, page } = onDisk
        ? await openBenchPageOnDisk(join(folder, 'profile'), flags)
        : await openBenchPage(flags).then(({ browser, page }) => ({ close: () => browser.close(), page }));
      let sampler: ReturnType<typeof setInterval> | undefined;
      try {
        // Started first: the growth is the take's, not the start of the audio service and the capture process.
        const start = await page.evaluate(
          async ({ encoder, persist }) => {
            const w = window as unknown as { Tapedeck: typeof import('../src/index'); gc: () => void; memoryTake: unknown };
            const recorder = new w.Tapedeck.AudioRecorder({ encoder: encoder as 'wav', persist });
            w.gc();
            const heap = (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
            await recorder.startRecording();
            w.memoryTake = recorder;
            return { heap, clock: w.Tapedeck.AudioSession.instance().context.currentTime * 1000 };
          },
          { encoder, persist },
        );
        const before = chromiumProcesses();
        const rssBefore = residentOf(before, ALL_ROLES);
        const startedAt = performance.now();
        let rssPeak = 0;
        const points: Array<[number, number]> = [];
        const rolePoints = new Map<string, Array<[number, number]>>(SPLIT_ROLES.map((r) => [r, []]));
        // The processes alive at the start: Chromium starts others of its own meanwhile (on a profile on disk, its
        // on-device model service, ~100 MB, a few minutes in), told apart in their own column.
        const alive = new Set(before.map((p) => p.pid));
        const started = new Map<number, ChromiumProcess>();
        sampler = setInterval(() => {
          const all = chromiumProcesses();
          for (const p of all) if (!alive.has(p.pid)) started.set(p.pid, p);
          const now = all.filter((p) => alive.has(p.pid));
          const growth = residentOf(now, ALL_ROLES) - rssBefore;
          rssPeak = Math.max(rssPeak, growth);
          const at = (performance.now() - startedAt) / 1000;
          if (at < 60) return;
          points.push([at, growth]);
          for (const r of SPLIT_ROLES) rolePoints.get(r)!.push([at, residentOf(now, [r])]);
        }, SAMPLE_S * 1000);
        const result = await page.evaluate(
          async ({ seconds, start }) => {
            const w = window as unknown as { Tapedeck: typeof import('../src/index'); gc: () => void; memoryTake: InstanceType<typeof import('../src/index').AudioRecorder> };
            const heap = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
            const recorder = w.memoryTake;
            await new Promise((r) => setTimeout(r, seconds * 1000));
            const stopClock = w.Tapedeck.AudioSession.instance().context.currentTime * 1000;
            const stopAt = performance.now();
            const url = await recorder.stopRecording();
            const stopMs = performance.now() - stopAt;
            w.gc();
            await new Promise((r) => setTimeout(r, 200));
            w.gc();
            const rec = recorder.getTemporaryContent()!;
            const gaps = rec.gaps.map(({ ms, cause }) => ({ ms, cause }));
            const capturedMs = ((rec.stages?.capturedFrames ?? NaN) / w.Tapedeck.AudioSession.instance().context.sampleRate) * 1000;
            return { retained: heap() - start.heap, size: rec.size, url, stopMs, clockMs: stopClock - start.clock, capturedMs, sampleRate: rec.sampleRate, gaps, dropped: rec.stages?.droppedFrames ?? NaN };
          },
          { seconds, start },
        );
        clearInterval(sampler);
        // The file comes out as a download (an hour of WAV is too big to pass back as a string).
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.evaluate((url) => {
            const link = Object.assign(document.createElement('a'), { href: url, download: 'take' });
            document.body.append(link);
            link.click();
          }, result.url),
        ]);
        const file = join(folder, `take.${encoder}`);
        await download.saveAs(file);
        lengthErrors.push((await decodedMs(file, result.sampleRate)) - result.clockMs);
        captureErrors.push(result.capturedMs - result.clockMs);
        retained.push(result.retained);
        rss.push(rssPeak);
        slopes.push(slopePerMinute(points));
        stops.push(result.stopMs);
        spawned.push(started.size === 0 ? 'none' : [...started.values()].map((p) => `${p.service} ${(p.rss / 1e6).toFixed(0)} MB`).join(', '));
        splits.push(points.length < 2 ? 'n/a' : SPLIT_ROLES.map((r) => slopePerMinute(rolePoints.get(r)!).toFixed(2)).join(' / '));
        dropped.push(result.dropped);
        const causes = [...new Set(result.gaps.map((g) => g.cause))].join(', ');
        gapLines.push(`${result.gaps.length}, ${result.gaps.reduce((sum, g) => sum + g.ms, 0).toFixed(0)}${causes ? `, ${causes}` : ''}`);
        size = result.size;
      } finally {
        clearInterval(sampler);
        await close();
        rmSync(folder, { recursive: true, force: true });
      }
    }
    const slope = slopes.every(Number.isFinite) ? median(slopes).toFixed(2) : 'n/a (under a minute)';
    rows.push(
      `| ${encoder} | ${persist} | ${onDisk ? 'on disk' : 'off the record'} | ${seconds} s | ${mb(size)} | ${mb(median(retained))} | ${mb(median(rss))} | ${slope} | ${splits.join('; ')} | ${spawned.join('; ')} | ${median(stops).toFixed(1)} | ${median(lengthErrors).toFixed(1)} | ${captureErrors.every(Number.isFinite) ? median(captureErrors).toFixed(1) : 'not recorded'} | ${dropped.join('; ')} | ${gapLines.join('; ')} |`,
    );
    console.error(rows.at(-1));
  }
  return rows;
}
