/**
 * Opus, AAC and FLAC through mediabunny, in the encoder worker: its AudioSampleSource encodes (WebCodecs where the
 * browser has the codec, else a registered WebAssembly encoder) and its muxers write WebM, Ogg, MP4 or FLAC with the
 * duration and seek data in place. Part of the media codec file, loaded only for these formats; each WebAssembly
 * encoder is a codec file of its own, loaded only when needed.
 */
import {
  AudioSample,
  AudioSampleSource,
  EncodedAudioPacketSource,
  FlacOutputFormat,
  Mp4OutputFormat,
  OggOutputFormat,
  Output,
  Quality,
  StreamTarget,
  WebMOutputFormat,
  canEncodeAudio,
  type AudioCodec,
  type EncodedPacket,
  type OutputFormat,
  type StreamTargetChunk,
} from 'mediabunny';
import { floatToInt16 } from '../dsp/pcm';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoder';

/** Bytes a container adds beyond the bit rate's share (headers, cues, seek tables), as an allowance. */
const CONTAINER_ALLOWANCE_BYTES = 16_384;

/** Cluster length for crash-safe takes: a crash loses at most the cluster being gathered. */
const CRASH_SAFE_CLUSTER_SECONDS = 0.25;

/** How mediabunny writes one format. */
interface MediaFormat {
  codec: AudioCodec;
  /** The codec string, where the codec has several profiles (HE-AAC). */
  codecString?: string;
  /** The container; `appendOnly` writes a stream never rewritten, `crashSafe` short WebM clusters. */
  output(config: WorkerEncoderConfig, appendOnly: boolean): OutputFormat;
  /** FLAC keeps the bit depth it is given: 16 bits, like the WAV output, rather than 32-bit floats. */
  sixteenBit: boolean;
}

const webmOrOgg = (config: WorkerEncoderConfig, appendOnly: boolean): OutputFormat =>
  config.container === 'ogg'
    ? new OggOutputFormat()
    : new WebMOutputFormat({ appendOnly, minimumClusterDuration: config.crashSafe ? CRASH_SAFE_CLUSTER_SECONDS : undefined });
const mp4 = (_: WorkerEncoderConfig, appendOnly: boolean) => new Mp4OutputFormat({ fastStart: appendOnly ? 'fragmented' : false });

/** The formats this module encodes. */
const MEDIA_FORMATS = {
  opus: { codec: 'opus', output: webmOrOgg, sixteenBit: false },
  aac: { codec: 'aac', output: mp4, sixteenBit: false },
  'aac-he': { codec: 'aac', codecString: 'mp4a.40.5', output: mp4, sixteenBit: false },
  flac: { codec: 'flac', output: (_, appendOnly) => new FlacOutputFormat({ appendOnly }), sixteenBit: true },
} satisfies Record<string, MediaFormat>;

/** A format this module encodes. */
export type MediaFormatId = keyof typeof MEDIA_FORMATS;

/** A chunk's samples, channel after channel. */
type Planes = Float32Array<ArrayBuffer> | Int16Array<ArrayBuffer>;

/**
 * The chunk's channels one after another, as 32-bit floats or 16-bit integers: in `reuse`'s buffer (grown as needed)
 * when there is one, else in a new array.
 */
function packPlanes(planar: readonly Float32Array[], frames: number, sixteenBit: boolean, reuse: { buffer: Planes } | null): Planes {
  const size = frames * planar.length;
  let buffer = reuse?.buffer;
  if (!buffer || buffer.length < size) {
    buffer = sixteenBit ? new Int16Array(size) : new Float32Array(size);
    if (reuse) reuse.buffer = buffer;
  }
  const data = buffer.subarray(0, size);
  planar.forEach((channel, c) => {
    if (data instanceof Float32Array) data.set(channel.subarray(0, frames), c * frames);
    else for (let i = 0; i < frames; i++) data[c * frames + i] = floatToInt16(channel[i]!);
  });
  return data;
}

/**
 * A second, append-only muxer fed the same encoded packets, for the live stream: the file keeps its duration and
 * seek data, and the chunks still join into a playable stream. The audio is encoded once.
 */
async function openLiveMuxer(format: MediaFormat, config: WorkerEncoderConfig, live: ByteSink) {
  const writable = new WritableStream<StreamTargetChunk>({ write: (chunk) => live.write(chunk.data, chunk.position) });
  const output = new Output({ format: format.output(config, true), target: new StreamTarget(writable) });
  const source = new EncodedAudioPacketSource(format.codec);
  output.addAudioTrack(source);
  await output.start();
  let chain: Promise<void> = Promise.resolve();
  return {
    add: (packet: EncodedPacket, meta: EncodedAudioChunkMetadata | undefined) => {
      chain = chain.then(() => source.add(packet, meta));
    },
    finish: async () => {
      await chain;
      source.close();
      await output.finalize();
    },
  };
}

/** Loads mediabunny's WebAssembly encoder for 'aac' or 'flac' (a codec file of its own) and registers it. */
export type WasmEncoderLoader = (codec: 'aac' | 'flac') => Promise<{ register(): void }>;

/**
 * Registers the WebAssembly encoder for `format` where tapedeck uses it: for AAC-LC where the browser has no encoder,
 * and always for FLAC. Quirk #8: WebKit says its WebCodecs encoder does FLAC, but it emits headers only (the fLaC
 * marker, STREAMINFO and a comment block as separate chunks), no audio frames; libFLAC in WebAssembly writes the
 * same file in every browser. mediabunny prefers a registered encoder over the browser's. HE-AAC is WebCodecs' only.
 */
async function ensureEncoder(format: MediaFormat, config: WorkerEncoderConfig, loadWasm: WasmEncoderLoader): Promise<void> {
  const options = { numberOfChannels: config.channels, sampleRate: config.sampleRate, bitrate: config.bitRate };
  const lc = format.codec === 'aac' && format.codecString === undefined;
  if (format.codec === 'flac' || (lc && !(await canEncodeAudio('aac', options)))) {
    (await loadWasm(format.codec as 'aac' | 'flac')).register();
  }
  if (!(await canEncodeAudio(format.codec, { ...options, fullCodecString: format.codecString }))) {
    throw new Error(`This browser cannot encode ${format.codecString ?? format.codec} at ${config.sampleRate} Hz, ${config.channels} channel(s).`);
  }
}

/**
 * A WorkerEncoder for `id`, writing the muxed file to `sink` (with writes over earlier bytes at finalize) and, with a
 * `live` sink (a take that streams a file rewritten at finish: see worker/formats.ts), an append-only stream of the
 * same packets.
 */
export async function createMediaEncoder(
  id: MediaFormatId,
  config: WorkerEncoderConfig,
  sink: ByteSink,
  live: ByteSink | null,
  loadWasm: WasmEncoderLoader,
): Promise<WorkerEncoder> {
  const format: MediaFormat = MEDIA_FORMATS[id];
  await ensureEncoder(format, config, loadWasm);
  const liveMuxer = live ? await openLiveMuxer(format, config, live) : null;
  // The sink copies what it keeps (sinks/sink.ts).
  const writable = new WritableStream<StreamTargetChunk>({ write: (chunk) => sink.write(chunk.data, chunk.position) });
  const output = new Output({ format: format.output(config, config.appendOnly ?? false), target: new StreamTarget(writable) });
  const source = new AudioSampleSource({
    codec: format.codec,
    fullCodecString: format.codecString,
    quality: new Quality({ bitrate: config.bitRate, bitrateMode: 'constant' }),
    onEncodedPacket: liveMuxer ? (packet, meta) => liveMuxer.add(packet, meta) : undefined,
  });
  output.addAudioTrack(source);
  await output.start();
  let written = 0;
  /** Where the browser has AudioData (which copies what it is given), one buffer for every chunk; else none. */
  const scratch: { buffer: Planes } | null = typeof AudioData === 'function' ? { buffer: format.sixteenBit ? new Int16Array(0) : new Float32Array(0) } : null;
  const bytesPerSecond = format.sixteenBit ? config.sampleRate * config.channels * 2 : config.bitRate / 8;
  return {
    framesWithin: (bytes) => Math.max(0, Math.floor(((bytes - CONTAINER_ALLOWANCE_BYTES) / bytesPerSecond) * config.sampleRate * 0.97)),
    async encode(planar, frames) {
      if (frames === 0) return;
      // Where the browser has AudioData, the chunk is copied into one at once (outside the JS heap, freed when the
      // sample closes) and the buffer is used again for the next chunk; else mediabunny keeps the array, a new one
      // each chunk. Without the reuse, an Opus take's worker made ~23 MB of garbage a minute (48 kHz stereo).
      const init = {
        data: packPlanes(planar, frames, format.sixteenBit, scratch),
        format: format.sixteenBit ? ('s16-planar' as const) : ('f32-planar' as const),
        numberOfChannels: config.channels,
        sampleRate: config.sampleRate,
      };
      const sample = scratch
        ? new AudioSample(new AudioData({ ...init, numberOfFrames: frames, timestamp: Math.round((written * 1e6) / config.sampleRate) }))
        : new AudioSample({ ...init, timestamp: written / config.sampleRate });
      written += frames;
      try {
        await source.add(sample);
      } finally {
        sample.close();
      }
    },
    async finish() {
      source.close();
      await output.finalize();
      await liveMuxer?.finish();
    },
  };
}
