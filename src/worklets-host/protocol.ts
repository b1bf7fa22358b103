/**
 * Messages between the three threads of one take. Types only: the worklet and the worker import
 * nothing else from src/.
 *
 *   main ──node.port──► worklet ──frame port──► encoder worker ──worker.postMessage──► main
 *
 * PCM travels only on the frame port (worklet → worker); the main thread sees levels and results.
 */

/** Name under which the capture processor registers itself. */
export const CAPTURE_PROCESSOR_NAME = 'tapedeck-capture';

/** `processorOptions` of the capture AudioWorkletNode. */
export interface CaptureProcessorOptions {
  /** Channels delivered to the encoder (the node's channelCount). */
  channels: number;
  /** Frames per transferred chunk. */
  chunkFrames: number;
  /** Chunks allocated up front; the worker hands each back after reading it. */
  poolSize: number;
  /** Linear gain. */
  gain: number;
  /** Stop by itself after this many frames (at the context rate); 0 for no limit. */
  limitFrames: number;
  /** Frames between two level reports to the main thread. */
  levelIntervalFrames: number;
}

/** main → worklet. */
export type WorkletCommand =
  | { type: 'connect'; port: MessagePort }
  | { type: 'start'; paused: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Report the level every `intervalFrames` from now on. */
  | { type: 'meter'; intervalFrames: number }
  | { type: 'stop' };

/** worklet → main. */
export type WorkletReport =
  | { type: 'started' }
  | { type: 'level'; frames: number; peak: number }
  | { type: 'ended'; frames: number; reason: 'stop' | 'limit' };

/** worklet → worker, on the frame port. `data` is planar: channel c at [c * chunkFrames, c * chunkFrames + frames). */
export type FrameMessage = { type: 'frames'; data: Float32Array; frames: number } | { type: 'end'; droppedFrames: number };

/** worker → worklet, on the frame port: a chunk handed back to the pool. */
export interface ReturnMessage {
  type: 'return';
  data: Float32Array;
}

/** Configuration of one take's encoder, sent to the worker. */
export interface EncoderConfig {
  /** A built-in format, or a registered plugin's id. */
  encoder: string;
  /** MIME type of the finished file. */
  mimeType: string;
  /** For a plugin with a worker module: its URL. */
  pluginModule?: string;
  /** Rate of the frames the worklet sends (the AudioContext's), Hz. */
  inputSampleRate: number;
  /** Rate of the output file, Hz. */
  sampleRate: number;
  channels: number;
  bitRate: number;
  /** Container, where the format has a choice ('webm' or 'ogg' for opus). */
  container: string;
  /** Frames of output per `data` event; 0 for none. */
  timesliceFrames: number;
  /** The file may not grow past this many bytes; 0 for no bound. */
  maxBytes: number;
  /** Post the encoded bytes as they come ('pcm' reports) and keep no file: startStream(). */
  streamOnly: boolean;
  /** Write the take to OPFS under this id, with a journal (persist: 'opfs'); null to keep it in memory. */
  persist: { id: string; startedAt: number } | null;
  /**
   * Never rewrite a byte once written (no header patched at finish): the file is exactly the `data` chunks joined,
   * as an upload that streams them needs.
   */
  appendOnly: boolean;
}

/** A take rebuilt from OPFS after a crash. */
export interface RecoveredTake {
  id: string;
  startedAt: number;
  blob: Blob;
  frames: number;
  sampleRate: number;
  channels: number;
}

/** main → worker. */
export type WorkerCommand =
  | {
      type: 'init';
      port: MessagePort;
      config: EncoderConfig;
      /** For a plugin reached through extendable-media-recorder's connect(): the port to its encoder. */
      encoderPort?: MessagePort;
    }
  /** List the takes in OPFS that never finished (and are not live anywhere), rebuilt as playable files. */
  | { type: 'recover' }
  /** Delete a persisted take's files. */
  | { type: 'discard'; id: string }
  /** Rewrite a WebM (MediaRecorder's, for track recording) so that it states its duration. */
  | { type: 'remux'; blob: Blob };

/** worker → main. */
export type WorkerReport =
  | { type: 'ready' }
  | { type: 'data'; blob: Blob }
  | { type: 'full' }
  | { type: 'pcm'; bytes: ArrayBuffer }
  | { type: 'warning'; message: string }
  | { type: 'recovered'; takes: RecoveredTake[]; failures: string[] }
  | { type: 'discarded' }
  | { type: 'remuxed'; blob: Blob | null; durationS: number; error: string | null }
  | { type: 'done'; blob: Blob; frames: number; droppedFrames: number }
  | { type: 'error'; message: string; blob: Blob | null; frames: number };
