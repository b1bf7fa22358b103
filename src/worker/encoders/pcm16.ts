import { Int16Interleaver } from '../dsp/pcm';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoder';

/** Raw PCM: signed 16-bit little-endian, interleaved, no header. */
export function createPcm16Encoder(config: WorkerEncoderConfig, sink: ByteSink): WorkerEncoder {
  const pcm = new Int16Interleaver();
  return {
    framesWithin: (bytes) => Math.floor(bytes / (config.channels * 2)),
    encode(planar, frames) {
      if (frames > 0) sink.write(pcm.interleave(planar, frames));
    },
    finish() {},
  };
}
