// Test-side WAV reading and writing, written apart from src/ so tests do not check tapedeck against itself.

/** A sine tone as 16-bit PCM WAV bytes. With a whole number of cycles per file it loops seamlessly. */
export function toneWav(options: { frequency: number | number[]; seconds: number; sampleRate: number; amplitude?: number }): Uint8Array {
  const frequencies = Array.isArray(options.frequency) ? options.frequency : [options.frequency];
  const channels = frequencies.length;
  const frames = Math.round(options.seconds * options.sampleRate);
  const amplitude = options.amplitude ?? 0.5;
  const bytes = new Uint8Array(44 + frames * channels * 2);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, s: string) => [...s].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + frames * channels * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, frames * channels * 2, true);
  for (let i = 0; i < frames; i++) {
    frequencies.forEach((f, c) => {
      const s = amplitude * Math.sin((2 * Math.PI * f * i) / options.sampleRate);
      view.setInt16(44 + (i * channels + c) * 2, Math.round(s * 32767), true);
    });
  }
  return bytes;
}

/** What a PCM WAV file says about itself, and its samples as floats per channel. */
export interface ParsedWav {
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  riffSize: number;
  dataSize: number;
  samples: Float32Array[];
}

/** Parses a 16-bit PCM WAV, walking its chunks. Throws on anything else. */
export function parseWav(bytes: Uint8Array): ParsedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let fmt: Omit<ParsedWav, 'riffSize' | 'dataSize' | 'samples'> | null = null;
  while (offset + 8 <= bytes.length) {
    const id = text(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      fmt = {
        format: view.getUint16(offset + 8, true),
        channels: view.getUint16(offset + 10, true),
        sampleRate: view.getUint32(offset + 12, true),
        byteRate: view.getUint32(offset + 16, true),
        blockAlign: view.getUint16(offset + 20, true),
        bitsPerSample: view.getUint16(offset + 22, true),
      };
    } else if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.bitsPerSample !== 16) throw new Error('not 16-bit PCM');
      // A streaming header's size says "to the end of the file", as decoders read it.
      const frames = Math.floor(Math.min(size, bytes.length - offset - 8) / fmt.blockAlign);
      const samples = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < fmt.channels; c++) {
          samples[c]![i] = view.getInt16(offset + 8 + (i * fmt.channels + c) * 2, true) / 32768;
        }
      }
      return { ...fmt, riffSize: view.getUint32(4, true), dataSize: size, samples };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}
