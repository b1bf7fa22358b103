import { TakeUpload, type UploadProgress } from '../upload/take-upload';
import { checkUploadOptions, type UploadOptions } from '../upload/upload-options';
import { invalidOption } from '../validate';
import { decodePcm } from './decode-pcm';

/** Audio a take knows it did not get: where in the file (ms from its start), how long, and why. */
export interface RecordingGap {
  /** Where in the file, in ms from its start. */
  atMs: number;
  /** How much audio is missing, in ms. */
  ms: number;
  /**
   * `input-silent`: the microphone delivered exact digital silence (a device or browser glitch: a real microphone
   * never does); `audio-thread-late`: the browser's audio thread did not run for that long (an overloaded machine), so
   * the input of that time is lost; `encoder-behind`: the encoder worker fell behind and that much was dropped.
   */
  cause: 'input-silent' | 'audio-thread-late' | 'encoder-behind';
}

/** A stretch of speech in a recording (the `vad` option), in ms from the file's start. */
export interface SpeechSegment {
  /** Where the speech begins, in ms from the file's start. */
  startMs: number;
  /** Where it ends. */
  endMs: number;
}

/** How many frames each stage of a take saw: a take that lost nothing has captured = received, dropped = 0. */
export interface RecordingStages {
  /** Input frames (at the capture context's rate) the AudioWorklet took, pauses excluded. */
  capturedFrames: number;
  /** Of those, the frames the encoder worker received. */
  receivedFrames: number;
  /** Frames the worklet had to drop (the worker fell behind). */
  droppedFrames: number;
  /** Frames in the file, at `sampleRate`. */
  fileFrames: number;
}

/** What a recording knows of its take's upload. */
export interface RecordingUpload {
  takeId: string;
  /** The options it was uploaded with (the recorder's `upload` option). */
  options?: UploadOptions;
  /** Its URL on the server, once known. */
  url(): string | null;
  /** Whether its URL is remembered in localStorage (a persisted take). */
  resumable: boolean;
  /** Called when resumeUpload() got every byte to the server (the take's files are then settled). */
  uploaded?: () => void;
  /** The take's own upload while it is still under way (resumeUpload() then waits for it rather than start a second). */
  running?: () => Promise<string> | null;
}

/** A finished recording: the file as a Blob, its Blob URL, and what it holds. */
export class Recording {
  /** Bytes of the file. */
  readonly size: number;
  /** MIME type of the file. */
  readonly mimeType: string;

  /**
   * @param blob the file
   * @param url a Blob URL of `blob`, valid until the recorder's clear() or dispose()
   * @param durationMs length of the audio, in milliseconds (from the sample count, not the wall clock)
   * @param sampleRate Hz of the file
   * @param channels channels in the file
   */
  constructor(
    readonly blob: Blob,
    readonly url: string,
    readonly durationMs: number,
    readonly sampleRate: number,
    readonly channels: number,
  ) {
    this.size = blob.size;
    this.mimeType = blob.type;
  }

  /** The file's bytes (for WAV, a complete RIFF file). */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.blob.arrayBuffer();
  }

  /** The decoded samples, one Float32Array per channel, at `sampleRate`. */
  pcm(): Promise<Float32Array[]> {
    return decodePcm(this.blob, this.sampleRate, this.channels);
  }

  /** Audio the take knows it did not get (each was also a `warning` event as it happened); empty when none. */
  gaps: readonly RecordingGap[] = [];

  /** Where speech is in the file, with the `vad` option (from the sample count, as the file's own clock); empty without it. */
  speechSegments: readonly SpeechSegment[] = [];

  /** How many frames each stage saw (null for a recovered take). */
  stages: RecordingStages | null = null;

  /** @internal Whether any sample of the take was not zero (TrackRecorder drops segments that are all zeros). */
  heardAudio = true;

  /** @internal What this recording knows of its take's upload (set by the recorder or by recovery). */
  upload: RecordingUpload | null = null;

  /**
   * Uploads the file to a tus server, or carries its upload on from the server's offset (one that failed, was cut off
   * by an outage, or never started): `options` default to the `upload` option it was recorded with. Resolves with the
   * upload's URL once the server has every byte; rejects with `upload-failed`. Called without options while the
   * take's own upload is still under way, it returns that upload's end instead of starting a second one.
   */
  resumeUpload(options?: UploadOptions, onProgress: (progress: UploadProgress) => void = () => undefined): Promise<string> {
    const upload = options ?? this.upload?.options;
    if (upload === undefined) invalidOption('resumeUpload(options): options must say where to upload (this recording was not uploaded while recording).');
    checkUploadOptions(upload, 'options');
    const running = options === undefined ? this.upload?.running?.() : null;
    if (running) return running;
    const identity = { takeId: this.upload?.takeId ?? crypto.randomUUID(), mimeType: this.mimeType, resumable: this.upload?.resumable ?? false, uploadUrl: this.upload?.url() };
    const done = TakeUpload.resume(this.blob, upload, identity, { onProgress }).done;
    void done.then(() => this.upload?.uploaded?.(), () => undefined);
    return done;
  }
}
