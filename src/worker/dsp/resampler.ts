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
/**
 * Output frames fall on a cycle of (output rate / gcd of the rates) positions between input samples (160 for 44.1 ↔
 * 48 kHz, 1 for 48 → 16 kHz). Up to this many, each position's kernel weights are worked out once and kept (a few
 * hundred KB at most), so producing a frame is a plain dot product per channel.
 */
const MAX_CACHED_PHASES = 2048;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

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
  /** Output positions per cycle (see MAX_CACHED_PHASES), input samples per cycle, and each position's weights once worked out. */
  private readonly phaseCount: number;
  private readonly phaseStep: number;
  private readonly phaseWeights: (Float32Array | undefined)[];

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
    const common = Number.isInteger(inRate) && Number.isInteger(outRate) ? gcd(inRate, outRate) : 0;
    this.phaseCount = common > 0 ? outRate / common : 0;
    this.phaseStep = common > 0 ? inRate / common : 0;
    this.phaseWeights = this.phaseCount > 0 && this.phaseCount <= MAX_CACHED_PHASES ? new Array<Float32Array | undefined>(this.phaseCount) : [];
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
    const end = this.historyStart + this.historyLength; // first absolute index not held
    const cached = this.phaseWeights.length > 0;
    for (let n = 0; n < count; n++) {
      const k = this.nextOutput + n;
      // Output k sits at input time base + phase / phaseCount; its taps are base + offset, offset from `from`.
      let base: number, from: number, weights: Float32Array;
      if (cached) {
        const position = k * this.phaseStep;
        base = Math.floor(position / this.phaseCount);
        const phase = position - base * this.phaseCount;
        weights = this.phaseWeights[phase] ??= this.weightsAt(phase / this.phaseCount);
        from = Math.ceil(phase / this.phaseCount - this.halfWidth);
      } else {
        const t = this.timeOf(k);
        base = Math.floor(t);
        weights = this.weightsAt(t - base);
        from = Math.ceil(t - base - this.halfWidth);
      }
      const first = Math.max(base + from, this.historyStart);
      const last = Math.min(base + from + weights.length - 1, end - 1);
      const skip = first - (base + from);
      for (let c = 0; c < this.channels; c++) {
        const h = this.history[c]!;
        const at = first - this.historyStart;
        let sum = 0;
        for (let j = 0; j <= last - first; j++) sum += h[at + j]! * weights[skip + j]!;
        out[c]![n] = sum;
      }
    }
    this.nextOutput += count;
    this.discardBefore(Math.ceil(this.timeOf(this.nextOutput) - this.halfWidth));
    return out;
  }

  /** The kernel's weights for an output `fraction` (0 ≤ fraction < 1) past an input sample, for its taps from ceil(fraction − halfWidth) on. */
  private weightsAt(fraction: number): Float32Array {
    const from = Math.ceil(fraction - this.halfWidth);
    const to = Math.floor(fraction + this.halfWidth);
    const weights = new Float32Array(to - from + 1);
    for (let d = from; d <= to; d++) {
      const position = Math.abs(fraction - d) * TABLE_RESOLUTION;
      const i = position | 0;
      const frac = position - i;
      weights[d - from] = this.table[i]! + frac * (this.table[i + 1]! - this.table[i]!);
    }
    return weights;
  }

  private discardBefore(absolute: number): void {
    const drop = Math.min(Math.max(0, absolute - this.historyStart), this.historyLength);
    if (drop === 0) return;
    for (const h of this.history) h.copyWithin(0, drop, this.historyLength);
    this.historyStart += drop;
    this.historyLength -= drop;
  }
}
