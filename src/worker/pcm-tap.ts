/**
 * A take's second output, in the encoder worker: the captured frames mixed to the tap's channels, resampled
 * (band-limited: nothing above the tap's Nyquist frequency folds back) to its rate, and posted to the main thread in
 * chunks of `chunkFrames`, as 32-bit floats or 16-bit integers, while the file is encoded from the same frames. For
 * speech-to-text engines, which want 16 kHz mono as it is spoken.
 */
import { Resampler } from './dsp/resampler';
import { floatToInt16, mixToMono } from './dsp/pcm';
import type { TapConfig } from './protocol';

/** Sends one chunk (interleaved samples in `data`, `frames` long) to the main thread. */
export type PostTap = (data: ArrayBuffer, frames: number) => void;

export class PcmTap {
  private readonly resampler: Resampler;
  /** Interleaved output not yet posted. */
  private pending: Float32Array;
  private pendingFrames = 0;

  constructor(
    private readonly config: TapConfig,
    inputRate: number,
    private readonly inputChannels: number,
    private readonly post: PostTap,
  ) {
    // Stereo from a mono input is resampled once and written to both sides.
    this.resampler = new Resampler(inputRate, config.sampleRate, Math.min(config.channels, inputChannels));
    this.pending = new Float32Array(config.chunkFrames * config.channels);
  }

  /** `frames` captured frames, planar at the input's rate and channels. */
  push(planar: readonly Float32Array[], frames: number): void {
    this.take(this.resampler.process(this.mix(planar, frames), frames));
  }

  /** The input has ended: the resampler's last frames, and whatever is pending, go out. */
  flush(): void {
    this.take(this.resampler.flush());
    if (this.pendingFrames > 0) this.send();
  }

  /** The input in the resampler's channels: mono is the channels' mean. */
  private mix(planar: readonly Float32Array[], frames: number): Float32Array[] {
    if (this.config.channels === 1) return [mixToMono(planar, frames)];
    return planar.map((channel) => channel.subarray(0, frames));
  }

  private take(planar: Float32Array[]): void {
    const frames = planar[0]?.length ?? 0;
    const { channels, chunkFrames } = this.config;
    for (let i = 0; i < frames; ) {
      const n = Math.min(frames - i, chunkFrames - this.pendingFrames);
      for (let c = 0; c < channels; c++) {
        const source = planar[Math.min(c, planar.length - 1)]!; // a mono input fills both sides
        for (let k = 0; k < n; k++) this.pending[(this.pendingFrames + k) * channels + c] = source[i + k]!;
      }
      this.pendingFrames += n;
      i += n;
      if (this.pendingFrames === chunkFrames) this.send();
    }
  }

  private send(): void {
    const samples = this.pending.subarray(0, this.pendingFrames * this.config.channels);
    let data: ArrayBuffer;
    if (this.config.format === 's16') {
      const ints = new Int16Array(samples.length);
      for (let i = 0; i < samples.length; i++) ints[i] = floatToInt16(samples[i]!);
      data = ints.buffer;
    } else data = samples.slice().buffer;
    this.post(data, this.pendingFrames);
    this.pendingFrames = 0;
  }
}
