// The tests measure signals with the testing kit's own analysis (src/testing/analysis.ts).
import { rms } from '../../src/testing/analysis';
export { dominantFrequency, longestSilence, relativeLevelDb, rms, sine } from '../../src/testing/analysis';

/** RMS per 10 ms window of `samples` at `rate` Hz: a speech envelope, comparable across rates. */
export function envelope(samples: Float32Array, rate: number): number[] {
  const size = Math.round(rate / 100);
  const out: number[] = [];
  for (let at = 0; at + size <= samples.length; at += size) out.push(rms(samples, at, at + size));
  return out;
}

/** Pearson's correlation of `a` and `b` over their common length. */
export function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (x: number[]) => x.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Spans of `samples` above 0.001 (−60 dBFS), joined across pauses under 500 ms, in ms: the phrases of a speech fixture whose silences are exact. */
export function soundSpans(samples: Float32Array, rate: number): { startMs: number; endMs: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) <= 0.001) continue;
    const last = spans.at(-1);
    if (last && i - last.end < rate / 2) last.end = i + 1;
    else spans.push({ start: i, end: i + 1 });
  }
  return spans.map(({ start, end }) => ({ startMs: (start * 1000) / rate, endMs: (end * 1000) / rate }));
}

/**
 * Where `part`'s envelope best matches `whole`'s (both 10 ms envelopes, see envelope()): the offset in ms into
 * `whole`, and the correlation there.
 */
export function findEnvelope(whole: number[], part: number[]): { atMs: number; correlation: number } {
  let best = { atMs: 0, correlation: -Infinity };
  for (let lag = 0; lag + part.length <= whole.length; lag++) {
    const c = correlation(whole.slice(lag, lag + part.length), part);
    if (c > best.correlation) best = { atMs: lag * 10, correlation: c };
  }
  return best;
}
