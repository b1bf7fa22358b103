/**
 * tapedeck's own processing of a take's audio, in the encoder worker, before anything else there sees it: RNNoise
 * (options.denoise, denoiser.ts), then the software auto gain (options.autoGain 'software', auto-gain.ts). The file,
 * the tap and the voice activity all get what comes out; it is the input's length to the sample and lines up with it,
 * handed on a little later (RNNoise's 10 ms frame and delay, and its resamplers'; flush() gives the rest).
 */
import { Denoiser } from './denoiser';
import { AutoGain } from './auto-gain';
import type { FrameDenoiser } from './codecs/rnnoise-frames';

export class VoiceStages {
  private readonly denoiser: Denoiser | null;
  private readonly gain: AutoGain | null;

  /** @param denoisers one RNNoise state per channel, or null for no noise suppression */
  constructor(inputRate: number, denoisers: readonly FrameDenoiser[] | null, autoGain: boolean) {
    this.denoiser = denoisers && new Denoiser(inputRate, denoisers);
    this.gain = autoGain ? new AutoGain(inputRate) : null;
  }

  /** `frames` input frames, planar; returns the processed frames now ready (planar, possibly fewer). */
  process(planar: readonly Float32Array[], frames: number): Float32Array[] {
    const out = this.denoiser ? this.denoiser.process(planar, frames) : planar.map((channel) => channel.subarray(0, frames));
    this.gain?.process(out, out[0]?.length ?? 0);
    return out;
  }

  /** The input has ended: the rest of the processed frames. */
  flush(): Float32Array[] {
    const out = this.denoiser ? this.denoiser.flush() : [];
    if (out.length > 0) this.gain?.process(out, out[0]!.length);
    return out;
  }

  /** Lets RNNoise go (a take that failed or was cancelled). */
  dispose(): void {
    this.denoiser?.dispose();
  }
}
