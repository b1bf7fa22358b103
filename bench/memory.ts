// Memory over a long take: JS heap the page retains, Chromium's resident memory while recording (its peak growth and
// its slope after the first minute: flat means nothing grows with the take but its file), the stop, and whether
// the file decodes to the length the audio clock says was recorded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_ROLES, chromiumProcesses, median, openBenchPage, residentOf } from './browser';

/** One variant: a format and where the take is kept. */
export interface MemoryVariant {
  encoder: string;
  persist: 'memory' | 'opfs';
}

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

/** Prints a markdown table of memory per variant, recording `seconds` each, `runs` fresh browsers. */
export async function benchMemory(variants: MemoryVariant[], seconds: number, runs: number): Promise<string[]> {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const rows = [
    '| encoder | kept in | recorded | file MB | page JS heap retained MB (after gc) | Chromium RSS growth MB (peak) | RSS slope after the first minute (MB per min) | stop ms | decoded − audio clock ms |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { encoder, persist } of variants) {
    const retained: number[] = [];
    const rss: number[] = [];
    const slopes: number[] = [];
    const stops: number[] = [];
    const lengthErrors: number[] = [];
    let size = 0;
    for (let run = 0; run < runs; run++) {
      const { browser, page } = await openBenchPage(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
      const folder = mkdtempSync(join(tmpdir(), 'tapedeck-memory-'));
      try {
        const rssBefore = residentOf(chromiumProcesses(), ALL_ROLES);
        const startedAt = performance.now();
        let rssPeak = 0;
        const points: Array<[number, number]> = [];
        const sampler = setInterval(() => {
          const growth = residentOf(chromiumProcesses(), ALL_ROLES) - rssBefore;
          rssPeak = Math.max(rssPeak, growth);
          const at = (performance.now() - startedAt) / 1000;
          if (at >= 60) points.push([at, growth]);
        }, SAMPLE_S * 1000);
        const result = await page.evaluate(
          async ({ encoder, persist, seconds }) => {
            const T = (window as unknown as { Tapedeck: typeof import('../src/index') }).Tapedeck;
            const gc = (window as unknown as { gc: () => void }).gc;
            const heap = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
            const clock = () => T.AudioSession.instance().context.currentTime * 1000;
            const recorder = new T.AudioRecorder({ encoder: encoder as 'wav', persist });
            gc();
            const before = heap();
            await recorder.startRecording();
            const startClock = clock();
            await new Promise((r) => setTimeout(r, seconds * 1000));
            const stopClock = clock();
            const stopAt = performance.now();
            const url = await recorder.stopRecording();
            const stopMs = performance.now() - stopAt;
            gc();
            await new Promise((r) => setTimeout(r, 200));
            gc();
            const rec = recorder.getTemporaryContent()!;
            return { retained: heap() - before, size: rec.size, url, stopMs, clockMs: stopClock - startClock, sampleRate: rec.sampleRate };
          },
          { encoder, persist, seconds },
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
        retained.push(result.retained);
        rss.push(rssPeak);
        slopes.push(slopePerMinute(points));
        stops.push(result.stopMs);
        size = result.size;
      } finally {
        await browser.close();
        rmSync(folder, { recursive: true, force: true });
      }
    }
    const slope = slopes.every(Number.isFinite) ? median(slopes).toFixed(2) : 'n/a (under a minute)';
    rows.push(
      `| ${encoder} | ${persist} | ${seconds} s | ${mb(size)} | ${mb(median(retained))} | ${mb(median(rss))} | ${slope} | ${median(stops).toFixed(1)} | ${median(lengthErrors).toFixed(1)} |`,
    );
    console.error(rows.at(-1));
  }
  return rows;
}
