import { asTapedeckError, TapedeckError } from '../errors';
import { TakeUpload, type UploadProgress } from '../upload/take-upload';
import type { UploadOptions } from '../upload/upload-options';
import { Emitter, type Listener } from '../events';
import { hasEncoderPlatform, isEncoderSupported, supportedEncoders } from '../encoders/registry';
import { hasMicrophonePermission, listInputDevices, type InputDevice, type InputSettings } from '../sources/microphone';
import {
  assertRecordable,
  findUnrecordable,
  toSourceList,
  type RecordableSource,
  type RecordingSource,
  type UnrecordableSource,
} from '../sources/sources';
import { defaultWorkletUrl } from '../worklets-host/files';
import { AudioSession, type AudioInterruption } from '../session/audio-session';
import { openLiveTake, type LiveTake } from './live-take';
import { resolveOptions, type AudioRecorderOptions, type ResolvedOptions } from './options';
import type { Recording } from './recording';
import { RecordingStore, type Persisted } from './recording-store';
import { discardRecovered, recoverRecordings, type RecoveredRecording } from './recover';
import { discardFiles, holdLock, lockName } from '../sinks/opfs-store';
import type { TakeResult } from './take';

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
   * The recording stopped by itself at `maxDurationMs` ('duration') or `maxBufferBytes` ('memory');
   * stopRecording() or getTemporaryContent() gives it (null for a startStream() take, which keeps no file).
   */
  limitreached: { reason: 'duration' | 'memory'; recording: Recording | null };
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
   * resume() begins the file within one audio quantum. For push-to-talk, and for starts that must not lose a syllable.
   */
  paused?: boolean;
}

/** ms between level reports while no one listens to `amplitude` (they still keep timeLength current). */
const IDLE_METER_MS = 250;

/** The silence floor of levels, in dBFS. */
const SILENCE_DB = -160;

function toDb(linear: number): number {
  return linear > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(linear)) : SILENCE_DB;
}

function invalidState(message: string): TapedeckError {
  return new TapedeckError('invalid-state', message);
}

function parseStartOptions(options: unknown): { sources: RecordableSource[] | null; paused: boolean } {
  if (options === undefined) return { sources: null, paused: false };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TapedeckError('invalid-option', 'startRecording(options): options, when provided, must be an object such as { source }.');
  }
  for (const key of Object.keys(options)) {
    if (key !== 'source' && key !== 'paused') throw new TapedeckError('invalid-option', `startRecording(options): options.${key} is not an option; the options are source and paused.`);
  }
  const { source, paused } = options as StartRecordingOptions;
  if (paused !== undefined && typeof paused !== 'boolean') throw new TapedeckError('invalid-option', 'startRecording(options): options.paused, when provided, must be true or false.');
  return { sources: source === undefined ? null : toSourceList(source), paused: paused ?? false };
}

/**
 * Records audio from the microphone or any other source: Flet's AudioRecorder for the web. Calls are carried out in the
 * order they are made; one made in the wrong state rejects with `invalid-state` and changes nothing.
 */
export class AudioRecorder extends Emitter<AudioRecorderEvents> {
  /** The options in force, defaults filled in. */
  readonly options: Readonly<ResolvedOptions>;

  private currentState: RecorderState = 'stopped';
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private live: LiveTake | null = null;
  /** The live take's OPFS files (persist: 'opfs'), until the take is kept or dropped. */
  private livePersist: Persisted | null = null;
  /** The stream of a startStream() take, closed when the take ends. */
  private stream: ReadableStreamDefaultController<Uint8Array> | null = null;
  private readonly recordings = new RecordingStore();
  private capturedFrames = 0;
  private amplitude: Amplitude = { current: SILENCE_DB, max: SILENCE_DB };
  private inputSettings: InputSettings | null = null;

  /**
   * The takes recorded with `persist: 'opfs'` that never reached stopRecording() (the tab crashed, reloaded or was
   * closed), rebuilt as playable recordings. Takes live in any tab are left alone; finished leftovers are deleted.
   */
  static recover(options: { workerUrl?: string } = {}): Promise<RecoveredRecording[]> {
    return recoverRecordings(options.workerUrl);
  }

  /** Deletes a recovered take's files (and revokes its URL). */
  static discardRecovered(id: string, options: { workerUrl?: string } = {}): Promise<void> {
    return discardRecovered(options.workerUrl, id);
  }

  /** Validates `options` (throwing `invalid-option` naming the field) without touching the microphone. */
  constructor(options?: AudioRecorderOptions) {
    super();
    this.options = Object.freeze(resolveOptions(options, AudioSession.defaults()));
    if (this.options.handleInterruptions) {
      this.stopFollowing = AudioSession.instance().on('interruption', (interruption) => this.follow(interruption));
    }
  }

  /** Interruptions that paused this recorder and have not ended yet. */
  private readonly pausedBy = new Set<string>();
  private stopFollowing: () => void = () => undefined;

  /** Pauses at an interruption's start, and resumes when the last one that paused it ends. */
  private follow({ begin, type, reason, deviceId }: AudioInterruption): void {
    // A device's interruption concerns the recorders on that device only.
    if (deviceId !== undefined && begin && this.live?.inputSettings?.deviceId !== deviceId) return;
    const key = `${reason}:${deviceId ?? ''}`;
    if (begin && type === 'pause' && this.currentState === 'recording') {
      this.pausedBy.add(key);
      this.pause().catch(() => undefined);
    } else if (!begin && this.pausedBy.delete(key) && this.pausedBy.size === 0 && this.currentState === 'paused') {
      this.resume().catch(() => undefined);
    }
  }

  /** The current state. */
  get state(): RecorderState {
    return this.currentState;
  }

  /** Seconds recorded so far (pauses excluded); after a stop, the last recording's length. */
  get timeLength(): number {
    if (this.live) return this.capturedFrames / this.live.contextRate;
    const last = this.recordings.last;
    return last ? last.durationMs / 1000 : 0;
  }

  /** True while a recording is under way, paused or not (as in Flet). */
  isRecording(): boolean {
    return this.currentState !== 'stopped';
  }

  /** True while paused. */
  isPaused(): boolean {
    return this.currentState === 'paused';
  }

  /**
   * True when startRecording() could begin now: not disposed, not recording, the encoder is available, and
   * `source` (when given) would record something.
   */
  canRecord(source?: RecordingSource): boolean {
    if (this.disposed || this.currentState !== 'stopped' || !hasEncoderPlatform(this.options.encoder)) return false;
    if (source === undefined) return typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function';
    try {
      return findUnrecordable(toSourceList(source)).length === 0;
    } catch {
      return false;
    }
  }

  /** The input level now and its peak since the start, in dBFS. */
  getAmplitude(): Amplitude {
    return { ...this.amplitude };
  }

  /** What the browser applied to the microphone (echo cancellation, noise suppression, auto gain, rate); null before the first start. */
  getInputSettings(): InputSettings | null {
    return this.inputSettings;
  }

  /** The last finished recording, or null (none yet, or cleared). */
  getTemporaryContent(): Recording | null {
    return this.recordings.last;
  }

  /**
   * Starts recording: the microphone, or `options.source` (a MediaStream, a track, an `<audio>`/`<video>`
   * element, an AudioNode, or an array of them mixed together). Rejects with a TapedeckError
   * (permission-denied, device-not-found, source-unrecordable, …) before any prompt when the input is bad.
   */
  startRecording(options?: StartRecordingOptions): Promise<void> {
    return this.enqueue(() => this.begin(options, null));
  }

  /**
   * Starts recording to a stream instead of a file (Flutter record's startStream): signed 16-bit little-endian
   * interleaved PCM at `sampleRate` and `channels`, in chunks of about 46 ms as they are captured, for speech-to-text
   * and other live consumers. No file is kept; stopRecording() ends the stream and resolves to ''.
   */
  startStream(options?: StartRecordingOptions): Promise<ReadableStream<Uint8Array>> {
    return this.enqueue(async () => {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      await this.begin(options, controller);
      return stream;
    });
  }

  private async begin(options: unknown, stream: ReadableStreamDefaultController<Uint8Array> | null): Promise<void> {
    if (this.currentState !== 'stopped') {
      throw invalidState('startRecording() was called while recording: call stopRecording() or cancelRecording() first.');
    }
    const { sources, paused } = parseStartOptions(options);
    if (sources) assertRecordable(sources);
    const o = this.options;
    if (stream && o.upload) throw new TapedeckError('invalid-option', 'The upload option applies to startRecording(); startStream() keeps no file to upload.');
    if (!stream && !(await isEncoderSupported(o.encoder, o.channels, o.sampleRate, o.bitRate))) {
      const working = await supportedEncoders(o.channels);
      throw new TapedeckError(
        'unsupported-encoder',
        `This browser cannot record '${o.encoder}'; it can record ${working.map((id) => `'${id}'`).join(', ') || 'no format'} (isSupportedEncoder() tells).`,
      );
    }
    this.capturedFrames = 0;
    this.amplitude = { current: SILENCE_DB, max: SILENCE_DB };
    this.recordings.unclaimed = null;
    this.pausedBy.clear();
    const persist = o.persist === 'opfs' && !stream ? { id: crypto.randomUUID(), startedAt: Date.now() } : null;
    this.livePersist = persist && { id: persist.id, release: await holdLock(lockName(persist.id)) };
    let live: LiveTake | undefined;
    try {
      live = await this.open(sources, stream, persist, paused);
    } catch (error) {
      this.dropLivePersist();
      throw error;
    }
    if (this.disposed) {
      live.take.abort();
      live.release();
      this.assertUsable();
    }
    if (o.upload && !stream) this.startUpload(o.upload, persist?.id ?? crypto.randomUUID(), live, persist !== null);
    if (live.inputSettings) this.inputSettings = live.inputSettings;
    this.live = live;
    this.stream = stream;
    this.setState(paused ? 'paused' : 'recording');
  }

  private async open(
    sources: RecordableSource[] | null,
    stream: ReadableStreamDefaultController<Uint8Array> | null,
    persist: { id: string; startedAt: number } | null,
    paused: boolean,
  ): Promise<LiveTake> {
    const o = this.options;
    let live: LiveTake | undefined;
    live = await openLiveTake({
      options: o,
      sources,
      persist,
      paused,
      meterIntervalMs: this.meterIntervalMs(),
      streamOnly: stream !== null,
      workletUrl: o.workletUrl ?? defaultWorkletUrl(),
      workerUrl: o.workerUrl,
      ownContext: () => AudioSession.instance().context,
      leaseMicrophone: (request) => AudioSession.instance().leaseMicrophone(request),
      callbacks: {
        onLevel: (frames, peak) => {
          this.capturedFrames = frames;
          const current = toDb(peak);
          this.amplitude = { current, max: Math.max(this.amplitude.max, current) };
          this.emit('amplitude', { ...this.amplitude });
        },
        onLimit: (reason) => this.endBySelf(live, reason),
        onData: (blob) => {
          this.liveUpload?.push(blob);
          this.emit('data', { blob });
        },
        onPcm: (bytes) => stream?.enqueue(new Uint8Array(bytes)),
        onFailure: (error) => {
          this.emit('error', error);
          this.endBySelf(live, 'failure');
        },
        onWarning: (message) => this.emit('warning', { message }),
        onInputEnded: () => this.endBySelf(live, 'source-ended'),
        onMicrophoneLost: () => this.moveOffLostDevice(live),
      },
    });
    return live;
  }

  /**
   * The take's microphone was lost: moves it to the default device in the same file, or, if there is none, ends it
   * keeping what was recorded. Resolves whether it moved.
   */
  private moveOffLostDevice(live: LiveTake | undefined): Promise<boolean> {
    return this.enqueue(async () => {
      if (!live || this.live !== live || !live.switchMicrophone) return false;
      try {
        this.inputSettings = await live.switchMicrophone(undefined);
      } catch {
        this.endBySelf(live, 'source-ended');
        return false;
      }
      this.emit('inputchange', { settings: this.inputSettings, cause: 'device-lost' });
      return true;
    }).catch(() => false);
  }

  private liveUpload: TakeUpload | null = null;
  private lastUpload: Promise<string> | null = null;

  /**
   * With the `upload` option: the last take's upload, resolving with its URL on the server once the server has every
   * byte (stopRecording() does not wait for it), rejecting with `upload-failed`. Null before the first such take.
   */
  get uploadDone(): Promise<string> | null {
    return this.lastUpload;
  }

  private startUpload(options: UploadOptions, takeId: string, live: LiveTake, resumable: boolean): void {
    const upload = TakeUpload.start(options, { takeId, mimeType: live.mimeType, resumable }, { onProgress: (progress) => this.emit('uploadprogress', progress) });
    upload.done.then(
      (url) => this.emit('uploaded', { url }),
      (error: TapedeckError) => this.emit('uploaderror', error),
    );
    this.liveUpload = upload;
    this.lastUpload = upload.done;
  }

  /** Level reports as often as asked while anyone listens to `amplitude`; else slowly, for timeLength. */
  private meterIntervalMs(): number {
    return this.listenerCount('amplitude') > 0 ? this.options.meterIntervalMs : Math.max(IDLE_METER_MS, this.options.meterIntervalMs);
  }

  /** Calls `listener` on every `event`; returns a function that removes it. */
  override on<K extends keyof AudioRecorderEvents>(event: K, listener: Listener<AudioRecorderEvents[K]>): () => void {
    const off = super.on(event, listener);
    if (event === 'amplitude') this.live?.take.setMeterInterval(this.meterIntervalMs());
    return off;
  }

  /** Removes `listener` from `event`. */
  override off<K extends keyof AudioRecorderEvents>(event: K, listener: Listener<AudioRecorderEvents[K]>): void {
    super.off(event, listener);
    if (event === 'amplitude') this.live?.take.setMeterInterval(this.meterIntervalMs());
  }

  /** Deletes the live take's OPFS files and releases its lock. */
  private dropLivePersist(): void {
    if (this.livePersist) dropPersisted([this.livePersist]);
    this.livePersist = null;
  }

  /** The sources in `sources` that would record nothing, each with a reason (Roblox's GetUnrecordableInstancesAsync). */
  async getUnrecordableSources(sources: RecordingSource): Promise<UnrecordableSource[]> {
    this.assertUsable();
    return findUnrecordable(toSourceList(sources));
  }

  /** Pauses the recording; the paused time is left out of the file. */
  pause(): Promise<void> {
    return this.enqueue(async () => {
      if (this.currentState !== 'recording') throw invalidState(`pause() needs a running recording; the recorder is ${this.currentState}.`);
      this.live!.take.pause();
      this.setState('paused');
    });
  }

  /** Resumes a paused recording. */
  resume(): Promise<void> {
    return this.enqueue(async () => {
      if (this.currentState !== 'paused') throw invalidState(`resume() needs a paused recording; the recorder is ${this.currentState}.`);
      this.live!.take.resume();
      this.setState('recording');
    });
  }

  /**
   * Moves a microphone recording to input device `deviceId` (from getInputDevices()) mid-take: the same file, and no
   * gap, since the new device is opened and connected before the old one is let go. On failure (device-not-found,
   * permission-denied, …) the take goes on with the device it had.
   */
  setInputDevice(deviceId: string): Promise<void> {
    return this.enqueue(async () => {
      if (typeof deviceId !== 'string' || deviceId.length === 0) {
        throw new TapedeckError('invalid-option', 'setInputDevice(deviceId): deviceId must be a non-empty string from getInputDevices().');
      }
      if (!this.live) throw invalidState('setInputDevice() needs a recording under way; to pick the device of the next one, pass options.deviceId.');
      if (!this.live.switchMicrophone) throw invalidState('setInputDevice() applies to microphone recordings; this one records other sources.');
      this.inputSettings = await this.live.switchMicrophone(deviceId);
      this.emit('inputchange', { settings: this.inputSettings, cause: 'set-input-device' });
    });
  }

  /** Stops recording and releases the microphone; resolves to the recording's Blob URL (see getTemporaryContent()). */
  stopRecording(): Promise<string> {
    return this.enqueue(async () => {
      const unclaimed = this.recordings.claim();
      if (unclaimed) return unclaimed.url;
      if (!this.live) throw invalidState('stopRecording() was called while not recording.');
      return (await this.finish())?.url ?? '';
    });
  }

  /** Stops recording and discards it: no file and no URL are left behind. */
  cancelRecording(): Promise<void> {
    return this.enqueue(async () => {
      if (this.recordings.unclaimed && !this.live) {
        this.clear();
        return;
      }
      if (!this.live) throw invalidState('cancelRecording() was called while not recording.');
      this.live.take.abort();
      this.release(this.live);
      this.endStream();
      this.dropLivePersist();
      this.liveUpload?.abort();
      this.liveUpload = null;
    });
  }

  /** Drops the last recording and revokes its Blob URL (Roblox's Clear). */
  clear(): void {
    this.assertUsable();
    if (this.live) throw invalidState('clear() was called while recording: stop or cancel first.');
    dropPersisted(this.recordings.clearLast());
  }

  /** Whether the page may use the microphone; prompts only with `{ request: true }`. */
  async hasPermission(options: { request?: boolean } = {}): Promise<boolean> {
    this.assertUsable();
    if (typeof options !== 'object' || options === null || (options.request !== undefined && typeof options.request !== 'boolean')) {
      throw new TapedeckError('invalid-option', 'hasPermission(options): options.request, when provided, must be true or false.');
    }
    return hasMicrophonePermission(options.request === true);
  }

  /** The audio inputs, as `{ id, label }`; labels are empty until permission is granted. */
  async getInputDevices(): Promise<InputDevice[]> {
    this.assertUsable();
    return listInputDevices();
  }

  /** Whether this browser can record `encoder` with tapedeck. */
  async isSupportedEncoder(encoder: string): Promise<boolean> {
    this.assertUsable();
    if (typeof encoder !== 'string') {
      throw new TapedeckError('invalid-option', `isSupportedEncoder(encoder): encoder must be a string such as 'wav' (got ${typeof encoder}).`);
    }
    return isEncoderSupported(encoder, this.options.channels);
  }

  /** Releases the microphone, audio nodes, workers and every Blob URL this recorder made; the recorder is unusable after. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopFollowing();
    if (this.live) {
      this.live.take.abort();
      this.release(this.live);
    }
    this.liveUpload?.end();
    this.liveUpload = null;
    this.endStream();
    this.dropLivePersist();
    dropPersisted(this.recordings.revokeAll());
    this.removeAll();
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(this.disposedError());
    const run = this.queue.then(() => {
      this.assertUsable();
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the live take by itself (a limit, lost input, encoder failure), keeping what was recorded. */
  private endBySelf(live: LiveTake | undefined, reason: 'duration' | 'memory' | 'source-ended' | 'failure'): void {
    void this.enqueue(async () => {
      if (!live || this.live !== live) return;
      const recording = await this.finish();
      this.recordings.unclaimed = recording;
      if (reason === 'duration' || reason === 'memory') this.emit('limitreached', { reason, recording });
      if (reason === 'source-ended') {
        this.emit(
          'error',
          new TapedeckError('source-ended', 'The input ended mid-recording (device unplugged or track stopped); what was recorded until then is kept.'),
        );
      }
    }).catch((error: unknown) => {
      if (!this.disposed) this.emit('error', asTapedeckError(error));
    });
  }

  private async finish(): Promise<Recording | null> {
    const live = this.live!;
    let result: TakeResult;
    try {
      result = await live.take.stop();
    } finally {
      this.release(live);
      // The take's last bytes came with its end: the upload completes with them, in the background.
      this.liveUpload?.end();
      this.liveUpload = null;
    }
    const stream = this.endStream();
    if (result.droppedFrames > 0) {
      const ms = ((result.droppedFrames / live.contextRate) * 1000).toFixed(0);
      this.emit('error', new TapedeckError('encoder-failed', `${ms} ms of audio were lost because the encoder fell behind (the machine is overloaded).`));
    }
    const persisted = this.livePersist;
    this.livePersist = null;
    return stream ? null : this.recordings.keep(result.blob, result.frames, live.sampleRate, this.options.channels, persisted);
  }

  /** Closes the startStream() stream, if the take had one; returns whether it had. */
  private endStream(): boolean {
    const stream = this.stream;
    this.stream = null;
    try {
      stream?.close();
    } catch {
      // already closed or cancelled by the reader
    }
    return stream !== null;
  }

  private release(live: LiveTake): void {
    live.release();
    if (this.live === live) this.live = null;
    this.setState('stopped');
  }

  private setState(state: RecorderState): void {
    const previous = this.currentState;
    if (state === previous) return;
    this.currentState = state;
    AudioSession.instance().recorderActive(this, state === 'recording');
    this.emit('statechange', { state, previous });
  }

  private assertUsable(): void {
    if (this.disposed) throw this.disposedError();
  }

  private disposedError(): TapedeckError {
    return invalidState('This recorder was disposed; create a new AudioRecorder.');
  }
}

/** Deletes OPFS files the recorder no longer needs, and lets recovery see them no more. */
function dropPersisted(list: Persisted[]): void {
  for (const { id, release } of list) {
    void discardFiles(id)
      .catch(() => undefined)
      .finally(release);
  }
}
