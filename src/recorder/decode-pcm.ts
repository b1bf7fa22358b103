/** Signed 16-bit little-endian interleaved bytes → one Float32Array per channel (−32768 → −1). */
function deinterleaveInt16(bytes: Uint8Array, channels: number): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = Math.floor(bytes.byteLength / (2 * channels));
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out[c]![i] = view.getInt16((i * channels + c) * 2, true) / 32768;
  }
  return out;
}

/** The bytes of a RIFF/WAVE file's data chunk. */
function wavData(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
    const size = view.getUint32(offset + 4, true);
    if (id === 'data') return bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new Error('The WAV file has no data chunk.');
}

/**
 * A recording's samples, one Float32Array per channel. WAV and raw PCM16 are read directly; other formats
 * are decoded by the browser at the recording's own rate (so nothing is resampled).
 */
export async function decodePcm(blob: Blob, sampleRate: number, channels: number): Promise<Float32Array[]> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (blob.type === 'audio/wav') return deinterleaveInt16(wavData(bytes), channels);
  if (blob.type.startsWith('audio/pcm')) return deinterleaveInt16(bytes, channels);
  const audio = await new OfflineAudioContext(channels, 1, sampleRate).decodeAudioData(bytes.buffer);
  return Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c).slice());
}
