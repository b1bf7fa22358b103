import { interleaveInt16 } from '../dsp/pcm';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoder';

/** Raw PCM: signed 16-bit little-endian, interleaved, no header. */
export function createPcm16Encoder(config: WorkerEncoderConfig, sink: ByteSink): WorkerEncoder {
  return {
    framesWithin: (bytes) => Math.floor(bytes / (config.channels * 2)),
    encode(planar, frames) {
      if (frames > 0) sink.write(interleaveInt16(planar, frames));
    },
    finish() {},
  };
}
