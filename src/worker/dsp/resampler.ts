/**
 * A streaming, band-limited sample-rate converter: Kaiser-windowed sinc interpolation from a
 * precomputed kernel table. Feed planar chunks with `process()`, then call `flush()` once.
 *
 * Output sample k sits exactly at input time k · inRate / outRate (no delay), and the whole stream yields
 * exactly ceil(inputFrames · outRate / inRate) frames, so a recording's duration survives resampling.
 * When downsampling, the cutoff moves below the output's Nyquist frequency so nothing aliases.
 */

/** Zero crossings of the sinc on each side: the kernel's length, and so its steepness. */
const ZERO_CROSSINGS = 16;
/** Kernel table points per input sample (linear interpolation in between). */
const TABLE_RESOLUTION = 512;
/** Kaiser window β: about −90 dB side lobes. */
const KAISER_BETA = 8.6;
/** Cutoff as a fraction of the lower Nyquist frequency, leaving room for the transition band. */
const CUTOFF = 0.94;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export class Resampler {
  /** Input frames per output frame. */
  private readonly step: number;
  /** Kernel half-width, in input samples. */
  private readonly halfWidth: number;
  private readonly table: Float32Array;
  private readonly passthrough: boolean;

  private history: Float32Array[];
  /** Absolute input index of history[c][0]. */
  private historyStart = 0;
  private historyLength = 0;
  private inputFrames = 0;
  /** Absolute index of the next output frame. */
  private nextOutput = 0;

  /** @param inRate input Hz @param outRate output Hz @param channels channel count */
  constructor(
    readonly inRate: number,
    readonly outRate: number,
    readonly channels: number,
  ) {
    this.step = inRate / outRate;
    this.passthrough = inRate === outRate;
    const cutoff = CUTOFF * Math.min(1, outRate / inRate);
    this.halfWidth = ZERO_CROSSINGS / cutoff;
    const size = Math.ceil(this.halfWidth * TABLE_RESOLUTION) + 2;
    this.table = new Float32Array(size);
    const norm = besselI0(KAISER_BETA);
    for (let i = 0; i < size; i++) {
      const x = i / TABLE_RESOLUTION;
      const r = x / this.halfWidth;
      if (r >= 1) continue;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
      this.table[i] = cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm);
    }
    this.history = Array.from({ length: channels }, () => new Float32Array(4096));
  }

  /** Consumes `frames` frames of planar input; returns the output frames now ready (possibly none). */
  process(planar: readonly Float32Array[], frames: number): Float32Array[] {
    if (this.passthrough) {
      this.inputFrames += frames;
      return planar.map((channel) => channel.slice(0, frames));
    }
    this.append(planar, frames);
    this.inputFrames += frames;
    // Ready when the kernel's right edge has arrived: output k needs inputs up to floor(t_k + halfWidth).
    return this.produce((k) => Math.floor(this.timeOf(k) + this.halfWidth) < this.inputFrames);
  }

  /** Ends the stream: returns the last frames, computed as if silence followed the input. */
  flush(): Float32Array[] {
    if (this.passthrough) return Array.from({ length: this.channels }, () => new Float32Array(0));
    const total = Math.ceil((this.inputFrames * this.outRate) / this.inRate - 1e-9);
    const pad = Math.ceil(this.halfWidth) + 2;
    this.append(
      Array.from({ length: this.channels }, () => new Float32Array(pad)),
      pad,
    );
    return this.produce((k) => k < total);
  }

  /** Input position of output frame k, computed without accumulated rounding error. */
  private timeOf(k: number): number {
    return (k * this.inRate) / this.outRate;
  }

  private append(planar: readonly Float32Array[], frames: number): void {
    const needed = this.historyLength + frames;
    if (needed > this.history[0]!.length) {
      const capacity = Math.max(needed, this.history[0]!.length * 2);
      this.history = this.history.map((old) => {
        const grown = new Float32Array(capacity);
        grown.set(old.subarray(0, this.historyLength));
        return grown;
      });
    }
    for (let c = 0; c < this.channels; c++) {
      this.history[c]!.set(planar[c]!.subarray(0, frames), this.historyLength);
    }
    this.historyLength += frames;
  }

  private produce(ready: (k: number) => boolean): Float32Array[] {
    let count = 0;
    while (ready(this.nextOutput + count)) count++;
    const out = Array.from({ length: this.channels }, () => new Float32Array(count));
    const { table, halfWidth } = this;
    const end = this.historyStart + this.historyLength; // first absolute index not held
    for (let n = 0; n < count; n++) {
      const t = this.timeOf(this.nextOutput + n);
      const first = Math.max(Math.ceil(t - halfWidth), this.historyStart);
      const last = Math.min(Math.floor(t + halfWidth), end - 1);
      for (let c = 0; c < this.channels; c++) {
        const h = this.history[c]!;
        let sum = 0;
        for (let j = first; j <= last; j++) {
          const position = Math.abs(t - j) * TABLE_RESOLUTION;
          const i = position | 0;
          const frac = position - i;
          sum += h[j - this.historyStart]! * (table[i]! + frac * (table[i + 1]! - table[i]!));
        }
        out[c]![n] = sum;
      }
    }
    this.nextOutput += count;
    this.discardBefore(Math.ceil(this.timeOf(this.nextOutput) - halfWidth));
    return out;
  }

  private discardBefore(absolute: number): void {
    const drop = Math.min(Math.max(0, absolute - this.historyStart), this.historyLength);
    if (drop === 0) return;
    for (const h of this.history) h.copyWithin(0, drop, this.historyLength);
    this.historyStart += drop;
    this.historyLength -= drop;
  }
}
