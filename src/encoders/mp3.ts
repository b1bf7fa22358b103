/**
 * MP3 with lamejs, encoding as frames arrive. The file starts with an Info frame (a placeholder of its final size)
 * that `finish()` writes over with the frame count, byte count, seek table, encoder delay and padding, so players
 * show the exact duration at once and gapless decoders give back exactly the samples recorded.
 *
 * The package is @breezystack/lamejs, a maintained fork: the original lamejs@1.2.1 throws "MPEGMode is not
 * defined" in every ES module build. Both are LGPL-3.0, so this file is its own chunk, loaded only for MP3.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { mp3InfoFrame } from '../containers/mp3-info-frame';
import { Mp3FrameSplitter, readMp3FrameHeader, type Mp3FrameHeader } from '../containers/mp3-frames';
import { floatToInt16 } from '../dsp/pcm';
import type { ByteSink, WorkerEncoder, WorkerEncoderConfig } from './worker-encoder';

/** Constant bit rates (kbit/s) of MPEG-1 Layer III (32–48 kHz) and MPEG-2/2.5 (8–24 kHz). */
const BITRATES_V1 = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** The valid constant bit rate nearest to `bitRate` (bits/s) at `sampleRate`, in kbit/s. */
export function mp3KilobitRate(bitRate: number, sampleRate: number): number {
  const table = sampleRate >= 32000 ? BITRATES_V1 : BITRATES_V2;
  const wanted = bitRate / 1000;
  return table.reduce((best, rate) => (Math.abs(rate - wanted) < Math.abs(best - wanted) ? rate : best));
}

/**
 * An MP3 encoder writing to `sink`. With a `live` sink (for `data` chunks) the frames also go there, without the
 * Info frame: its counts are known only at the end, and a zero-count Info frame reads as an empty file to players.
 */
export function createMp3Encoder(config: WorkerEncoderConfig, sink: ByteSink, live: ByteSink | null = null): WorkerEncoder {
  const kilobitRate = mp3KilobitRate(config.bitRate, config.sampleRate);
  const lame = new Mp3Encoder(config.channels, config.sampleRate, kilobitRate);
  const splitter = new Mp3FrameSplitter();
  let left = new Int16Array(0);
  let right = new Int16Array(0);
  let samples = 0;
  let frames = 0;
  let bytes = 0;
  let first: { header: Uint8Array; parsed: Mp3FrameHeader } | null = null;

  const info = (): Uint8Array => mp3InfoFrame({ firstHeader: first!.header, frames, bytes, samples, kilobitRate }, first!.parsed);
  const write = (encoded: Uint8Array) => {
    for (const frame of splitter.push(encoded)) {
      if (!first) {
        first = { header: frame.slice(0, 4), parsed: readMp3FrameHeader(frame, 0)! };
        // Append-only (uploaded as it records): no Info frame, since its counts are known only at the end.
        if (!config.appendOnly) {
          const placeholder = info();
          sink.write(placeholder);
          bytes += placeholder.length;
        }
      }
      sink.write(frame);
      live?.write(frame);
      bytes += frame.length;
      frames++;
    }
  };

  return {
    streamsSeparately: live !== null,
    framesWithin: (limit) => Math.max(0, Math.floor(((limit - 4096) * 8 * config.sampleRate) / (kilobitRate * 1000)) - 2304),
    encode(planar, count) {
      if (count === 0) return;
      if (left.length < count) {
        left = new Int16Array(count);
        right = new Int16Array(count);
      }
      for (let c = 0; c < config.channels; c++) {
        const target = c === 0 ? left : right;
        const source = planar[c]!;
        for (let i = 0; i < count; i++) target[i] = floatToInt16(source[i]!);
      }
      samples += count;
      write(lame.encodeBuffer(left.subarray(0, count), config.channels === 2 ? right.subarray(0, count) : undefined));
    },
    finish() {
      write(lame.flush());
      if (first && !config.appendOnly) sink.write(info(), 0);
    },
  };
}
