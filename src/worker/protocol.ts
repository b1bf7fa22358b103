/**
 * What the main thread and the encoder worker agree on: their messages (worker.postMessage both ways) and the name of
 * a live take's Web Lock. The main thread imports nothing else from src/worker/. The worklet's messages are in
 * worklets/protocol.ts.
 */

/** The Web Lock a live persisted take holds (main thread), so that recovery (a worker) leaves its files alone. */
export const takeLockName = (id: string) => `tapedeck-take-${id}`;

/** A take's tap (AudioRecorderOptions.tap): PCM at its own rate and channels, beside the file. */
export interface TapConfig {
  sampleRate: number;
  channels: 1 | 2;
  format: 'f32' | 's16';
  /** Frames per chunk posted. */
  chunkFrames: number;
}

/** A take's voice activity detection (AudioRecorderOptions.vad). */
export interface VadConfig {
  /** fvad's mode: 0 flags the most as speech, 3 the least. */
  aggressiveness: 0 | 1 | 2 | 3;
  /** End the file this many ms after speech ends, with no new speech (0 for never). */
  autoStopAfterMs: number;
  /** The take waits, paused, for speech: the detector hears the worklet's held frames and says when speech begins. */
  startOnSpeech: boolean;
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
  /** Frames of output per slice (a `data` report); 0 for none. */
  timesliceFrames: number;
  /** Whether each slice carries the live stream's new bytes (the `data` event); else only the file's size (an upload's). */
  sliceBlobs: boolean;
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
  /** The take's tap, or null for none. */
  tap: TapConfig | null;
  /** The take's voice activity detection, or null for none. */
  vad: VadConfig | null;
  /** tapedeck's own processing before anything else: RNNoise (options.denoise), the software auto gain. */
  processing: { denoise: boolean; autoGain: boolean };
}

/** A take rebuilt from OPFS after a crash. */
export interface RecoveredTake {
  id: string;
  startedAt: number;
  blob: Blob;
  frames: number;
  sampleRate: number;
  channels: number;
  /** Its upload had not finished (it was uploading while recording, or stopped before the server had every byte). */
  uploading: boolean;
  /** Why it could not be made playable (its `blob` is then the bytes as written), or null. */
  problem: string | null;
}

/** main → worker. */
export type WorkerCommand =
  | {
      /** Start a take: frames come on `port`, from the capture worklet. */
      type: 'take';
      port: MessagePort;
      config: EncoderConfig;
      /** For a plugin reached through extendable-media-recorder's connect(): the port to its encoder. */
      encoderPort?: MessagePort;
    }
  /** End the take without a file: stop taking frames, close its files and delete them; answered by 'cancelled'. */
  | { type: 'cancel' }
  /** Bytes [start, end) of the take's file as written so far (its upload reads them); answered by 'range'. */
  | { type: 'read'; id: number; start: number; end: number }
  /** List the takes in OPFS that never finished (and are not live anywhere), rebuilt as playable files. */
  | { type: 'recover' }
  /** Delete a persisted take's files. */
  | { type: 'discard'; id: string }
  /** A persisted take's upload is done: its journal says 'stopped' (recovery may delete it once it is let go). */
  | { type: 'settle'; id: string }
  /** Rewrite a WebM (MediaRecorder's, for track recording) so that it states its duration. */
  | { type: 'remux'; blob: Blob };

/** worker → main. */
export type WorkerReport =
  | { type: 'ready' }
  /** A slice: the live stream's new bytes (with sliceBlobs), and the file's size now. */
  | { type: 'data'; blob: Blob | null; fileBytes: number }
  | { type: 'range'; id: number; blob: Blob | null; error: string | null }
  /**
   * The file is complete and takes no more frames: it reached its size bound ('memory'), or the voice activity's
   * auto-stop ended it ('silence', `autoStopAfterMs` after the last speech, or as soon after as it was judged).
   */
  | { type: 'full'; reason: 'memory' | 'silence' }
  /** Voice activity: speech began at `atMs` into the file. */
  | { type: 'speechstart'; atMs: number }
  /** startOnSpeech: speech began at held frame `heldFrame` (input rate) while the take waits for it. */
  | { type: 'armedspeech'; heldFrame: number }
  /** Voice activity: the speech that began at `startMs` ended at `endMs` (ms into the file). */
  | { type: 'speechend'; startMs: number; endMs: number }
  | { type: 'pcm'; bytes: ArrayBuffer }
  /** A chunk of the tap: interleaved samples (Float32 or Int16, as the tap's format), `frames` long. */
  | { type: 'tap'; data: ArrayBuffer; frames: number }
  | { type: 'warning'; message: string }
  /** Recovery began rebuilding take `id` (the main thread's wait restarts: each take has its own time). */
  | { type: 'recovering'; id: string }
  | { type: 'recovered'; takes: RecoveredTake[]; failures: string[] }
  | { type: 'discarded' }
  | { type: 'settled' }
  | { type: 'cancelled' }
  | { type: 'remuxed'; blob: Blob | null; durationS: number; error: string | null }
  /** The take's file; `heard`: whether any sample was not zero (a remote track whose packets never came is all zeros). */
  /**
   * `receivedFrames`: input frames (context rate) the worker got from the worklet; `tailMs` the worker's time from the
   * worklet's end to the file, `fileMs` of it finishing the file (its Blob; with OPFS, also the journal and the handles).
   */
  | { type: 'done'; blob: Blob; frames: number; receivedFrames: number; droppedFrames: number; heard: boolean; tailMs: number; fileMs: number }
  | { type: 'error'; message: string; blob: Blob | null; frames: number };
