// Memory: JS heap the page retains, and the growth of Chromium's resident memory, while and after recording.
import { chromiumProcesses, median, openBenchPage } from './browser';

/** One variant: a format and where the take is kept. */
export interface MemoryVariant {
  encoder: string;
  persist: 'memory' | 'opfs';
}

/** Prints a markdown table of memory per variant, recording `seconds` each, `runs` fresh browsers. */
export async function benchMemory(variants: MemoryVariant[], seconds: number, runs: number): Promise<string[]> {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const rows = [
    '| encoder | kept in | recorded | file MB | page JS heap retained MB (after gc) | retained ÷ file | peak heap growth MB | Chromium RSS growth MB (peak) | RSS growth per recorded minute MB |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { encoder, persist } of variants) {
    const retained: number[] = [];
    const peaks: number[] = [];
    const rss: number[] = [];
    let size = 0;
    for (let run = 0; run < runs; run++) {
      const { browser, page } = await openBenchPage(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
      const rssBefore = chromiumProcesses().rss;
      let rssPeak = 0;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, chromiumProcesses().rss - rssBefore)), 1000);
      const result = await page.evaluate(
        async ({ encoder, persist, seconds }) => {
          const T = (window as unknown as { Tapedeck: typeof import('../src/index') }).Tapedeck;
          const gc = (window as unknown as { gc: () => void }).gc;
          const heap = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
          const recorder = new T.AudioRecorder({ encoder: encoder as 'wav', persist });
          gc();
          const before = heap();
          let peak = 0;
          const sample = setInterval(() => (peak = Math.max(peak, heap() - before)), 250);
          await recorder.startRecording();
          await new Promise((r) => setTimeout(r, seconds * 1000));
          await recorder.stopRecording();
          clearInterval(sample);
          gc();
          await new Promise((r) => setTimeout(r, 200));
          gc();
          return { retained: heap() - before, peak, size: recorder.getTemporaryContent()!.size };
        },
        { encoder, persist, seconds },
      );
      clearInterval(sampler);
      retained.push(result.retained);
      peaks.push(result.peak);
      rss.push(rssPeak);
      size = result.size;
      await browser.close();
    }
    rows.push(
      `| ${encoder} | ${persist} | ${seconds} s | ${mb(size)} | ${mb(median(retained))} | ${(median(retained) / size).toFixed(3)} | ${mb(median(peaks))} | ${mb(median(rss))} | ${mb((median(rss) / seconds) * 60)} |`,
    );
    console.error(rows.at(-1));
  }
  return rows;
}
