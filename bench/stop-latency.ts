// Stop latency: how long stopRecording() takes after takes of growing length, per encoder.
import { median, openBenchPage, range } from './browser';
import { installTimedStop, type StopPieces, type TimedStopWindow } from './compare';

/** Prints a markdown table of stop latency for `encoders` × `lengths` (seconds), `runs` fresh browsers each. */
export async function benchStopLatency(encoders: string[], lengths: number[], runs: number): Promise<string[]> {
  const rows = [
    "| encoder | recorded | stopRecording() ms | audio thread hop | → worker's file back (its tail; of it finishing the file) | → URL handed over (of it URL.createObjectURL) | duration − page time ms | file |",
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const encoder of encoders) {
    for (const seconds of lengths) {
      const stops: number[] = [];
      const errors: number[] = [];
      const pieces: StopPieces[] = [];
      let size = 0;
      for (let run = 0; run < runs; run++) {
        const { browser, page } = await openBenchPage();
        await page.evaluate(installTimedStop);
        const result = await page.evaluate(
          async ({ encoder, seconds }) => {
            const w = window as unknown as { Tapedeck: typeof import('../src/index') } & TimedStopWindow;
            const recorder = new w.Tapedeck.AudioRecorder({ encoder: encoder as 'wav' });
            await recorder.startRecording();
            const started = performance.now();
            await new Promise((r) => setTimeout(r, seconds * 1000));
            const { stopAt, stopDoneAt, pieces } = await w.timedStop(() => recorder.stopRecording());
            const rec = recorder.getTemporaryContent()!;
            return { stopMs: stopDoneAt - stopAt, pieces, durationErrorMs: rec.durationMs - (stopAt - started), size: rec.size };
          },
          { encoder, seconds },
        );
        stops.push(result.stopMs);
        errors.push(result.durationErrorMs);
        if (result.pieces) pieces.push(result.pieces);
        size = result.size;
        await browser.close();
      }
      const piece = (name: keyof StopPieces) => (pieces.length ? median(pieces.map((p) => p[name])).toFixed(1) : '?');
      rows.push(
        `| ${encoder} | ${seconds} s | ${median(stops).toFixed(1)} (${range(stops)}) | ${piece('audioThread')} | ${piece('worker')} (${piece('workerTail')}; ${piece('workerFile')}) | ${piece('handOver')} (${piece('objectUrl')}) | ${median(errors).toFixed(1)} (${range(errors)}) | ${(size / 1e6).toFixed(2)} MB |`,
      );
      console.error(rows.at(-1));
    }
  }
  return rows;
}
