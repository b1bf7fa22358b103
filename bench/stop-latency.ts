// Stop latency: how long stopRecording() takes after takes of growing length, per encoder.
import { median, openBenchPage, range } from './browser';

/** Prints a markdown table of stop latency for `encoders` × `lengths` (seconds), `runs` fresh browsers each. */
export async function benchStopLatency(encoders: string[], lengths: number[], runs: number): Promise<string[]> {
  const rows = ['| encoder | recorded | stopRecording() ms | duration − page time ms | file |', '|---|---|---|---|---|'];
  for (const encoder of encoders) {
    for (const seconds of lengths) {
      const stops: number[] = [];
      const errors: number[] = [];
      let size = 0;
      for (let run = 0; run < runs; run++) {
        const { browser, page } = await openBenchPage();
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
      rows.push(`| ${encoder} | ${seconds} s | ${median(stops).toFixed(1)} (${range(stops)}) | ${median(errors).toFixed(1)} (${range(errors)}) | ${(size / 1e6).toFixed(2)} MB |`);
      console.error(rows.at(-1));
    }
  }
  return rows;
}
