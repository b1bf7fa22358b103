import { interleaveInt16 } from '../dsp/pcm';
import type { WorkerEncoder, WorkerEncoderConfig } from './worker-encoder';

/** Raw PCM: signed 16-bit little-endian, interleaved, no header. */
export function createPcm16Encoder(config: WorkerEncoderConfig): WorkerEncoder {
  return {
    framesWithin: (bytes) => Math.floor(bytes / (config.channels * 2)),
    encode: (planar, frames) => (frames > 0 ? [interleaveInt16(planar, frames)] : []),
    finish: () => ({ chunks: [] }),
  };
}
