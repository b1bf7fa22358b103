/**
 * The Info frame (the CBR spelling of the Xing header) with a LAME tag, written as the first frame of an MP3:
 * frame and byte counts and a seek table, so players know the duration at once, and the encoder delay and end
 * padding, so gapless decoders (FFmpeg, Chromium) trim the file back to exactly the samples that were encoded.
 */
import { MP3_BITRATES, type Mp3FrameHeader } from './mp3-frames';


/** Samples LAME delays the signal by, before the decoder's own 529. */
export const LAME_ENCODER_DELAY = 576;

/** What the Info frame describes. */
export interface Mp3InfoFrameFields {
  /** The first audio frame's header bytes (version, rate and channel mode are copied from them). */
  firstHeader: Uint8Array;
  /** Audio frames after the Info frame. */
  frames: number;
  /** Bytes of the whole file, the Info frame included. */
  bytes: number;
  /** Samples per channel that were encoded (the trimmed length). */
  samples: number;
  /** Constant bit rate of the stream, kbit/s (for the tag). */
  kilobitRate: number;
  /** The LAME tag's 9-character encoder string; "LAME3.100" by default. */
  encoderVersion?: string;
}

function sideInfoBytes(mpeg1: boolean, mono: boolean): number {
  if (mpeg1) return mono ? 17 : 32;
  return mono ? 9 : 17;
}

// CRC-16/ARC (polynomial 0x8005, reflected), as LAME computes its tag checksum.
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The layout of an Info frame for a stream whose first frame header is `header` / `parsed`. */
export function mp3InfoFrameLayout(header: Uint8Array, parsed: Mp3FrameHeader): { length: number; bitrateIndex: number; tagOffset: number } {
  const mpeg1 = parsed.samples === 1152;
  const tagOffset = 4 + sideInfoBytes(mpeg1, parsed.channels === 1);
  const needed = tagOffset + 120 + 36;
  const table = mpeg1 ? MP3_BITRATES.mpeg1 : MP3_BITRATES.mpeg2;
  const sizeAt = (i: number) => Math.floor(((mpeg1 ? 144 : 72) * table[i]! * 1000) / parsed.sampleRate);
  let bitrateIndex = (header[2]! >> 4) & 15;
  if (sizeAt(bitrateIndex) < needed) bitrateIndex = table.findIndex((_, i) => i > 0 && sizeAt(i) >= needed);
  return { length: sizeAt(bitrateIndex), bitrateIndex, tagOffset };
}

/** The Info frame's bytes. With `frames: 0` it is a placeholder of the final size, to be written over at the end. */
export function mp3InfoFrame(fields: Mp3InfoFrameFields, parsed: Mp3FrameHeader): Uint8Array {
  const { length, bitrateIndex, tagOffset } = mp3InfoFrameLayout(fields.firstHeader, parsed);
  const frame = new Uint8Array(length);
  const view = new DataView(frame.buffer);
  frame[0] = 0xff;
  frame[1] = fields.firstHeader[1]! | 1; // no CRC
  frame[2] = (bitrateIndex << 4) | (fields.firstHeader[2]! & 0x0c); // same rate, no padding
  frame[3] = fields.firstHeader[3]!;

  let at = tagOffset;
  frame.set([0x49, 0x6e, 0x66, 0x6f], at); // "Info"
  view.setUint32(at + 4, 0x0f, false); // frames, bytes, TOC and quality present
  view.setUint32(at + 8, fields.frames, false);
  view.setUint32(at + 12, fields.bytes, false);
  for (let i = 0; i < 100; i++) frame[at + 16 + i] = Math.floor((i / 100) * 256); // constant bit rate: linear
  view.setUint32(at + 116, 50, false); // quality (LAME's scale; informational)
  at += 120;

  const spf = parsed.samples;
  const padding = Math.max(0, fields.frames * spf - LAME_ENCODER_DELAY - fields.samples);
  frame.set([...(fields.encoderVersion ?? 'LAME3.100').padEnd(9).slice(0, 9)].map((c) => c.charCodeAt(0)), at);
  frame[at + 9] = 0x01; // tag revision 0, CBR
  frame[at + 20] = Math.min(255, fields.kilobitRate);
  frame[at + 21] = LAME_ENCODER_DELAY >> 4;
  frame[at + 22] = ((LAME_ENCODER_DELAY & 0x0f) << 4) | ((padding >> 8) & 0x0f);
  frame[at + 23] = padding & 0xff;
  view.setUint32(at + 28, fields.bytes, false); // music length
  view.setUint16(at + 34, crc16(frame.subarray(0, at + 34)), false); // CRC of the tag and everything before it
  return frame;
}
