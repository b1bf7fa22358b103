/**
 * MP3 with LAME (WebAssembly where allowed, else lamejs: see mp3-engines.ts), encoding as frames arrive. The file starts with an Info frame (a placeholder of its final size)
 * that `finish()` writes over with the frame count, byte count, seek table, encoder delay and padding, so players
 * show the exact duration at once and gapless decoders give back exactly the samples recorded.
 *
 */
import { mp3InfoFrame } from '../containers/mp3-info-frame';
import { MP3_BITRATES, Mp3FrameSplitter, readMp3FrameHeader, type Mp3FrameHeader } from '../containers/mp3-frames';
import type { Mp3Engine } from './mp3-engines';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoder';

/** The valid constant bit rate nearest to `bitRate` (bits/s) at `sampleRate`, in kbit/s. */
export function mp3KilobitRate(bitRate: number, sampleRate: number): number {
  const table = (sampleRate >= 32000 ? MP3_BITRATES.mpeg1 : MP3_BITRATES.mpeg2).slice(1);
  const wanted = bitRate / 1000;
  return table.reduce((best, rate) => (Math.abs(rate - wanted) < Math.abs(best - wanted) ? rate : best));
}

/**
 * An MP3 encoder writing to `sink`, with `engine` made for `config` at mp3KilobitRate(). With a `live` sink (for `data` chunks) the frames also go there, without the
 * Info frame: its counts are known only at the end, and a zero-count Info frame reads as an empty file to players.
 */
export function createMp3Encoder(
  config: WorkerEncoderConfig,
  sink: ByteSink,
  live: ByteSink | null,
  lame: Mp3Engine,
): WorkerEncoder & { engine: Mp3Engine['name'] } {
  const kilobitRate = mp3KilobitRate(config.bitRate, config.sampleRate);
  const splitter = new Mp3FrameSplitter();
  let samples = 0;
  let frames = 0;
  let bytes = 0;
  let first: { header: Uint8Array; parsed: Mp3FrameHeader } | null = null;

  const info = (): Uint8Array =>
    mp3InfoFrame({ firstHeader: first!.header, frames, bytes, samples, kilobitRate, encoderVersion: lame.version }, first!.parsed);
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
    engine: lame.name,
    framesWithin: (limit) => Math.max(0, Math.floor(((limit - 4096) * 8 * config.sampleRate) / (kilobitRate * 1000)) - 2304),
    encode(planar, count) {
      if (count === 0) return;
      samples += count;
      write(lame.encode(planar, count));
    },
    finish() {
      write(lame.flush());
      if (first && !config.appendOnly) sink.write(info(), 0);
    },
  };
}
