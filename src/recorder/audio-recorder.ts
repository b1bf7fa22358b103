/**
 * AudioRecorder: the state machine and the call queue (Flet's AudioRecorder for the web). Everything one recording
 * holds belongs to its Take (src/take/take.ts); the page's session is reached through a RecorderHost.
 * Over 300 lines because it is the public surface: every member carries its doc comment; the logic is ~250 lines.
 */
import { asTapedeckError, TapedeckError } from '../errors';
import { Emitter, type Listener } from '../events';
import { formatOf, isFormatSupported, supportedFormats } from '../formats/registry';
import { hasMicrophonePermission, listInputDevices, type InputDevice, type InputSettings } from '../sources/microphone';
import { assertRecordable, findUnrecordable, toSourceList, type RecordableSource, type RecordingSource, type UnrecordableSource } from '../sources/sources';
import type { TakeFiles } from '../take/take-files';
import type { TakeEvents } from '../take/take';
import { checkOptions, invalidOption, rules } from '../validate';
import { resolveOptions, type AudioRecorderOptions, type ResolvedOptions } from './options';
import { discardRecovered, recoverRecordings, type RecoveredRecording } from './recover';
import type { Recording } from './recording';
import { LevelMeter, POLLED_METER_MS } from './level-meter';
import { RecordingStore } from './recording-store';
import { sessionHost, type RecorderHost, type TakeHandle } from './recorder-host';
import type { AudioRecorderEvents, RecorderState, StartRecordingOptions } from './recorder-events';

export type { Amplitude, AudioRecorderEvents, RecorderState, StartRecordingOptions } from './recorder-events';

const invalidState = (message: string) => new TapedeckError('invalid-state', message);
const disposedError = () => invalidState('This recorder was disposed; create a new AudioRecorder.');

function parseStartOptions(options: unknown): { sources: RecordableSource[] | null; paused: boolean } {
  if (options === undefined) return { sources: null, paused: false };
  const { source, paused } = checkOptions<StartRecordingOptions>(options, 'options', 'an option of startRecording()', { source: () => null, paused: rules.boolean });
  return { sources: source === undefined ? null : toSourceList(source), paused: paused ?? false };
}

/** The host the next recorder is made with (AudioRecorder.withHost). */
let nextHost: RecorderHost | null = null;

/**
 * Records audio from the microphone or any other source: Flet's AudioRecorder for the web. Calls are carried out in the
 * order they are made; one made in the wrong state rejects with `invalid-state` and changes nothing.
 */
export class AudioRecorder extends Emitter<AudioRecorderEvents> {
  /** The options in force, defaults filled in. */
  readonly options: Readonly<ResolvedOptions>;

  private readonly host: RecorderHost;
  private currentState: RecorderState = 'stopped';
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The take under way, or null. */
  private take: TakeHandle | null = null;
  private readonly recordings = new RecordingStore();
  private readonly meter = new LevelMeter();
  private inputSettings: InputSettings | null = null;
  private lastUpload: Promise<string> | null = null;
  /** The take under way is a startStream() one (no file is kept). */
  private streaming = false;
  private readonly following: { stop(): void; reset(): void } | null;

  /**
   * The takes recorded with `persist: 'opfs'` that a page left behind: ones that never reached stopRecording() (the
   * tab crashed, reloaded or was closed), and stopped ones whose upload the server had not confirmed; rebuilt as
   * playable recordings (`uploadPending` says which). Takes live in any tab are left alone; finished ones are deleted.
   */
  static recover(options: { workerUrl?: string } = {}): Promise<RecoveredRecording[]> {
    return recoverRecordings(options.workerUrl);
  }

  /** Deletes a recovered take's files (and revokes its URL). */
  static discardRecovered(id: string, options: { workerUrl?: string } = {}): Promise<void> {
    return discardRecovered(options.workerUrl, id);
  }

  /** @internal The next takes' upload `filename` metadata, asked when each upload is created (TrackRecorder). */
  uploadName: (() => string) | null = null;

  /** @internal A recorder on `host` instead of the page's audio session (the state machine's tests). */
  static withHost(host: RecorderHost, options?: AudioRecorderOptions): AudioRecorder {
    nextHost = host;
    try {
      return new AudioRecorder(options);
    } finally {
      nextHost = null;
    }
  }

  /** Validates `options` (throwing `invalid-option` naming the field) without touching the microphone. */
  constructor(options?: AudioRecorderOptions) {
    super();
    this.host = nextHost ?? sessionHost();
    this.options = Object.freeze(resolveOptions(options, this.host.defaults()));
    const recorder = this;
    this.following = this.options.handleInterruptions
      ? this.host.follow({
          get state() {
            return recorder.currentState;
          },
          pausesWhenHidden: this.options.pauseWhenHidden,
          deviceId: () => recorder.take?.inputSettings?.deviceId,
          pause: () => recorder.pause(),
          // The interrupted time is not the take's: no pre-roll from it.
          resume: () => recorder.resumeTake(false),
        })
      : null;
  }

  /** The current state. */
  get state(): RecorderState {
    return this.currentState;
  }

  /** Seconds recorded so far (pauses excluded); after a stop, the last recording's length. */
  get timeLength(): number {
    const take = this.take;
    if (take) return this.meter.framesAt(take.contextTime, take.contextRate) / take.contextRate;
    return (this.recordings.last?.durationMs ?? 0) / 1000;
  }

  /**
   * The live take's tap (options.tap): its audio as PCM chunks at the tap's rate while the file is written, closed
   * after the take's last chunk. A new stream each take; null while stopped or without a tap.
   */
  get tapStream(): ReadableStream<Float32Array | Int16Array> | null {
    return this.take?.tapStream ?? null;
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
   * True when startRecording() could begin now: not disposed, not recording, the encoder's APIs exist here, and
   * `source` (when given) would record something. (Synchronous: startRecording() also checks the encoder's settings.)
   */
  canRecord(source?: RecordingSource): boolean {
    if (this.disposed || this.currentState !== 'stopped' || !formatOf(this.options.encoder)?.available()) return false;
    if (source === undefined) return typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function';
    try {
      return findUnrecordable(toSourceList(source)).length === 0;
    } catch {
      return false;
    }
  }

  /** The input level now and its peak since the start, in dBFS. */
  getAmplitude(): { current: number; max: number } {
    // A caller polling the level gets fresh reports, as a listener would, until it stops asking.
    const wasPolled = this.polled();
    this.polledUntil = performance.now() + POLLED_METER_MS;
    if (!wasPolled) this.take?.setMeterInterval(this.meterIntervalMs());
    return { ...this.meter.amplitude };
  }

  /**
   * The last take's input: what the browser applied to the microphone (echo cancellation, noise suppression, auto
   * gain, rate; undefined for other sources), and `processing`, which of it was the browser's and which tapedeck's
   * (denoise, software auto gain). Null before the first start.
   */
  getInputSettings(): InputSettings | null {
    return this.inputSettings;
  }

  /** The last finished recording, or null (none yet, or cleared). */
  getTemporaryContent(): Recording | null {
    return this.recordings.last;
  }

  /**
   * With the `upload` option: the last take's upload, resolving with its URL on the server once the server has every
   * byte (stopRecording() does not wait for it), rejecting with `upload-failed`. Null before the first such take.
   */
  get uploadDone(): Promise<string> | null {
    return this.lastUpload;
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
    if (this.currentState !== 'stopped') throw invalidState('startRecording() was called while recording: call stopRecording() or cancelRecording() first.');
    const { sources, paused: pausedAsked } = parseStartOptions(options);
    // A startOnSpeech take waits, paused, for speech (it resumes by itself).
    const paused = pausedAsked || (this.options.vad?.startOnSpeech ?? false);
    if (sources) assertRecordable(sources);
    const o = this.options;
    if (stream && o.upload) invalidOption('The upload option applies to startRecording(); startStream() keeps no file to upload.');
    const query = { sampleRate: o.sampleRate, channels: o.channels, bitRate: o.bitRate, container: o.container };
    if (!stream && !(await isFormatSupported(o.encoder, query))) {
      const working = await supportedFormats(query);
      throw new TapedeckError(
        'unsupported-encoder',
        `This browser cannot record '${o.encoder}'; it can record ${working.map((id) => `'${id}'`).join(', ') || 'no format'} (isSupportedEncoder() tells).`,
      );
    }
    this.meter.reset();
    this.recordings.unclaimed = null;
    this.following?.reset();
    const uploadName = this.uploadName ?? undefined;
    const take = await this.host.openTake({ options: o, sources, paused, meterIntervalMs: this.meterIntervalMs(), stream, uploadName }, this.takeEvents(() => take));
    if (this.disposed) {
      take.abort(disposedError());
      throw disposedError();
    }
    this.inputSettings = take.inputSettings;
    if (take.uploadDone) this.lastUpload = take.uploadDone;
    this.take = take;
    this.streaming = stream !== null;
    this.setState(paused ? 'paused' : 'recording');
  }

  /** How a take reports to this recorder; `current` is the take (once opened), to ignore a take that has gone. */
  private takeEvents(current: () => TakeHandle | undefined): TakeEvents {
    const live = () => current() !== undefined && current() === this.take;
    return {
      onLevel: (report) => {
        const amplitude = this.meter.report(report);
        if (this.listenerCount('amplitude') > 0) this.emit('amplitude', amplitude);
        else if (this.polledUntil > 0 && !this.polled()) {
          this.polledUntil = 0; // getAmplitude() is no longer called: back to the idle interval
          this.take?.setMeterInterval(this.meterIntervalMs());
        }
      },
      onLimit: (reason) => this.endBySelf(current, reason),
      onSpeechStart: (atMs) => live() && this.emit('speechstart', { atMs }),
      onSpeechEnd: (segment) => live() && this.emit('speechend', segment),
      onSpeechWhileArmed: (heldFrame) =>
        void this.enqueue(async () => {
          const take = this.take;
          if (!take || current() !== take) return;
          // False when the take no longer waits for speech: resumed (and maybe paused again) by hand, or ended.
          if ((await take.resumeAtSpeech(heldFrame)) && this.take === take) this.setState('recording');
        }).catch(() => undefined),
      onData: (blob) => this.emit('data', { blob }),
      onWarning: (message) => this.emit('warning', { message }),
      onFailure: (error) => {
        this.emit('error', error);
        this.endBySelf(current, 'failure');
      },
      onInputEnded: () => this.endBySelf(current, 'source-ended'),
      onInputMoved: (settings) => {
        if (!live()) return;
        this.inputSettings = settings;
        this.emit('inputchange', { settings, cause: 'device-lost' });
      },
      onUploadProgress: (progress) => this.emit('uploadprogress', progress),
      onUploaded: (url) => this.emit('uploaded', { url }),
      onUploadError: (error) => this.emit('uploaderror', error),
    };
  }

  /** Until when (performance.now()) getAmplitude() keeps the meter at its asked interval; 0 when it no longer does. */
  private polledUntil = 0;

  private polled(): boolean {
    return performance.now() < this.polledUntil;
  }

  private meterIntervalMs(): number {
    return LevelMeter.intervalMs(this.options.meterIntervalMs, this.listenerCount('amplitude') > 0 || this.polled());
  }

  /** Calls `listener` on every `event`; returns a function that removes it. */
  override on<K extends keyof AudioRecorderEvents>(event: K, listener: Listener<AudioRecorderEvents[K]>): () => void {
    const off = super.on(event, listener);
    if (event === 'amplitude') this.take?.setMeterInterval(this.meterIntervalMs());
    return off;
  }

  /** Removes `listener` from `event`. */
  override off<K extends keyof AudioRecorderEvents>(event: K, listener: Listener<AudioRecorderEvents[K]>): void {
    super.off(event, listener);
    if (event === 'amplitude') this.take?.setMeterInterval(this.meterIntervalMs());
  }

  /** The sources in `sources` that would record nothing, each with a reason (Roblox's GetUnrecordableInstancesAsync). */
  async getUnrecordableSources(sources: RecordingSource): Promise<UnrecordableSource[]> {
    this.assertUsable();
    return findUnrecordable(toSourceList(sources));
  }

  /**
   * Pauses the recording; the paused time is left out of the file. Resolves once the audio thread has stopped taking
   * frames: timeLength is then the exact length captured, and stays so until resume().
   */
  pause(): Promise<void> {
    return this.enqueue(async () => {
      if (this.currentState !== 'recording') throw invalidState(`pause() needs a running recording; the recorder is ${this.currentState}.`);
      const take = this.take!;
      await take.pause();
      if (this.take === take) this.setState('paused'); // unless dispose() ended it meanwhile
    });
  }

  /**
   * Resumes a paused recording; resolves once the audio thread takes frames again. With `preRollMs`, the file goes on
   * with the last that many ms heard while paused (as much of the pause as there was), then the live input; a take
   * resumed by the session after an interruption gets no pre-roll.
   */
  resume(): Promise<void> {
    return this.resumeTake(true);
  }

  private resumeTake(preRoll: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.currentState !== 'paused') throw invalidState(`resume() needs a paused recording; the recorder is ${this.currentState}.`);
      const take = this.take!;
      await take.resume(preRoll);
      if (this.take === take) this.setState('recording');
    });
  }

  /**
   * Moves a microphone recording to input device `deviceId` (from getInputDevices()) mid-take: the same file, and no
   * gap, since the new device is opened and connected before the old one is let go. On failure (device-not-found,
   * permission-denied, …) the take goes on with the device it had.
   */
  setInputDevice(deviceId: string): Promise<void> {
    return this.enqueue(async () => {
      if (typeof deviceId !== 'string' || deviceId.length === 0) invalidOption('setInputDevice(deviceId): deviceId must be a non-empty string from getInputDevices().');
      if (!this.take) throw invalidState('setInputDevice() needs a recording under way; to pick the device of the next one, pass options.deviceId.');
      if (!this.take.isMicrophone) throw invalidState('setInputDevice() applies to microphone recordings; this one records other sources.');
      this.inputSettings = await this.take.switchInput(deviceId);
      this.emit('inputchange', { settings: this.inputSettings, cause: 'set-input-device' });
    });
  }

  /** Stops recording and releases the microphone; resolves to the recording's Blob URL (see getTemporaryContent()). */
  stopRecording(): Promise<string> {
    return this.enqueue(async () => {
      const unclaimed = this.recordings.claim();
      if (unclaimed) return unclaimed.url;
      if (!this.take) throw invalidState('stopRecording() was called while not recording.');
      return (await this.finish())?.url ?? '';
    });
  }

  /** Stops recording and discards it: no file and no URL are left behind. */
  cancelRecording(): Promise<void> {
    return this.enqueue(async () => {
      if (this.recordings.unclaimed && !this.take) return this.clear();
      if (!this.take) throw invalidState('cancelRecording() was called while not recording.');
      const take = this.take;
      this.letGo();
      await take.cancel();
    });
  }

  /** Drops the last recording and revokes its Blob URL (Roblox's Clear). */
  clear(): void {
    this.assertUsable();
    if (this.take) throw invalidState('clear() was called while recording: stop or cancel first.');
    this.deleteFiles(this.recordings.clearLast());
  }

  /** Whether the page may use the microphone; prompts only with `{ request: true }`. */
  async hasPermission(options: { request?: boolean } = {}): Promise<boolean> {
    this.assertUsable();
    const { request } = checkOptions<{ request?: boolean }>(options, 'options', 'an option of hasPermission()', { request: rules.boolean });
    return hasMicrophonePermission(request === true);
  }

  /** The audio inputs, as `{ id, label }`; labels are empty until permission is granted. */
  async getInputDevices(): Promise<InputDevice[]> {
    this.assertUsable();
    return listInputDevices();
  }

  /**
   * Whether this browser can record `encoder` (a format id, a Flet encoder name, or a plugin's id) with this
   * recorder's options: the same question startRecording() asks.
   */
  async isSupportedEncoder(encoder: string): Promise<boolean> {
    this.assertUsable();
    if (typeof encoder !== 'string') invalidOption(`isSupportedEncoder(encoder): encoder must be a string such as 'wav' (got ${typeof encoder}).`);
    const o = this.options;
    const container = formatOf(encoder)?.containers.includes(o.container ?? '') ? o.container : undefined;
    return isFormatSupported(encoder, { sampleRate: o.sampleRate, channels: o.channels, bitRate: o.bitRate, container });
  }

  /** Releases the microphone, audio nodes, workers and every Blob URL this recorder made; the recorder is unusable after. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.following?.stop();
    const take = this.take;
    this.letGo();
    take?.abort(disposedError());
    this.deleteFiles(this.recordings.revokeAll());
    this.removeAll();
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(disposedError());
    const run = this.queue.then(() => {
      this.assertUsable();
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the live take by itself (a limit, lost input, encoder failure), keeping what was recorded. */
  private endBySelf(current: () => TakeHandle | undefined, reason: 'duration' | 'memory' | 'silence' | 'source-ended' | 'failure'): void {
    void this.enqueue(async () => {
      if (!this.take || current() !== this.take) return;
      const recording = await this.finish();
      this.recordings.unclaimed = recording;
      if (reason === 'duration' || reason === 'memory' || reason === 'silence') this.emit('limitreached', { reason, recording });
      if (reason === 'source-ended') {
        this.emit('error', new TapedeckError('source-ended', 'The input ended mid-recording (device unplugged or track stopped); what was recorded until then is kept.'));
      }
    }).catch((error: unknown) => {
      if (!this.disposed) this.emit('error', asTapedeckError(error));
    });
  }

  /** Finishes the live take; resolves with its Recording (null for a startStream() take, which keeps no file). */
  private async finish(): Promise<Recording | null> {
    const take = this.take!;
    let end;
    try {
      end = await take.finish();
    } finally {
      this.letGo();
    }
    if (end.droppedFrames > 0) {
      const ms = ((end.droppedFrames / take.contextRate) * 1000).toFixed(0);
      this.emit('error', new TapedeckError('encoder-failed', `${ms} ms of audio were lost because the encoder fell behind (the machine is overloaded).`));
    }
    if (this.streaming) return null;
    const recording = this.recordings.keep(end.blob, end.frames, end.sampleRate, this.options.channels, end.files);
    recording.heardAudio = end.heard;
    recording.gaps = end.gaps;
    recording.speechSegments = end.speechSegments;
    recording.stages = { capturedFrames: end.capturedFrames, receivedFrames: end.receivedFrames, droppedFrames: end.droppedFrames, fileFrames: end.frames };
    const upload = end.upload;
    const files = end.files;
    if (upload) {
      // A later resumeUpload() that gets the take to the server settles its files as the take's own upload would.
      recording.upload = {
        takeId: upload.takeId,
        options: this.options.upload,
        url: () => upload.url,
        resumable: files !== null,
        uploaded: () => files?.uploaded(),
        running: () => (upload.pending ? upload.done : null),
      };
    }
    return recording;
  }

  /** The take is no longer this recorder's live one: stopped. */
  private letGo(): void {
    this.take = null;
    this.setState('stopped');
  }

  private deleteFiles(files: TakeFiles[]): void {
    for (const f of files) void f.letGo().catch(() => undefined);
  }

  private setState(state: RecorderState): void {
    const previous = this.currentState;
    if (state === previous) return;
    this.currentState = state;
    this.host.setRecording(this, state === 'recording');
    this.emit('statechange', { state, previous });
  }

  private assertUsable(): void {
    if (this.disposed) throw disposedError();
  }
}
