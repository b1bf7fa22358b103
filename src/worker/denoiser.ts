/**
 * Noise suppression of a take, in the encoder worker (options.denoise): the captured frames, at the capture's rate,
 * resampled to 48 kHz, cut into RNNoise's 10 ms frames per channel (codecs/rnnoise.ts), and resampled back. The
 * output is the input's length to the sample and lines up with it: RNNoise's own delay is taken out here, and the
 * resamplers add none (see dsp/resampler.ts).
 */
import { DENOISE_FRAME, DENOISE_RATE, type FrameDenoiser } from './codecs/rnnoise-frames';
import { Resampler } from './dsp/resampler';

/**
 * RNNoise's output lags its input by one frame (its overlap-add of 20 ms windows every 10 ms). Measured in node on
 * espeak-ng phrases at 48 kHz: the cross-correlation of output with input peaks at 480 samples (parabolic fit 479.85).
 */
const RNNOISE_DELAY = DENOISE_FRAME;

/** Removes noise from planar frames at any rate (an RNNoise state per channel), keeping their length and timing exactly. */
export class Denoiser {
  private readonly up: Resampler | null;
  private readonly down: Resampler | null;
  /** The frame being filled per channel, at DENOISE_RATE. */
  private readonly frame: Float32Array[];
  private fill = 0;
  /** Denoised samples still to drop at the start: RNNoise's delay. */
  private toSkip = RNNOISE_DELAY;
  private inputFrames = 0;
  private outputFrames = 0;
  /** Samples handed to RNNoise at DENOISE_RATE, and aligned samples it has given back. */
  private fed = 0;
  private aligned = 0;
  private disposed = false;

  /**
   * @param inputRate the frames' rate, Hz (8000–96000)
   * @param denoisers one RNNoise state per channel (the rnnoise codec's `openDenoiser(wasm, channels)`): released by
   *   flush() or dispose()
   */
  constructor(
    inputRate: number,
    private readonly denoisers: readonly FrameDenoiser[],
  ) {
    const channels = denoisers.length;
    this.up = inputRate === DENOISE_RATE ? null : new Resampler(inputRate, DENOISE_RATE, channels);
    this.down = inputRate === DENOISE_RATE ? null : new Resampler(DENOISE_RATE, inputRate, channels);
    this.frame = denoisers.map(() => new Float32Array(DENOISE_FRAME));
  }

  /**
   * `frames` frames, planar (one array per channel; not modified). Returns the denoised frames now ready, planar, new
   * arrays: they trail the input by up to ~21 ms (RNNoise's frame and delay, 20 ms; the resamplers' kernels, <1 ms).
   */
  process(planar: readonly Float32Array[], frames: number): Float32Array[] {
    this.inputFrames += frames;
    const at48k = this.up ? this.up.process(planar, frames) : planar.map((channel) => channel.subarray(0, frames));
    this.fed += at48k[0]!.length;
    return this.emit(this.resampleDown(this.denoise(at48k), false));
  }

  /** The input has ended: returns the rest, so that all output is exactly as long as all input; releases RNNoise. */
  flush(): Float32Array[] {
    const tail = this.up ? this.up.flush() : this.denoisers.map(() => new Float32Array(0));
    this.fed += tail[0]!.length;
    const parts = [this.denoise(tail)];
    // Silence after the end pushes RNNoise's last frames (and its delay) out.
    while (this.aligned < this.fed) parts.push(this.denoise(this.denoisers.map(() => new Float32Array(DENOISE_FRAME - this.fill))));
    const wanted = parts.reduce((n, part) => n + part[0]!.length, 0) - (this.aligned - this.fed);
    const rest = this.denoisers.map((_, c) => concat(parts.map((part) => part[c]!)).subarray(0, wanted));
    const out = this.emit(this.resampleDown(rest, true));
    const missing = this.inputFrames - this.outputFrames;
    this.dispose();
    // The down resampler gives at least as many frames as went in; this only pads if that ever changed.
    return missing > 0 ? out.map((channel) => concat([channel, new Float32Array(missing)])) : out;
  }

  /** Releases the RNNoise states (flush does it too). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const denoiser of this.denoisers) denoiser.dispose();
  }

  /** Runs every complete frame; returns the denoised samples, RNNoise's delay dropped from the start. */
  private denoise(at48k: readonly Float32Array[]): Float32Array[] {
    const frames = at48k[0]!.length;
    const complete = Math.floor((this.fill + frames) / DENOISE_FRAME);
    const skipped = Math.min(this.toSkip, complete * DENOISE_FRAME);
    const out = this.denoisers.map(() => new Float32Array(complete * DENOISE_FRAME - skipped));
    let written = -skipped;
    for (let at = 0; at < frames; ) {
      const n = Math.min(frames - at, DENOISE_FRAME - this.fill);
      for (let c = 0; c < this.frame.length; c++) this.frame[c]!.set(at48k[c]!.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill < DENOISE_FRAME) break;
      this.fill = 0;
      for (let c = 0; c < this.frame.length; c++) {
        const frame = this.frame[c]!;
        this.denoisers[c]!.process(frame);
        if (written >= 0) out[c]!.set(frame, written);
        else if (written > -DENOISE_FRAME) out[c]!.set(frame.subarray(-written), 0);
      }
      written += DENOISE_FRAME;
    }
    this.toSkip -= skipped;
    this.aligned += out[0]!.length;
    return out;
  }

  private resampleDown(at48k: Float32Array[], last: boolean): Float32Array[] {
    if (!this.down) return at48k;
    const now = this.down.process(at48k, at48k[0]!.length);
    if (!last) return now;
    const tail = this.down.flush();
    return now.map((channel, c) => concat([channel, tail[c]!]));
  }

  /** Never more in all than came in: the down resampler rounds its length up. */
  private emit(planar: Float32Array[]): Float32Array[] {
    const n = Math.min(planar[0]!.length, this.inputFrames - this.outputFrames);
    this.outputFrames += n;
    return planar.map((channel) => (n === channel.length ? channel : channel.subarray(0, n)));
  }
}

function concat(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
