// Memory: JS heap the page retains per recorded minute, against the size of the file it holds.
import { median, openBenchPage } from './browser';

/** Prints a markdown table of retained JS heap per recorded minute for `encoders`, recording `seconds` each. */
export async function benchMemory(encoders: string[], seconds: number, runs: number): Promise<string[]> {
  const rows = [
    '| encoder | recorded | file MB | JS heap retained MB (page, after gc) | retained ÷ file | peak heap growth while recording MB |',
    '|---|---|---|---|---|---|',
  ];
  for (const encoder of encoders) {
    const retained: number[] = [];
    const peaks: number[] = [];
    let size = 0;
    for (let run = 0; run < runs; run++) {
      const { browser, page } = await openBenchPage(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
      const result = await page.evaluate(
        async ({ encoder, seconds }) => {
          const T = (window as unknown as { Tapedeck: typeof import('../src/index') }).Tapedeck;
          const gc = (window as unknown as { gc: () => void }).gc;
          const heap = () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
          const recorder = new T.AudioRecorder({ encoder: encoder as 'wav' });
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
        { encoder, seconds },
      );
      retained.push(result.retained);
      peaks.push(result.peak);
      size = result.size;
      await browser.close();
    }
    const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
    rows.push(`| ${encoder} | ${seconds} s | ${mb(size)} | ${mb(median(retained))} | ${(median(retained) / size).toFixed(3)} | ${mb(median(peaks))} |`);
    console.error(rows.at(-1));
  }
  return rows;
}
