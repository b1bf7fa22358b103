import type { TapedeckError } from '../errors';
import { AudioRecorder } from '../recorder/audio-recorder';
import type { AudioRecorderOptions } from '../recorder/options';
import { UrlLedger } from '../recorder/url-ledger';
import { TakeUpload } from '../upload/take-upload';
import type { UploadOptions } from '../upload/upload-options';
import { askWorker } from '../threads/worker-job';

/** One finished segment: a continuous stretch of a track in its own file. */
export interface Segment {
  blob: Blob;
  url: string;
  durationMs: number;
  /** True when not one sample differed from zero: no media arrived (a remote track whose packets never came). */
  silent: boolean;
  /** Its upload (TrackRecorder's `upload` option), resolving with its URL on the server; null without one. */
  upload: Promise<string> | null;
}

/** Records a track one segment at a time: start() begins a file, stop() ends it. */
export interface SegmentRecorder {
  /** Reports errors of a segment under way that do not end it (audio lost to an overloaded machine). */
  onError: ((error: TapedeckError) => void) | null;
  /** Gets ready to start a segment of `track` at once (while the track is off). */
  arm(track: MediaStreamTrack): void;
  /** Drops what arm() prepared. */
  disarm(): Promise<void>;
  /** Begins a segment of `track`; `uploadName` is its upload's `filename` (its path), with the `upload` option. */
  start(track: MediaStreamTrack, uploadName: string): Promise<void>;
  /** Ends the file; null when it holds nothing. */
  stop(): Promise<Segment | null>;
  /** Revokes every segment's URL and releases everything. */
  dispose(): void;
}

/**
 * Audio: an AudioRecorder (tapedeck's worklet and encoders) restarted per segment. While the track is off, the next
 * segment's take waits opened and paused (armed), so that a track coming back on is captured within one quantum
 * rather than after a worker's start-up (~100 ms, a lost syllable).
 */
export class AudioSegmentRecorder implements SegmentRecorder {
  private readonly recorder: AudioRecorder;
  private armed: { track: MediaStreamTrack; ready: Promise<boolean> } | null = null;
  onError: ((error: TapedeckError) => void) | null = null;

  /** The upload name of the segment under way (an armed take asks it when its first bytes come, after start()). */
  private uploadName = '';

  constructor(options: AudioRecorderOptions) {
    // A call's tracks are recorded whatever the page does: hiding it must not cut a participant's file.
    this.recorder = new AudioRecorder({ ...options, handleInterruptions: false });
    this.recorder.uploadName = () => this.uploadName;
    // The end of a track is the track's business (its files are kept); anything else is reported.
    this.recorder.on('error', (error) => error.code !== 'source-ended' && this.onError?.(error));
  }

  arm(track: MediaStreamTrack): void {
    if (this.armed || track.readyState === 'ended') return;
    const ready = this.recorder.startRecording({ source: track, paused: true }).then(
      () => true,
      () => false,
    );
    this.armed = { track, ready };
  }

  async disarm(): Promise<void> {
    const armed = this.armed;
    this.armed = null;
    if (armed && (await armed.ready)) await this.recorder.cancelRecording().catch(() => undefined);
  }

  async start(track: MediaStreamTrack, uploadName: string): Promise<void> {
    this.uploadName = uploadName;
    const armed = this.armed;
    if (armed?.track === track && (await armed.ready) && this.recorder.state === 'paused') {
      this.armed = null;
      await this.recorder.resume();
      return;
    }
    await this.disarm();
    await this.recorder.startRecording({ source: track });
  }

  async stop(): Promise<Segment | null> {
    // After the track ended the recorder has stopped by itself; stopRecording() hands over that take.
    try {
      await this.recorder.stopRecording();
    } catch {
      return null; // nothing was under way
    }
    const recording = this.recorder.getTemporaryContent();
    if (!recording || recording.durationMs === 0) return null;
    // Judged on every frame the worker encoded (the level meter reports twice a second, and may never have for a short segment).
    return { blob: recording.blob, url: recording.url, durationMs: recording.durationMs, silent: !recording.heardAudio, upload: this.recorder.uploadDone };
  }

  dispose(): void {
    this.recorder.dispose();
  }
}

/** How long making a video segment state its duration may take, in ms. */
const REMUX_TIMEOUT_MS = 60_000;

/** The WebM the browser's MediaRecorder can write for video, best first. */
function videoMimeType(): string {
  const candidates = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

/**
 * Video: the browser's MediaRecorder (WebM), one per segment. Its WebM states no duration, so each finished segment
 * is remuxed (packets copied, not re-encoded) in the encoder worker to carry one.
 */
export class VideoSegmentRecorder implements SegmentRecorder {
  private recorder: MediaRecorder | null = null;
  private stopped: Promise<Blob> | null = null;
  private startedAt = 0;
  private readonly urls = new UrlLedger();
  onError: ((error: TapedeckError) => void) | null = null;

  constructor(
    private readonly workerUrl?: string,
    /** TrackRecorder's `upload` option: each segment is uploaded when it ends (MediaRecorder's file is rewritten then). */
    private readonly upload?: UploadOptions,
  ) {}

  private uploadName = '';

  arm(): void {
    // MediaRecorder starts in a few ms; nothing to prepare.
  }

  async disarm(): Promise<void> {}

  async start(track: MediaStreamTrack, uploadName: string): Promise<void> {
    this.uploadName = uploadName;
    const recorder = new MediaRecorder(new MediaStream([track]), { mimeType: videoMimeType() });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
    this.stopped = new Promise((resolve) => recorder.addEventListener('stop', () => resolve(new Blob(chunks, { type: recorder.mimeType || 'video/webm' }))));
    const started = new Promise((resolve, reject) => {
      recorder.addEventListener('start', resolve);
      recorder.addEventListener('error', (event) => reject((event as ErrorEvent).error ?? new Error('MediaRecorder failed to start')));
    });
    recorder.start(1000); // a Blob a second, so the segment is not one growing buffer
    await started;
    this.recorder = recorder;
    this.startedAt = performance.now();
  }

  async stop(): Promise<Segment | null> {
    const recorder = this.recorder;
    if (!recorder || !this.stopped) return null;
    this.recorder = null;
    const clockMs = performance.now() - this.startedAt;
    if (recorder.state !== 'inactive') recorder.stop();
    const raw = await this.stopped;
    if (raw.size === 0) return null;
    let blob = raw;
    let durationMs = clockMs;
    const remuxed = await askWorker(this.workerUrl, { type: 'remux', blob: raw }, 'remuxed', REMUX_TIMEOUT_MS, 'Writing a video segment\'s duration').catch(() => null);
    // Nothing is lost: if the remux fails, the browser's own file is kept (it plays, without a stated duration).
    if (remuxed?.blob) {
      blob = remuxed.blob;
      durationMs = remuxed.durationS * 1000;
    }
    const name = this.uploadName;
    const upload = this.upload ? TakeUpload.resume(blob, this.upload, { takeId: crypto.randomUUID(), mimeType: blob.type, resumable: false, fileName: () => name }, { onProgress: () => undefined }).done : null;
    return { blob, url: this.urls.create(blob), durationMs, silent: false, upload };
  }

  dispose(): void {
    if (this.recorder?.state === 'recording') this.recorder.stop();
    this.urls.revokeAll();
  }
}
