// Where a recording's audio sits in the bench input, found by cross-correlation: what a recorder lost or
// invented inside the take, measured on the audio itself rather than against the page's clock.
//
// The input is two steady tones over a fixed noise sequence (bench/input.ts). The tones repeat every few ms, so they
// are projected out of each window first and only the noise is matched: every half second of it is unique. The file
// is cut into windows 1 s apart; each is found in the input (read as a loop: a rough search at 750 Hz where it could
// be anywhere, a coarse one at 6 kHz, then exact at 48 kHz). If the file is continuous, consecutive windows are as far apart in the input as in the file; a
// difference is audio the recorder dropped (the input moved on further) or invented (it moved on less).
import { INPUT_RATE, INPUT_TONES } from './input';

/**
 * Decimation of the coarse search (and of the rough one that first looks everywhere in a long input), window length
 * (a whole number of both tones' cycles) and spacing, in samples.
 */
const COARSE = 8;
const ROUGH = 8;
const WINDOW = INPUT_RATE / 2;
const STEP = INPUT_RATE;
/** How far from its expected place a window is looked for first (then everywhere), in samples. */
const NEAR = INPUT_RATE / 20;
/** Normalised correlation below which a window matched nothing (silence, a codec's start); chance is ~0.02. */
const MIN_MATCH = 0.2;

export interface Alignment {
  /** Input the file skipped (> 0) or invented/repeated (< 0), between its first and last matched window, in ms. */
  lostMs: number;
  /** Windows matched, and windows that matched nothing. */
  matched: number;
  unmatched: number;
  /** Input time between the first and last matched window, in ms. */
  inputSpanMs: number;
}

/** `x` without the bench's tones (least squares; the window holds whole cycles, so the basis is orthogonal). */
function withoutTones(x: Float32Array): Float32Array {
  const out = Float32Array.from(x);
  for (const hz of INPUT_TONES) {
    const w = (2 * Math.PI * hz) / INPUT_RATE;
    let s = 0;
    let c = 0;
    for (let i = 0; i < x.length; i++) {
      s += x[i]! * Math.sin(w * i);
      c += x[i]! * Math.cos(w * i);
    }
    s *= 2 / x.length;
    c *= 2 / x.length;
    for (let i = 0; i < x.length; i++) out[i]! -= s * Math.sin(w * i) + c * Math.cos(w * i);
  }
  return out;
}

function decimate(x: Float32Array, by = COARSE): Float32Array {
  const out = new Float32Array(Math.floor(x.length / by));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let k = 0; k < by; k++) sum += x[i * by + k]!;
    out[i] = sum / by;
  }
  return out;
}

/** Best lag of `window` in the looped `input` among `lags`, with its normalised correlation. */
function bestLag(input: Float32Array, window: Float32Array, lags: Iterable<number>): { lag: number; score: number } {
  let windowEnergy = 0;
  for (const v of window) windowEnergy += v * v;
  let best = { lag: 0, score: -Infinity };
  const n = input.length;
  for (const raw of lags) {
    const lag = ((raw % n) + n) % n;
    let dot = 0;
    let energy = 0;
    for (let i = 0, j = lag; i < window.length; i++, j = j + 1 === n ? 0 : j + 1) {
      const v = input[j]!;
      dot += v * window[i]!;
      energy += v * v;
    }
    const score = dot / Math.sqrt(energy * windowEnergy + 1e-20);
    if (score > best.score) best = { lag, score };
  }
  return best;
}

function* around(centre: number, radius: number): Generator<number> {
  for (let d = -radius; d <= radius; d++) yield centre + d;
}

function* everywhere(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** The input's noise, at full, coarse and rough rate (what windows are matched against). */
export interface InputNoise {
  fine: Float32Array;
  coarse: Float32Array;
  rough: Float32Array;
}

/** Prepares `input` (mono, 48 kHz, one loop) for alignWithInput. */
export function inputNoise(input: Float32Array): InputNoise {
  const fine = new Float32Array(input.length);
  for (let at = 0; at < input.length; at += WINDOW) fine.set(withoutTones(input.subarray(at, at + WINDOW)), at);
  const coarse = decimate(fine);
  return { fine, coarse, rough: decimate(coarse, ROUGH) };
}

/** Position (samples, modulo the loop) of `window` in the input, near `guess` if given; null if nothing matches. */
function locate(noise: InputNoise, window: Float32Array, guess: number | null): number | null {
  const residual = withoutTones(window);
  if (residual.every((v) => Math.abs(v) < 1e-4)) return null; // silence (below the 16-bit input's noise floor): nothing to find
  const small = decimate(residual);
  let coarse;
  if (guess !== null) coarse = bestLag(noise.coarse, small, around(Math.round(guess / COARSE), NEAR / COARSE));
  else {
    // Everywhere: roughly first (64× fewer products), checked at the coarse rate; if that fails, at the coarse rate.
    const rough = bestLag(noise.rough, decimate(small, ROUGH), everywhere(noise.rough.length));
    coarse = bestLag(noise.coarse, small, around(rough.lag * ROUGH, 2 * ROUGH));
    if (coarse.score < MIN_MATCH) coarse = bestLag(noise.coarse, small, everywhere(noise.coarse.length));
  }
  if (coarse.score < MIN_MATCH) return null;
  const fine = bestLag(noise.fine, residual, around(coarse.lag * COARSE, 2 * COARSE));
  return fine.score < MIN_MATCH ? null : fine.lag;
}

/** Aligns `file` (mono, 48 kHz) with the looped input: what it lost or invented between its first and last window. */
export function alignWithInput(noise: InputNoise, file: Float32Array): Alignment {
  const loop = noise.fine.length;
  let lost = 0;
  let span = 0;
  let matched = 0;
  let unmatched = 0;
  let last: { at: number; pos: number } | null = null;
  for (let at = Math.min(STEP / 2, Math.max(0, file.length - WINDOW)); at + WINDOW <= file.length; at += STEP) {
    const window = file.subarray(at, at + WINDOW);
    const pos: number | null = (last ? locate(noise, window, last.pos + (at - last.at)) : null) ?? locate(noise, window, null);
    if (pos === null) {
      unmatched++;
      if (matched === 0 && unmatched >= 3) break; // a file of silence: each search everywhere costs a second
      continue;
    }
    matched++;
    if (last) {
      // The input moved on by `moved` (unwrapped to the loop turn nearest the file's own advance).
      const fileMoved = at - last.at;
      let moved = pos - last.pos;
      moved += Math.round((fileMoved - moved) / loop) * loop;
      lost += moved - fileMoved;
      span += moved;
    }
    last = { at, pos };
  }
  return { lostMs: (lost / INPUT_RATE) * 1000, matched, unmatched, inputSpanMs: (span / INPUT_RATE) * 1000 };
}
