/** Bytes in the canonical RIFF/WAVE header tapedeck writes. */
export const WAV_HEADER_BYTES = 44;

/** What a WAV header describes. */
export interface WavFormat {
  /** Hz. */
  sampleRate: number;
  channels: number;
  /** Bits per sample; tapedeck writes 16. */
  bitsPerSample: number;
}

/**
 * The 44-byte header of a PCM WAV file whose data chunk holds `dataBytes` bytes. While a recording is
 * still growing, pass 0xffffffff - 36 or any placeholder and write the real header at the end.
 */
export function wavHeader(format: WavFormat, dataBytes: number): Uint8Array {
  const { sampleRate, channels, bitsPerSample } = format;
  const blockAlign = (channels * bitsPerSample) / 8;
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  // RIFF sizes are 32-bit: a file over 4 GiB cannot say its size, so clamp rather than wrap around.
  const riffSize = Math.min(0xffffffff, 36 + dataBytes);
  ascii(0, 'RIFF');
  view.setUint32(4, riffSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, Math.min(0xffffffff - 36, dataBytes), true);
  return header;
}
