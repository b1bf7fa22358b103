// Track recording: many audio tracks recorded at once by one TrackRecorder, as a video call's participants are.
import type { CDPSession } from '@playwright/test';
import { openBenchPage } from './browser';

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

type BenchWindow = { Tapedeck: typeof import('../src/index'); bench: { tracks: InstanceType<typeof import('../src/index').TrackRecorder>; ids: string[]; started: Map<string, number>; errors: Map<string, string[]>; longTasks: number[] } };

/** Prints per-track figures for `count` tracks recorded together for `seconds`, in one fresh browser. */
export async function benchTracks(count: number, seconds: number): Promise<string[]> {
  const { browser, page } = await openBenchPage();
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(async (count) => {
      const w = window as unknown as BenchWindow;
      const T = w.Tapedeck;
      const context = T.AudioSession.instance().context;
      const tracks = new T.TrackRecorder({ sessionId: 'bench' });
      const bench = { tracks, ids: Array.from({ length: count }, (_, i) => `p${i + 1}`), started: new Map<string, number>(), errors: new Map<string, string[]>(), longTasks: [] as number[] };
      w.bench = bench;
      tracks.on('error', ({ participantId, error }) => bench.errors.set(participantId, [...(bench.errors.get(participantId) ?? []), error.message]));
      for (const [i, participantId] of bench.ids.entries()) {
        const destination = context.createMediaStreamDestination();
        const oscillator = new OscillatorNode(context, { frequency: 300 + 100 * i });
        oscillator.connect(destination);
        oscillator.start();
        await tracks.startTrackRecording({ participantId, kind: 'audio', track: destination.stream.getAudioTracks()[0]! });
        bench.started.set(participantId, performance.now());
      }
      new PerformanceObserver((list) => list.getEntries().forEach((e) => bench.longTasks.push(e.duration))).observe({ type: 'longtask' });
    }, count);
    // Main-thread time while all the tracks record (start-up, stop and the checks below are outside it).
    const busyBefore = await taskSeconds(cdp);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const busyMs = ((await taskSeconds(cdp)) - busyBefore) * 1000;
    const result = await page.evaluate(async () => {
      const { bench } = window as unknown as BenchWindow;
      const longTasks = [...bench.longTasks];
      const stops: Array<{ participantId: string; elapsedMs: number; stopMs: number }> = [];
      for (const participantId of bench.ids) {
        const stopAt = performance.now();
        await bench.tracks.stopTrackRecording({ participantId, kind: 'audio' });
        stops.push({ participantId, elapsedMs: stopAt - bench.started.get(participantId)!, stopMs: performance.now() - stopAt });
      }
      const rows = [];
      for (const { participantId, elapsedMs, stopMs } of stops) {
        const files = bench.tracks.getFiles()[participantId]!.audio!;
        const audio = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(await files[0]!.blob.arrayBuffer());
        const samples = audio.getChannelData(0);
        // The longest near-silent run after the first 50 ms: a hole where frames were lost.
        let run = 0;
        let hole = 0;
        for (let i = 2400; i < samples.length; i++) {
          run = Math.abs(samples[i]!) < 0.01 ? run + 1 : 0;
          hole = Math.max(hole, run);
        }
        rows.push({ participantId, files: files.length, elapsedMs, stopMs, durationMs: files[0]!.durationMs, holeMs: (hole / 48000) * 1000, errors: bench.errors.get(participantId) ?? [] });
      }
      return { rows, longTasks };
    });
    const lines = [
      `${count} audio tracks (oscillators, Opus in WebM 48 kHz mono) recorded together for ${seconds} s by one TrackRecorder. ` +
        `Main thread while they recorded: busy ${busyMs.toFixed(0)} ms (${(busyMs / seconds).toFixed(2)} ms per second, all tracks together), ` +
        `long tasks: ${result.longTasks.length}${result.longTasks.length ? ` (longest ${Math.max(...result.longTasks).toFixed(0)} ms)` : ''}.`,
      '',
      '| track | files | stop called after (ms) | file duration (ms) | file − recorded time (ms) | longest hole in the tone (ms) | stop took (ms) | dropped-audio reports |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const row of result.rows) {
      lines.push(
        `| ${row.participantId} | ${row.files} | ${row.elapsedMs.toFixed(0)} | ${row.durationMs.toFixed(0)} | ${(row.durationMs - row.elapsedMs).toFixed(1)} | ${row.holeMs.toFixed(1)} | ${row.stopMs.toFixed(1)} | ${row.errors.length ? row.errors.join('; ') : 'none'} |`,
      );
    }
    return lines;
  } finally {
    await browser.close();
  }
}
