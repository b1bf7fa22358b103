import { WAV_HEADER_BYTES, wavHeader } from '../containers/wav-header';
import { Int16Interleaver } from '../dsp/pcm';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoder';

/** Data size in the header streamed first: the largest a RIFF can say, read by decoders as "to the end". */
const STREAMING_DATA_BYTES = 0xffffffff - 36;

/**
 * 16-bit PCM WAV. The stream starts with a header whose sizes say "unknown, read to the end"; `finish()`
 * writes the real header over it, so stop never rewrites the audio.
 */
export function createWavEncoder(config: WorkerEncoderConfig, sink: ByteSink): WorkerEncoder {
  const format = { sampleRate: config.sampleRate, channels: config.channels, bitsPerSample: 16 };
  const pcm = new Int16Interleaver();
  let dataBytes = 0;
  sink.write(wavHeader(format, STREAMING_DATA_BYTES));
  return {
    framesWithin: (bytes) => Math.max(0, Math.floor((bytes - WAV_HEADER_BYTES) / (config.channels * 2))),
    encode(planar, frames) {
      if (frames === 0) return;
      const bytes = pcm.interleave(planar, frames);
      dataBytes += bytes.length;
      sink.write(bytes);
    },
    finish() {
      // Append-only (uploaded as it records), the streaming header stays: "size unknown, read to the end".
      if (!config.appendOnly) sink.write(wavHeader(format, dataBytes), 0);
    },
  };
}
