/** LAME's delay at the start of every MP3 it writes, in samples, before the decoder's own 529. */
export const LAME_DELAY = 576;

/**
 * The silent samples LAME's flush adds after `samples` (lame_encode_flush in LAME 3.100): enough to fill the last
 * `samplesPerFrame` frame, and one more frame when that would leave under 576, so the last granule decodes whole.
 */
export function lameEndPadding(samples: number, samplesPerFrame: number): number {
  const padding = samplesPerFrame - ((LAME_DELAY + samples) % samplesPerFrame);
  return padding < 576 ? padding + samplesPerFrame : padding;
}

/** The audio frames LAME writes for `samples` samples, delay and end padding included. */
export function lameFrameCount(samples: number, samplesPerFrame: number): number {
  return (LAME_DELAY + samples + lameEndPadding(samples, samplesPerFrame)) / samplesPerFrame;
}
