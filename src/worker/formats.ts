/**
 * The encoder worker's side of each built-in format, one entry each: how its encoder is opened, whether its live
 * stream (`data` chunks, the upload) is the file's own bytes, and how a file a crash cut short is made playable.
 * The main thread's side (names, MIME types, rates, support) is src/formats/; plugins are in encoders/plugin-encoder.
 */
import { importCodec, lameWasmUrl } from './codec-files';
import { WAV_HEADER_BYTES, wavHeader } from './containers/wav-header';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoders/encoder';
import type { MediaFormatId } from './encoders/media-encoder';
import { createPcm16Encoder } from './encoders/pcm16';
import { createWavEncoder } from './encoders/wav';
import type { ByteSink } from './sinks/sink';
import type { Journal } from './sinks/opfs-store';

/** A crashed take's file, made playable. */
export interface Rebuilt {
  blob: Blob;
  /** Output frames it holds. */
  frames: number;
}

/** One format, in the worker. */
export interface WorkerFormat {
  /**
   * Opens an encoder writing the file to `sink`; `live` is given only when the take streams and streamsItsFile() is
   * false: the encoder then writes an append-only stream of its own there.
   */
  open(config: WorkerEncoderConfig, sink: ByteSink, live: ByteSink | null): Promise<WorkerEncoder>;
  /**
   * True when the file is written front to back (nothing rewritten at finish), so its appended bytes are the live
   * stream; false when headers or an index are rewritten at finish (an MP3 Info frame, WebM cues, an MP4 index).
   */
  streamsItsFile(config: WorkerEncoderConfig): boolean;
  /**
   * True when the encoder may write over bytes it appended some time before, past the file's first 4 KiB (WebM's
   * cluster sizes): a file kept in memory then keeps its last bytes where such writes land in place. (MP4's mdat
   * size, FLAC's STREAMINFO, WAV's sizes and MP3's Info frame are all in the first 4 KiB.)
   */
  writesBack(config: WorkerEncoderConfig): boolean;
  /** The file of a take whose writing stopped anywhere, made playable; null when nothing playable is left. */
  rebuild(journal: Journal, file: File): Promise<Rebuilt | null>;
}

const blockAlign = (journal: Journal) => journal.channels * 2;

/**
 * A file kept as it was written, cut to whole PCM frames where it is PCM: an append-only take (one being uploaded),
 * so that its upload can resume from the server's offset, and any format without a rebuild of its own.
 */
export function keepAsWritten(journal: Journal, file: File, headerBytes = 0, pcm = false): Rebuilt {
  if (!pcm) return { blob: file.slice(0, file.size, journal.mimeType), frames: journal.frames };
  const frames = Math.floor(Math.max(0, file.size - headerBytes) / blockAlign(journal));
  return { blob: file.slice(0, headerBytes + frames * blockAlign(journal), journal.mimeType), frames };
}

const loadWasmEncoder = (codec: 'aac' | 'flac') => importCodec(codec === 'aac' ? 'aacWasm' : 'flacWasm');

/**
 * Opus, AAC and FLAC: mediabunny, in the media codec file. Rebuilt by remuxing (MP4 cannot be: its index is at the
 * end). `webm`: whether the container is WebM, whose cluster sizes are written back as each cluster completes.
 */
function media(id: MediaFormatId, frontToBack: (config: WorkerEncoderConfig) => boolean, webm: (config: WorkerEncoderConfig) => boolean = () => false): WorkerFormat {
  return {
    open: async (config, sink, live) => (await importCodec('media')).createMediaEncoder(id, config, sink, live, loadWasmEncoder),
    streamsItsFile: (config) => config.appendOnly === true || frontToBack(config),
    writesBack: (config) => config.appendOnly !== true && webm(config),
    async rebuild(journal, file) {
      const remuxed = await (await importCodec('media')).remux(file, journal.mimeType);
      return remuxed && { blob: remuxed.blob, frames: Math.round(remuxed.durationS * (remuxed.audioSampleRate ?? 48000)) };
    },
  };
}

/** Every built-in format's worker side, by id. */
export const WORKER_FORMATS: Record<string, WorkerFormat> = {
  wav: {
    open: async (config, sink) => createWavEncoder(config, sink),
    // The header's final sizes are written over the streaming one: the live stream keeps "size unknown".
    streamsItsFile: () => true,
    writesBack: () => false, // only the header's sizes, in the first 44 bytes
    async rebuild(journal, file) {
      const dataBytes = Math.floor(Math.max(0, file.size - WAV_HEADER_BYTES) / blockAlign(journal)) * blockAlign(journal);
      const header = wavHeader({ sampleRate: journal.sampleRate, channels: journal.channels, bitsPerSample: 16 }, dataBytes);
      const blob = new Blob([header as BlobPart, file.slice(WAV_HEADER_BYTES, WAV_HEADER_BYTES + dataBytes)], { type: journal.mimeType });
      return { blob, frames: dataBytes / blockAlign(journal) };
    },
  },
  pcm16: {
    open: async (config, sink) => createPcm16Encoder(config, sink),
    streamsItsFile: () => true,
    writesBack: () => false,
    rebuild: async (journal, file) => keepAsWritten(journal, file, 0, true),
  },
  mp3: {
    open: async (config, sink, live) => (await importCodec('mp3')).openMp3Encoder(config, sink, live, { wasm: lameWasmUrl(), lamejs: () => importCodec('lamejs') }),
    // The Info frame, written first as a placeholder, is rewritten at finish: the live stream has none.
    streamsItsFile: (config) => config.appendOnly === true,
    writesBack: () => false, // only the Info frame, the file's first frame
    rebuild: async (journal, file) => (await importCodec('mp3')).rebuildMp3(new Uint8Array(await file.arrayBuffer()), journal.mimeType),
  },
  opus: media('opus', (config) => config.container === 'ogg', (config) => config.container !== 'ogg'),
  aac: media('aac', () => false),
  'aac-he': media('aac-he', () => false),
  flac: media('flac', () => false),
};

/** How an append-only take's file is kept for recovery, by format: PCM cut to whole frames, the rest as written. */
export function keepAppendOnly(journal: Journal, file: File): Rebuilt {
  if (journal.encoder === 'wav') return keepAsWritten(journal, file, WAV_HEADER_BYTES, true);
  return keepAsWritten(journal, file, 0, journal.encoder === 'pcm16');
}
