import { interleaveInt16 } from '../dsp/pcm';
import type { WorkerEncoder } from './worker-encoder';

/** Raw PCM: signed 16-bit little-endian, interleaved, no header. */
export function createPcm16Encoder(): WorkerEncoder {
  return {
    encode: (planar, frames) => (frames > 0 ? [interleaveInt16(planar, frames)] : []),
    finish: () => ({ chunks: [] }),
  };
}
