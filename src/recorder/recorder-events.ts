/** The public shapes of an AudioRecorder: its states, its events and their payloads, startRecording()'s options. */
import type { TapedeckError } from '../errors';
import type { InputSettings } from '../sources/microphone';
import type { RecordingSource } from '../sources/sources';
import type { UploadProgress } from '../upload/take-upload';
import type { Recording, SpeechSegment } from './recording';

/** Where a recorder is: Flet's RecordState. `paused` still counts as recording for isRecording(). */
export type RecorderState = 'stopped' | 'recording' | 'paused';

/** An input level, in dBFS (0 is full scale, −160 is silence). */
export interface Amplitude {
  /** Peak of the last ~50 ms. */
  current: number;
  /** Highest peak since the recording started. */
  max: number;
}

/** The events of an {@link AudioRecorder}, with their payloads. */
export interface AudioRecorderEvents {
  /** The state changed. */
  statechange: { state: RecorderState; previous: RecorderState };
  /** About 20 times a second while recording: the input level. */
  amplitude: Amplitude;
  /** Something degraded but the recording goes on (e.g. OPFS failed, so the take moved to memory). */
  warning: { message: string };
  /** An encoded chunk, every `timesliceMs`; all chunks in order make the file (with a streaming header). */
  data: { blob: Blob };
  /** Something failed; if a recording was under way, what was recorded is kept (see getTemporaryContent()). */
  error: TapedeckError;
  /**
   * The recording stopped by itself at `maxDurationMs` ('duration'), at `maxBufferBytes` ('memory'), or after the
   * silence of the `vad` option's autoStop ('silence'); stopRecording() or getTemporaryContent() gives it (null for
   * a startStream() take, which keeps no file).
   */
  limitreached: { reason: 'duration' | 'memory' | 'silence'; recording: Recording | null };
  /**
   * With the `vad` option: speech began `atMs` into the file (from the sample count). It comes about 300 ms after
   * the speech itself: that much is heard before the detector is sure.
   */
  speechstart: { atMs: number };
  /** With the `vad` option: the speech that began at `startMs` ended at `endMs` (ms into the file); it comes ~300 ms later. */
  speechend: SpeechSegment;
  /**
   * The recording moved to another input device, in the same file: asked for with setInputDevice(), or because its
   * device was lost ('device-lost', when following the session's interruptions).
   */
  inputchange: { settings: InputSettings; cause: 'set-input-device' | 'device-lost' };
  /** With the `upload` option: bytes of the take sent to the tus server, and confirmed by it. */
  uploadprogress: UploadProgress;
  /** With the `upload` option: the server has the whole take, at `url`. */
  uploaded: { url: string };
  /** With the `upload` option: the upload failed for good (`upload-failed`, with the HTTP status when there was one); the recording is kept. */
  uploaderror: TapedeckError;
}

/** Options of `startRecording()`. */
export interface StartRecordingOptions {
  /** What to record: a MediaStream, a track, an `<audio>`/`<video>` element, an AudioNode, or an array mixed together. The microphone when omitted. */
  source?: RecordingSource;
  /**
   * Open everything (input, worklet, encoder) but capture nothing until resume(): the recorder starts 'paused', and
   * resume() begins the file within one audio quantum. For push-to-talk, and for starts that must not lose a syllable:
   * with `preRollMs` the recorder is armed, and resume() puts the last preRollMs heard before it at the file's head.
   */
  paused?: boolean;
}
