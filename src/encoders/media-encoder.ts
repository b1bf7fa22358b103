/**
 * Opus, AAC and FLAC through mediabunny, in the encoder worker: its AudioSampleSource encodes (WebCodecs where
 * the browser has the codec, else a registered WebAssembly encoder) and its muxers write WebM, Ogg, MP4 or FLAC
 * with the duration and seek data in place. This module is its own chunk, loaded only for these
 * formats; each fallback encoder is a further chunk, loaded only when needed.
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
import type { ByteSink, WorkerEncoder, WorkerEncoderConfig } from './worker-encoder';

/** The formats this module encodes. */
export type MediaEncoderId = 'opus' | 'aac' | 'flac';

/** Bytes a container adds beyond the bit rate's share (headers, cues, seek tables), as an allowance. */
const CONTAINER_ALLOWANCE_BYTES = 16_384;

/** Cluster length for crash-safe takes: a crash loses at most the cluster being gathered. */
const CRASH_SAFE_CLUSTER_SECONDS = 0.25;

/**
 * The container for `id`; `appendOnly` writes a stream that is never rewritten (for live `data` chunks), and
 * `crashSafe` writes WebM clusters out every quarter second instead of every second.
 */
function outputFormat(id: MediaEncoderId, container: string, appendOnly: boolean, crashSafe = false): OutputFormat {
  switch (id) {
    case 'opus':
      return container === 'ogg'
        ? new OggOutputFormat()
        : new WebMOutputFormat({ appendOnly, minimumClusterDuration: crashSafe ? CRASH_SAFE_CLUSTER_SECONDS : undefined });
    case 'aac':
      return new Mp4OutputFormat({ fastStart: appendOnly ? 'fragmented' : false });
    case 'flac':
      return new FlacOutputFormat({ appendOnly });
  }
}

function toFloatPlanar(planar: readonly Float32Array[], frames: number): Float32Array {
  const data = new Float32Array(frames * planar.length);
  planar.forEach((channel, c) => data.set(channel.subarray(0, frames), c * frames));
  return data;
}

function toInt16Planar(planar: readonly Float32Array[], frames: number): Int16Array {
  const data = new Int16Array(frames * planar.length);
  planar.forEach((channel, c) => {
    for (let i = 0; i < frames; i++) data[c * frames + i] = floatToInt16(channel[i]!);
  });
  return data;
}

/** Ogg is written front to back already; the others rewrite headers and sizes at finalize. */
const rewritesAtFinish = (id: MediaEncoderId, container: string) => !(id === 'opus' && container === 'ogg');

/**
 * A second, append-only muxer fed the same encoded packets, for the live `data` chunks: the file keeps its duration
 * and seek data, and the chunks still join into a playable stream. The audio is encoded once.
 */
async function openLiveMuxer(id: MediaEncoderId, container: string, live: ByteSink) {
  const writable = new WritableStream<StreamTargetChunk>({ write: (chunk) => live.write(chunk.data, chunk.position) });
  const output = new Output({ format: outputFormat(id, container, true), target: new StreamTarget(writable) });
  const source = new EncodedAudioPacketSource(id);
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
 * Registers the WebAssembly encoder for `codec` where tapedeck uses it: for AAC where the browser has no encoder, and
 * always for FLAC. Quirk #8: WebKit says its WebCodecs encoder does FLAC, but it emits headers only (the fLaC marker,
 * STREAMINFO and a comment block as separate chunks), no audio frames; libFLAC in WebAssembly writes the same file
 * in every browser. mediabunny prefers a registered encoder over the browser's.
 */
async function ensureEncoder(codec: AudioCodec, config: WorkerEncoderConfig, loadWasm: WasmEncoderLoader): Promise<void> {
  const options = { numberOfChannels: config.channels, sampleRate: config.sampleRate, bitrate: config.bitRate };
  if (codec === 'flac' || (codec === 'aac' && !(await canEncodeAudio('aac', options)))) {
    (await loadWasm(codec)).register();
  }
  if (!(await canEncodeAudio(codec, options))) {
    throw new Error(`This browser cannot encode ${codec} at ${config.sampleRate} Hz, ${config.channels} channel(s).`);
  }
}

/** A WorkerEncoder for `id`, writing the muxed file to `sink` (with writes over earlier bytes at finalize). */
export async function createMediaEncoder(
  id: MediaEncoderId,
  config: WorkerEncoderConfig,
  sink: ByteSink,
  live: ByteSink | null,
  loadWasm: WasmEncoderLoader,
): Promise<WorkerEncoder> {
  const codec: AudioCodec = id;
  await ensureEncoder(codec, config, loadWasm);
  // Append-only, the file itself is the stream (no second muxer for `data` chunks).
  const liveMuxer = live && !config.appendOnly && rewritesAtFinish(id, config.container) ? await openLiveMuxer(id, config.container, live) : null;
  const writable = new WritableStream<StreamTargetChunk>({
    // A copy: the sink keeps the bytes (and may write over them) after mediabunny has moved on.
    write: (chunk) => sink.write(chunk.data.slice(), chunk.position),
  });
  const output = new Output({ format: outputFormat(id, config.container, config.appendOnly ?? false, config.crashSafe), target: new StreamTarget(writable) });
  const source = new AudioSampleSource({
    codec,
    quality: new Quality({ bitrate: config.bitRate, bitrateMode: 'constant' }),
    onEncodedPacket: liveMuxer ? (packet, meta) => liveMuxer.add(packet, meta) : undefined,
  });
  output.addAudioTrack(source);
  await output.start();
  let written = 0;
  // FLAC keeps the bit depth it is given: 16 bits, like the WAV output, rather than 32-bit floats.
  const sixteenBit = id === 'flac';
  return {
    streamsSeparately: liveMuxer !== null,
    framesWithin: (bytes) => {
      const perSecond = codec === 'flac' ? config.sampleRate * config.channels * 2 : config.bitRate / 8;
      return Math.max(0, Math.floor(((bytes - CONTAINER_ALLOWANCE_BYTES) / perSecond) * config.sampleRate * 0.97));
    },
    async encode(planar, frames) {
      if (frames === 0) return;
      const sample = new AudioSample({
        data: sixteenBit ? toInt16Planar(planar, frames) : toFloatPlanar(planar, frames),
        format: sixteenBit ? 's16-planar' : 'f32-planar',
        numberOfChannels: config.channels,
        sampleRate: config.sampleRate,
        timestamp: written / config.sampleRate,
      });
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
