/**
 * Float samples to signed 16-bit integers: clamped to [-1, 1], scaled asymmetrically (-1 → -32768,
 * +1 → 32767) and rounded to the nearest integer. NaN becomes 0, so a bad sample is silence, not noise.
 */
export function floatToInt16(sample: number): number {
  if (!(sample === sample)) return 0; // NaN
  if (sample >= 1) return 32767;
  if (sample <= -1) return -32768;
  return Math.round(sample < 0 ? sample * 32768 : sample * 32767);
}

/**
 * Interleaves planar channels (each `frames` long) into little-endian signed 16-bit bytes:
 * L0 R0 L1 R1 … for two channels.
 */
export function interleaveInt16(planar: readonly Float32Array[], frames: number): Uint8Array {
  const channels = planar.length;
  const out = new Uint8Array(frames * channels * 2);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      view.setInt16(offset, floatToInt16(planar[c]![i]!), true);
      offset += 2;
    }
  }
  return out;
}

/** The channels' mean, `frames` long (the channel itself when there is one). */
export function mixToMono(planar: readonly Float32Array[], frames: number): Float32Array {
  if (planar.length === 1) return planar[0]!.subarray(0, frames);
  const mono = new Float32Array(frames);
  for (const channel of planar) for (let i = 0; i < frames; i++) mono[i]! += channel[i]! / planar.length;
  return mono;
}
