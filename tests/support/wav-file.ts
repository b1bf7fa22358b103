// Test-side WAV reading (and fixture writing), apart from src/ so tests do not check tapedeck's output with tapedeck's own code.
import { writeFileSync } from 'node:fs';

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

/** Writes mono `samples` as a 16-bit PCM WAV file at `path` (test fixtures). */
export function writeMonoWav(path: string, samples: Float32Array, sampleRate: number): string {
  const bytes = Buffer.alloc(44 + samples.length * 2);
  bytes.write('RIFF', 0);
  bytes.writeUInt32LE(36 + samples.length * 2, 4);
  bytes.write('WAVEfmt ', 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(sampleRate, 24);
  bytes.writeUInt32LE(sampleRate * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(samples.length * 2, 40);
  samples.forEach((s, i) => bytes.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 32767))), 44 + i * 2));
  writeFileSync(path, bytes);
  return path;
}
