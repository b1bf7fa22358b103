// Signal measurements for tests: dominant frequency (FFT with interpolation) and levels. Pure functions: node and browser.

function fftMagnitudes(samples: Float32Array, size: number): Float64Array {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const n = Math.min(samples.length, size);
  for (let i = 0; i < n; i++) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1))); // Hann
  for (let i = 1, j = 0; i < size; i++) {
    let bit = size >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= size; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    for (let i = 0; i < size; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
  const mags = new Float64Array(size / 2);
  for (let i = 0; i < size / 2; i++) mags[i] = Math.hypot(re[i]!, im[i]!);
  return mags;
}

/** The strongest frequency in `samples`, in Hz, to a fraction of a bin (parabolic interpolation of log magnitudes). */
export function dominantFrequency(samples: Float32Array, sampleRate: number): number {
  let size = 1;
  while (size < samples.length) size <<= 1;
  size = Math.max(size, 1 << 16); // zero-pad: bins under 1 Hz at 48 kHz
  const mags = fftMagnitudes(samples, size);
  let peak = 1;
  for (let i = 2; i < mags.length - 1; i++) if (mags[i]! > mags[peak]!) peak = i;
  const [a, b, c] = [mags[peak - 1]!, mags[peak]!, mags[peak + 1]!].map((m) => Math.log(m + 1e-20)) as [number, number, number];
  const offset = (0.5 * (a - c)) / (a - 2 * b + c);
  return ((peak + offset) * sampleRate) / size;
}

/** Spectral magnitude near `frequency` relative to the strongest peak, in dB (0 = the strongest). */
export function relativeLevelDb(samples: Float32Array, sampleRate: number, frequency: number): number {
  let size = 1;
  while (size < samples.length) size <<= 1;
  const mags = fftMagnitudes(samples, size);
  const bin = Math.round((frequency * size) / sampleRate);
  let near = 0;
  for (let i = Math.max(0, bin - 3); i <= Math.min(mags.length - 1, bin + 3); i++) near = Math.max(near, mags[i]!);
  let max = 0;
  for (const m of mags) max = Math.max(max, m);
  return 20 * Math.log10(near / max);
}

/** Root mean square of `samples` between `from` and `to`. */
export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * The longest run of near-silent samples (|x| < `threshold`) in `samples` from index `from`: a hole in a recording of a
 * continuous tone. A 440 Hz sine crosses zero briefly, so holes of a few samples are the tone's own.
 */
export function longestSilence(samples: Float32Array, from = 0, threshold = 0.01): { length: number; endsAt: number } {
  let run = 0;
  let longest = { length: 0, endsAt: from };
  for (let i = from; i < samples.length; i++) {
    run = Math.abs(samples[i]!) < threshold ? run + 1 : 0;
    if (run > longest.length) longest = { length: run, endsAt: i };
  }
  return longest;
}

/** A sine of `frequency` Hz, amplitude `amplitude`, `seconds` long at `sampleRate`. */
export function sine(frequency: number, seconds: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}
