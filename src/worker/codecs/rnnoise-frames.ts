/** What the noise-suppression codec file and the worker that loads it agree on (types and constants only). */

/** The only rate RNNoise runs at: its bands and its network were built for 48 kHz. */
export const DENOISE_RATE = 48_000;
/** RNNoise's frame: 10 ms at DENOISE_RATE. */
export const DENOISE_FRAME = 480;

/** One channel's RNNoise state: takes each 10 ms frame in turn and gives it back with the noise taken out. */
export interface FrameDenoiser {
  /** `frame`: DENOISE_FRAME float samples (±1 full scale) at DENOISE_RATE, replaced in place by the denoised frame. */
  process(frame: Float32Array): void;
  dispose(): void;
}
