/** MPEG audio Layer III frame headers: reading them, and cutting a byte stream into whole frames. */

/**
 * Layer III bit rates in kbit/s by a frame header's bitrate index (0 is "free", unused): MPEG-1 (32–48 kHz), and
 * MPEG-2 and 2.5 (8–24 kHz). The one table of them: the encoder's rate choice and the Info frame read it too.
 */
export const MP3_BITRATES = { mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320], mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] } as const;
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** What one frame header says. */
export interface Mp3FrameHeader {
  /** Bytes in the whole frame, header included. */
  length: number;
  /** PCM frames (per channel) the frame decodes to: 1152 for MPEG-1, 576 for MPEG-2 and 2.5. */
  samples: number;
  sampleRate: number;
  /** kbit/s. */
  bitRate: number;
  channels: 1 | 2;
}

/** The Layer III frame header at `offset`, or null if there is none there. */
export function readMp3FrameHeader(bytes: Uint8Array, offset: number): Mp3FrameHeader | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = (b1 >> 1) & 3; // 1: Layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const v1 = version === 3;
  const bitRate = (v1 ? MP3_BITRATES.mpeg1 : MP3_BITRATES.mpeg2)[bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const length = Math.floor(((v1 ? 144 : 72) * bitRate * 1000) / sampleRate) + padding;
  const channels = (bytes[offset + 3]! >> 6) === 3 ? 1 : 2;
  return { length, samples: v1 ? 1152 : 576, sampleRate, bitRate, channels };
}

/** Cuts a stream of MP3 bytes, arriving in arbitrary pieces, into whole frames. */
export class Mp3FrameSplitter {
  private pending = new Uint8Array(0);

  /** Adds bytes; returns the frames now complete. Bytes before the first frame header are skipped. */
  push(bytes: Uint8Array): Uint8Array[] {
    const data = new Uint8Array(this.pending.length + bytes.length);
    data.set(this.pending);
    data.set(bytes, this.pending.length);
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset + 4 <= data.length) {
      const header = readMp3FrameHeader(data, offset);
      if (!header) {
        offset++; // resynchronise
        continue;
      }
      if (offset + header.length > data.length) break;
      frames.push(data.slice(offset, offset + header.length));
      offset += header.length;
    }
    this.pending = data.slice(offset);
    return frames;
  }

  /** Bytes held back because they do not make a whole frame yet. */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
