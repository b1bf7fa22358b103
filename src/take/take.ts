/**
 * One take, and the one owner of everything it holds: its input (microphone leases or sources), its pipeline (worklet
 * and worker), its files' lock (persist: 'opfs'), its upload, its stream (startStream()) and its tap (options.tap).
 * Each resource is let go in one place, and the take ends in one of three ways, each written once, idempotent and
 * safe against the others: finish() keeps the file, cancel() keeps nothing, abort() lets go at once (dispose).
 */
import { TapedeckError } from '../errors';
import { formatOf, outputSampleRate } from '../formats/registry';
import type { ResolvedOptions } from '../recorder/options';
import type { RecordingGap, SpeechSegment } from '../recorder/recording';
import type { InputSettings, TrackSettings } from '../sources/microphone';
import type { RecordableSource } from '../sources/sources';
import { ensureCaptureModule } from '../threads/worklet-module';
import { defaultWorkletUrl } from '../threads/files';
import { loadTus, TakeUpload, type UploadProgress } from '../upload/take-upload';
import type { LevelReport } from '../../worklets/protocol';
import { CapturePipeline, type PipelineResult } from './capture-pipeline';
import { TakeFiles } from './take-files';
import { TakeInput, type InputHost } from './take-input';
import { TapStream } from './tap-stream';
import { keepScreenAwake } from './wake-lock';

/** How often an uploaded take hands its new bytes to the upload, in ms (unless timesliceMs says otherwise). */
const UPLOAD_SLICE_MS = 1000;

/** What a take is asked to record. */
export interface TakeRequest {
  options: ResolvedOptions;
  /** The sources to record, or null for the microphone. */
  sources: readonly RecordableSource[] | null;
  /** Open everything, but capture nothing until resume() (or, startOnSpeech, until speech). */
  paused: boolean;
  /** ms between level reports at the start. */
  meterIntervalMs: number;
  /** startStream(): where the PCM16 goes (no file is kept). */
  stream: ReadableStreamDefaultController<Uint8Array> | null;
  /** The upload's `filename` metadata, asked when it is created (TrackRecorder's paths). */
  uploadName?: () => string;
}

/** What a running take reports. */
export interface TakeEvents {
  /** A level report: input frames captured so far (context rate), the peak since the last one (linear), the audio clock. */
  onLevel(report: LevelReport): void;
  /** The take reached its duration or size bound, or the auto-stop's silence (it is stopping; finish() hands over the file). */
  onLimit(reason: 'duration' | 'memory' | 'silence'): void;
  /** Voice activity (options.vad): speech began at `atMs` into the file. */
  onSpeechStart(atMs: number): void;
  /** Voice activity: a segment of speech ended. */
  onSpeechEnd(segment: SpeechSegment): void;
  /** startOnSpeech: speech began while the take waits for it; resume it with `heldFrame` (resumeAtSpeech). */
  onSpeechWhileArmed(heldFrame: number): void;
  /** An encoded chunk (with `timesliceMs`). */
  onData(blob: Blob): void;
  onWarning(message: string): void;
  /** The encoder failed; finish() still hands over what it had encoded. */
  onFailure(error: TapedeckError): void;
  /** The input ended (device unplugged, track stopped) and could not be replaced. */
  onInputEnded(): void;
  /** Following the session, the lost microphone was replaced by the default one, in the same file. */
  onInputMoved(settings: InputSettings): void;
  onUploadProgress(progress: UploadProgress): void;
  onUploaded(url: string): void;
  onUploadError(error: TapedeckError): void;
}

/** A finished take. */
export interface TakeEnd extends PipelineResult {
  /** Hz of the file. */
  sampleRate: number;
  /** Its files, when persisted (the caller deletes them once the recording is let go). */
  files: TakeFiles | null;
  /** Its upload, still going on in the background (the `upload` option), or null. */
  upload: TakeUpload | null;
  /** Audio it knows it did not get. */
  gaps: RecordingGap[];
  /** Where speech was, with options.vad (else empty). */
  speechSegments: SpeechSegment[];
}

/** A gap in words, for the `warning` event. */
function describeGap({ atMs, ms, cause }: RecordingGap): string {
  const why = {
    'input-silent': 'the microphone delivered nothing (exact digital silence: a device or browser glitch)',
    'audio-thread-late': "the browser's audio thread did not run (the machine is overloaded)",
    'encoder-behind': 'the encoder worker fell behind (the machine is overloaded)',
  }[cause];
  return `${ms.toFixed(0)} ms of audio are missing at ${(atMs / 1000).toFixed(2)} s into the take: ${why}.`;
}

/** See the module comment. */
export class Take {
  /** The ending under way or done (null while live), and whether it has completed. */
  private ending: Promise<unknown> | null = null;
  private ended = false;
  /** Device switches, one at a time. */
  private switching: Promise<unknown> = Promise.resolve();
  private upload: TakeUpload | null = null;
  private cancelled = false;
  /** Audio this take knows it did not get. */
  private readonly gaps: RecordingGap[] = [];
  /** Where speech was found (options.vad). */
  private readonly speechSegments: SpeechSegment[] = [];
  /** Lets the Screen Wake Lock go (keepAwake). */
  private awake: () => void = () => undefined;

  private constructor(
    private readonly request: TakeRequest,
    private readonly input: TakeInput,
    private readonly pipeline: CapturePipeline,
    private readonly files: TakeFiles | null,
    /** Hz of the file: the rate asked for, or the nearest the format stores. */
    readonly sampleRate: number,
    /** The file's MIME type. */
    readonly mimeType: string,
    /** The take's tap (options.tap), or null. */
    private readonly tap: TapStream | null,
  ) {}

  /** The tap's stream of PCM chunks (options.tap), or null without a tap. */
  get tapStream(): ReadableStream<Float32Array | Int16Array> | null {
    return this.tap?.stream ?? null;
  }

  /** Opens everything a take needs, in order, and lets go of what was opened if a later step fails. */
  static async open(request: TakeRequest, host: InputHost, events: TakeEvents): Promise<Take> {
    const o = request.options;
    const streaming = request.stream !== null;
    const format = formatOf(streaming ? 'pcm16' : o.encoder)!;
    const sampleRate = outputSampleRate(format, o.sampleRate);
    const container = o.container ?? format.containers[0] ?? '';
    const mimeType = format.mimeType({ sampleRate, channels: o.channels, container });
    const files = o.persist === 'opfs' && !streaming ? await TakeFiles.open(o.workerUrl) : null;
    let input: TakeInput | null = null;
    let take: Take | null = null;
    try {
      input = await TakeInput.open(
        {
          sources: request.sources,
          microphone: { deviceId: o.deviceId, channels: o.channels, autoGain: o.autoGain === true, cancelEcho: o.cancelEcho, suppressNoise: o.suppressNoise },
          followSession: o.handleInterruptions,
        },
        host,
        { onEnded: () => events.onInputEnded(), onLost: () => (take ? take.moveOffLostDevice(events) : Promise.resolve(false)) },
      );
      await ensureCaptureModule(input.context, o.workletUrl ?? defaultWorkletUrl());
      // An uploaded take is written append-only and handed out every second (or every timesliceMs) for the upload.
      const uploading = !streaming && o.upload !== undefined;
      if (uploading) void loadTus().catch(() => undefined); // now: the network may be gone by the first bytes
      const timesliceMs = o.timesliceMs ?? (uploading ? UPLOAD_SLICE_MS : undefined);
      const plugin = streaming ? undefined : format.plugin;
      const context = input.context;
      const tap = o.tap ? new TapStream(o.tap, (message) => events.onWarning(message)) : null;
      const pipeline = await CapturePipeline.start({
        context,
        source: input.output,
        workerUrl: o.workerUrl,
        gain: o.gain,
        limitFrames: o.maxDurationMs === undefined ? 0 : Math.round((o.maxDurationMs * context.sampleRate) / 1000),
        encoderPort: plugin?.connect ? await plugin.connect() : undefined,
        paused: request.paused,
        preRollMs: o.preRollMs,
        startOnSpeech: o.vad?.startOnSpeech ?? false,
        meterIntervalMs: request.meterIntervalMs,
        reportSilentInput: input.isMicrophone,
        encoder: {
          encoder: format.id,
          mimeType,
          pluginModule: plugin?.workerModule,
          inputSampleRate: context.sampleRate,
          sampleRate,
          channels: o.channels,
          bitRate: o.bitRate,
          container,
          timesliceFrames: streaming || timesliceMs === undefined ? 0 : Math.max(1, Math.round((timesliceMs * sampleRate) / 1000)),
          sliceBlobs: !streaming && o.timesliceMs !== undefined,
          maxBytes: streaming ? 0 : (o.maxBufferBytes ?? 0),
          streamOnly: streaming,
          persist: files && { id: files.id, startedAt: files.startedAt },
          appendOnly: uploading,
          tap: o.tap ? { ...o.tap, chunkFrames: Math.max(1, Math.round((o.tap.chunkMs * o.tap.sampleRate) / 1000)) } : null,
          processing: { denoise: o.denoise === 'rnnoise', autoGain: o.autoGain === 'software' },
          vad: o.vad ? { aggressiveness: o.vad.aggressiveness, autoStopAfterMs: o.vad.autoStop?.afterSilenceMs ?? 0, startOnSpeech: o.vad.startOnSpeech } : null,
        },
        events: {
          onLevel: (report) => events.onLevel(report),
          onLimit: (reason) => events.onLimit(reason),
          onSpeech: (report) => {
            if (report.type === 'speechstart') return events.onSpeechStart(report.atMs);
            const segment = { startMs: report.startMs, endMs: report.endMs };
            take?.speechSegments.push(segment);
            events.onSpeechEnd(segment);
          },
          onSpeechWhileArmed: (heldFrame) => events.onSpeechWhileArmed(heldFrame),
          onData: (blob, fileBytes) => {
            take?.upload?.grew(fileBytes);
            if (blob) events.onData(blob);
          },
          onWarning: (message) => events.onWarning(message),
          onPcm: (bytes) => request.stream?.enqueue(new Uint8Array(bytes)),
          onTap: (data, frames) => tap?.push(data, frames),
          onFailure: (error) => events.onFailure(error),
          onGap: ({ atFrame, frames, cause }) => {
            const gap = { atMs: (atFrame / context.sampleRate) * 1000, ms: (frames / context.sampleRate) * 1000, cause };
            take?.gaps.push(gap);
            events.onWarning(describeGap(gap));
          },
          // The microphone is let go while the worker still writes the file's tail (ending a capture costs the main
          // thread ~3 ms in Chromium; this way it is not added to the stop).
          onCaptureEnded: () => take?.releaseInput(),
        },
      });
      take = new Take(request, input, pipeline, files, sampleRate, mimeType, tap);
      if (uploading) take.startUpload(files?.id ?? crypto.randomUUID(), files !== null, events);
      if (o.keepAwake) take.awake = keepScreenAwake((message) => events.onWarning(message));
      return take;
    } catch (error) {
      input?.release();
      if (files) void files.discard().catch(() => undefined);
      throw error;
    }
  }

  private startUpload(takeId: string, resumable: boolean, events: TakeEvents): void {
    const options = this.request.options.upload!;
    const identity = { takeId, mimeType: this.mimeType, resumable, fileName: this.request.uploadName };
    const upload = TakeUpload.start(options, identity, { onProgress: (p) => events.onUploadProgress(p) }, (start, end) => this.pipeline.read(start, end));
    upload.done.then(
      (url) => events.onUploaded(url),
      // A cancelled take's upload is deleted on purpose: uploadDone rejects, but that is no error to report.
      (error: TapedeckError) => this.cancelled || events.onUploadError(error),
    );
    // A persisted take's files stay (and recovery offers them) until the server has every byte.
    const files = this.files;
    if (files) {
      files.awaitUpload();
      upload.done.then(
        () => files.uploaded(),
        () => files.uploadFailed(),
      );
    }
    this.upload = upload;
  }

  /** With the `upload` option: the upload's end, resolving with its URL once the server has every byte. */
  get uploadDone(): Promise<string> | null {
    return this.upload?.done ?? null;
  }

  /** Hz of the context the take captures in. */
  get contextRate(): number {
    return this.input.context.sampleRate;
  }

  /** The capture context's audio clock now, in seconds. */
  get contextTime(): number {
    return this.input.context.currentTime;
  }

  /** The microphone track's settings (undefined for other sources), and which processing was the browser's and which tapedeck's. */
  get inputSettings(): InputSettings {
    return this.settingsOf(this.input.inputSettings);
  }

  private settingsOf(track: TrackSettings | null): InputSettings {
    const t = track ?? { deviceId: undefined, sampleRate: undefined, channelCount: undefined, autoGain: undefined, cancelEcho: undefined, suppressNoise: undefined };
    const o = this.request.options;
    return {
      ...t,
      processing: {
        browser: { autoGain: t.autoGain === true, cancelEcho: t.cancelEcho === true, suppressNoise: t.suppressNoise === true },
        tapedeck: { denoise: o.denoise === 'rnnoise' ? 'rnnoise' : null, autoGain: o.autoGain === 'software' },
      },
    };
  }

  /** True for a microphone take, which switchInput() can move to another device. */
  get isMicrophone(): boolean {
    return this.input.isMicrophone;
  }

  pause(): Promise<void> {
    return this.pipeline.pause();
  }

  /** Takes frames again, the pre-roll first (options.preRollMs) unless `preRoll` is false (an interruption's end). */
  resume(preRoll = true): Promise<void> {
    return this.pipeline.resume(preRoll);
  }

  /**
   * startOnSpeech: begins the waiting take where speech began (held frame `heldFrame`), less the pre-roll; false if it
   * is no longer waiting (resumed by hand, ended).
   */
  resumeAtSpeech(heldFrame: number): Promise<boolean> {
    return this.pipeline.resumeAtSpeech(heldFrame);
  }

  setMeterInterval(ms: number): void {
    this.pipeline.setMeterInterval(ms);
  }

  /** Moves a microphone take to device `deviceId` (the default when undefined), in the same file. */
  switchInput(deviceId: string | undefined): Promise<InputSettings> {
    const move = this.switching.then(async () => {
      if (this.ending) throw new TapedeckError('invalid-state', 'The take ended before its input could move.');
      return this.settingsOf(await this.input.switchMicrophone(deviceId, () => this.pipeline.hold()));
    });
    this.switching = move.catch(() => undefined);
    return move;
  }

  /** The session lost the microphone: move to the default device (true), or, with none left, end the input (false). */
  private async moveOffLostDevice(events: TakeEvents): Promise<boolean> {
    try {
      events.onInputMoved(await this.switchInput(undefined));
      return true;
    } catch {
      events.onInputEnded();
      return false;
    }
  }

  /** Ends the take keeping its file: the worker flushes the tail (it never re-encodes), and the upload completes. */
  finish(): Promise<TakeEnd> {
    if (this.ending) return Promise.reject(new TapedeckError('invalid-state', 'This take has already ended.'));
    const ending = (async () => {
      try {
        const result = await this.pipeline.stop();
        // The take's last bytes came with its end: the upload completes from the file, in the background.
        this.upload?.end(result.blob);
        return { ...result, sampleRate: this.sampleRate, files: this.files, upload: this.upload, gaps: [...this.gaps], speechSegments: [...this.speechSegments] };
      } catch (error) {
        // Nothing came back from the worker: what it wrote to disk (persisted) is left for recover(), not deleted.
        this.upload?.giveUp();
        this.files?.release();
        this.tap?.error(error);
        throw error;
      } finally {
        this.ended = true;
        this.input.release();
        this.awake();
        this.closeStream();
      }
    })();
    this.ending = ending;
    return ending;
  }

  /** Lets the input go once nothing more is captured (the take is ending: stop, or its duration bound). */
  releaseInput(): void {
    this.input.release();
  }

  /** Ends the take keeping nothing: no file (the worker deletes what it wrote), no upload on the server. */
  cancel(): Promise<void> {
    if (this.ending) return this.ending.then(() => undefined, () => undefined);
    this.cancelled = true;
    const ending = (async () => {
      this.input.release();
      this.awake();
      this.upload?.abort();
      this.tap?.error(new TapedeckError('invalid-state', 'The take was cancelled: it keeps nothing.'));
      this.closeStream();
      // The take's worker deletes its files with their handles closed; a second look deletes whatever it could not.
      await this.pipeline.cancel();
      if (this.files) await this.deleteFiles();
      this.ended = true;
    })();
    this.ending = ending;
    return ending;
  }

  /**
   * Lets go of everything at once (dispose): a pending finish() or cancel() settles (finish() rejecting with
   * `reason`). The files of a take being recorded are deleted; those of one that was being finished are kept for
   * recover() (the user asked for that file). Does nothing once the take has ended.
   */
  abort(reason: TapedeckError): void {
    if (this.ended) return;
    const finishing = this.ending !== null && !this.cancelled;
    this.ended = true;
    this.ending ??= Promise.resolve();
    this.pipeline.abort(reason);
    this.input.release();
    this.awake();
    this.upload?.giveUp();
    this.tap?.error(reason);
    this.closeStream();
    if (this.files && finishing) this.files.release();
    else if (this.files) void this.deleteFiles();
  }

  private deleteFiles(): Promise<void> {
    return this.files!.discard().catch(() => undefined);
  }

  private closeStream(): void {
    this.tap?.close();
    try {
      this.request.stream?.close();
    } catch {
      // already closed, or cancelled by the reader
    }
  }
}
