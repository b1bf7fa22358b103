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
 * L0 R0 L1 R1 … for two channels. Written into `into` when it is large enough (the result is then a view of it),
 * else into a new array.
 */
export function interleaveInt16(planar: readonly Float32Array[], frames: number, into?: Uint8Array): Uint8Array {
  const channels = planar.length;
  const length = frames * channels * 2;
  const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  const view = new DataView(out.buffer, out.byteOffset, length);
  let offset = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      view.setInt16(offset, floatToInt16(planar[c]![i]!), true);
      offset += 2;
    }
  }
  return out;
}

/**
 * Interleaves chunk after chunk into one reused array (growing to the largest chunk), as 16-bit PCM encoders do: a
 * sink does not keep the bytes it is given (sinks/sink.ts), so the encoder makes no garbage per chunk (at 44.1 kHz
 * stereo a new array each chunk was ~10.6 MB a minute for the worker's garbage collector).
 */
export class Int16Interleaver {
  private buffer = new Uint8Array(0);

  /** The chunk's bytes, valid until the next call. */
  interleave(planar: readonly Float32Array[], frames: number): Uint8Array {
    const length = frames * planar.length * 2;
    if (this.buffer.length < length) this.buffer = new Uint8Array(length);
    return interleaveInt16(planar, frames, this.buffer);
  }
}

/** The channels' mean, `frames` long (the channel itself when there is one). */
export function mixToMono(planar: readonly Float32Array[], frames: number): Float32Array {
  if (planar.length === 1) return planar[0]!.subarray(0, frames);
  const mono = new Float32Array(frames);
  for (const channel of planar) for (let i = 0; i < frames; i++) mono[i]! += channel[i]! / planar.length;
  return mono;
}
