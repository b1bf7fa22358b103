/**
 * One take's pipeline across the three threads: source node → capture worklet (audio thread) → encoder worker.
 * The main thread wires the ports and then only sees level reports, the live stream's chunks and the finished file.
 * Its three endings — stop(), cancel(), abort() — each settle within a bounded time, whatever the worker does.
 */
import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import { startEncoderWorker } from '../threads/files';
import { WORKER_HELP } from '../threads/worker-start';
import type { EncoderConfig, WorkerCommand, WorkerReport } from '../worker/protocol';
import { CAPTURE_PROCESSOR_NAME, ringChunks, type CaptureGap, type CaptureProcessorOptions, type LevelReport, type WorkletCommand, type WorkletReport } from '../../worklets/protocol';

/** A voice activity report of the worker's. */
export type SpeechReport = Extract<WorkerReport, { type: 'speechstart' | 'speechend' }>;

/** Frames per chunk sent from the worklet to the worker (16 render quanta, ~46 ms at 44.1 kHz). */
const CHUNK_FRAMES = 2048;
/** Chunks in the worklet's pool: ~1.5 s of slack before a stalled worker costs audio. */
const POOL_SIZE = 32;
/** How long the worker and the worklet may take to answer at start. */
const START_TIMEOUT_MS = 10_000;
/** How long stop may wait for the worker's file: the tail's flush takes milliseconds; a plugin may never answer. */
const STOP_TIMEOUT_MS = 10_000;
/** How long a worker that did not finish may take to hand over what it had written. */
const SALVAGE_TIMEOUT_MS = 2_000;
/** How long a cancelled take's worker may take to delete its files. */
const CANCEL_TIMEOUT_MS = 5_000;
/** How far before the detector's report startOnSpeech can reach back for where speech began: its 300 ms window, and the hop to the main thread and back on a busy machine. */
const SPEECH_REACH_MS = 2_000;
/** How long pause() and resume() wait for the worklet to say it stopped or began taking frames (it answers within a quantum). */
const CAPTURE_SWITCH_TIMEOUT_MS = 1_000;

/**
 * A User Timing mark of the stop's way through the threads (`tapedeck:stop`, `tapedeck:capture-ended` when the
 * worklet's end is back, `tapedeck:file-done` with the worker's own time for the tail and, of it, for finishing the
 * file): DevTools' timeline and the bench read them.
 */
function mark(name: string, detail?: Record<string, number>): void {
  performance.mark(`tapedeck:${name}`, { detail });
}

/** What a finished take yields. */
export interface PipelineResult {
  blob: Blob;
  /** Output frames in the file. */
  frames: number;
  /** Input frames the worklet had to drop because the worker fell behind (0 when healthy). */
  droppedFrames: number;
  /** Input frames (context rate) the worklet captured, and those the worker received (captured − dropped). */
  capturedFrames: number;
  receivedFrames: number;
  /** Whether any sample was not zero. */
  heard: boolean;
}

/** What a running pipeline reports. */
export interface PipelineEvents {
  /** A level report (see the worklet's 'level'): frames captured so far (context rate), the peak since the last one (linear). */
  onLevel(report: LevelReport): void;
  /**
   * The take reached a bound: its duration (the worklet stopped), its size (the worker stopped writing), or the
   * silence after speech of the voice activity's auto-stop (the worker ended the file there).
   */
  onLimit(reason: 'duration' | 'memory' | 'silence'): void;
  /** Voice activity (options.vad): speech began, or a segment of it ended, in ms into the file. */
  onSpeech(report: SpeechReport): void;
  /** startOnSpeech: the detector heard speech begin at held frame `heldFrame`, while the take waits for it. */
  onSpeechWhileArmed(heldFrame: number): void;
  /** A slice: the live stream's next piece (with `timesliceMs`; else null), and the file's size now (for the upload). */
  onData(blob: Blob | null, fileBytes: number): void;
  /** Something degraded but the take goes on (e.g. OPFS failed and the take moved to memory). */
  onWarning(message: string): void;
  /** Raw PCM16 bytes, as they are produced (startStream()). */
  onPcm(bytes: ArrayBuffer): void;
  /** A chunk of the tap (options.tap): interleaved samples in its format, `frames` long. */
  onTap(data: ArrayBuffer, frames: number): void;
  /** The worker failed mid-take; what it had encoded still comes as the take's result. */
  onFailure(error: TapedeckError): void;
  /** Audio the take knows it did not get (see CaptureGap). */
  onGap(gap: CaptureGap): void;
  /** The worklet has taken its last frame (stop or the duration bound): the input is no longer needed. */
  onCaptureEnded(): void;
}

/** What a pipeline needs. */
export interface PipelineParams {
  context: AudioContext;
  source: AudioNode;
  /** The encoder worker's URL (the `workerUrl` option), or undefined for the one shipped with tapedeck. */
  workerUrl: string | undefined;
  encoder: EncoderConfig;
  /** For an extendable-media-recorder plugin: the port to its encoder, handed to the worker. */
  encoderPort?: MessagePort;
  /** Start with capture paused, until resume(). */
  paused: boolean;
  /** ms between level reports. */
  meterIntervalMs: number;
  /** Report exact digital silence in the input as gaps (a microphone never delivers it). */
  reportSilentInput: boolean;
  gain: number;
  /** Input frames (context rate) after which the take stops by itself; 0 for none. */
  limitFrames: number;
  /** ms of input kept while paused, put at the head of what a resume() captures (options.preRollMs). */
  preRollMs: number;
  /** The take waits, paused, for speech (options.vad.startOnSpeech): the worker's detector hears the input meanwhile. */
  startOnSpeech: boolean;
  events: PipelineEvents;
}

const encoderFailed = (message: string) => new TapedeckError('encoder-failed', message);

/** See the module comment. */
export class CapturePipeline {
  private readonly node: AudioWorkletNode;
  private readonly worker: Worker;
  private readonly result: Promise<PipelineResult>;
  private resolveResult!: (result: PipelineResult) => void;
  private rejectResult!: (error: TapedeckError) => void;
  private cancelled: (() => void) | null = null;
  private readonly reads = new Map<number, { resolve: (blob: Blob) => void; reject: (error: Error) => void }>();
  private nextRead = 1;
  private closed = false;
  /** True once start() has resolved: failures after that go to onFailure, before it to start()'s caller. */
  private running = false;
  private paused: boolean;
  private holds = 0;
  private capturing: boolean;
  /** A startOnSpeech take that has not begun: speech the detector hears may still begin it (resumeAtSpeech). */
  private armed: boolean;
  /** How the next resume of the worklet goes (a user's resume() brings the pre-roll), kept while a hold() defers it. */
  private resumeWith: { preRoll: boolean; speechAtHeldFrame?: number } = { preRoll: false };
  /** Callers of pause()/resume() waiting for the worklet's report that it stopped (false) or began (true) taking frames. */
  private switching: { capturing: boolean; done: () => void }[] = [];

  private constructor(private readonly params: PipelineParams) {
    const { context, gain, limitFrames } = params;
    const framesOf = (ms: number) => Math.round((ms * context.sampleRate) / 1000);
    const ringFrames = params.preRollMs > 0 || params.startOnSpeech ? framesOf(params.preRollMs + (params.startOnSpeech ? SPEECH_REACH_MS : 0)) : 0;
    const options: CaptureProcessorOptions = {
      channels: params.encoder.channels,
      chunkFrames: CHUNK_FRAMES,
      poolSize: POOL_SIZE + ringChunks(ringFrames, CHUNK_FRAMES),
      gain,
      limitFrames,
      levelIntervalFrames: framesOf(params.meterIntervalMs),
      reportSilentInput: params.reportSilentInput,
      ringFrames,
      preRollFrames: framesOf(params.preRollMs),
      sendHeld: params.startOnSpeech,
    };
    // The node's explicit channelCount makes Web Audio up- or down-mix the source to the output's channels
    // ('speakers' rules: mono is copied to both sides, stereo is averaged to mono).
    this.node = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: params.encoder.channels,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: options,
    });
    this.worker = startEncoderWorker(params.workerUrl);
    this.result = new Promise<PipelineResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => undefined); // observed by stop(); never an unhandled rejection
    this.paused = params.paused;
    this.capturing = !params.paused;
    this.armed = params.startOnSpeech && params.paused;
  }

  /** Builds the pipeline and starts capturing; resolves once the worklet has taken its first frame. */
  static async start(params: PipelineParams): Promise<CapturePipeline> {
    const pipeline = new CapturePipeline(params);
    try {
      await pipeline.connect();
      pipeline.running = true;
      return pipeline;
    } catch (error) {
      pipeline.abort();
      throw error;
    }
  }

  private report(message: WorkerReport, rejectStart: (error: TapedeckError) => void, ready: () => void): void {
    const { events } = this.params;
    switch (message.type) {
      case 'ready':
        return ready();
      case 'data':
        return events.onData(message.blob, message.fileBytes);
      case 'range':
        return this.answerRead(message.id, message.blob, message.error);
      case 'full':
        return events.onLimit(message.reason);
      case 'speechstart':
      case 'speechend':
        return events.onSpeech(message);
      case 'armedspeech':
        return events.onSpeechWhileArmed(message.heldFrame);
      case 'pcm':
        return events.onPcm(message.bytes);
      case 'tap':
        return events.onTap(message.data, message.frames);
      case 'warning':
        return events.onWarning(message.message);
      case 'done': {
        const { blob, frames, receivedFrames, droppedFrames, heard, tailMs, fileMs } = message;
        mark('file-done', { workerTailMs: tailMs, workerFileMs: fileMs });
        // The worklet's own count, when its 'ended' came first (it is posted at the same time as the worker's end).
        const capturedFrames = this.endedCapture ? this.capturedFrames : receivedFrames + droppedFrames;
        return this.resolveResult({ blob, frames, receivedFrames, capturedFrames, droppedFrames, heard });
      }
      case 'cancelled':
        return this.cancelled?.();
      case 'error':
        return this.fail(encoderFailed(`The encoder failed: ${message.message}`), message.blob, message.frames, rejectStart);
      default:
        return; // the jobs' reports: not sent to a take's worker
    }
  }

  private async connect(): Promise<void> {
    const { context, source, encoder } = this.params;
    const ready = new Promise<void>((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent<WorkerReport>) => this.report(event.data, reject, resolve);
      this.worker.onerror = (event) => {
        event.preventDefault();
        const where = this.params.workerUrl ?? 'the file beside tapedeck';
        this.fail(encoderFailed(`The encoder worker (${where}) failed to load or crashed (${event.message || 'no message'}). ${WORKER_HELP}`), null, 0, reject);
      };
    });
    const started = new Promise<void>((resolve) => {
      this.node.port.onmessage = (event: MessageEvent<WorkletReport>) => {
        const message = event.data;
        if (message.type === 'started') resolve();
        else if (message.type === 'level') {
          this.capturedFrames = message.frames;
          this.params.events.onLevel(message);
          this.settleSwitches((waiter) => waiter.capturing === message.capturing);
        } else if (message.type === 'gap') this.params.events.onGap(message);
        else {
          mark('capture-ended');
          this.capturedFrames = message.frames;
          this.endedCapture = true;
          this.settleSwitches(() => true);
          this.params.events.onCaptureEnded();
          if (message.reason === 'limit') this.params.events.onLimit('duration');
        }
      };
    });

    const channel = new MessageChannel();
    this.post({ type: 'connect', port: channel.port1 }, [channel.port1]);
    const { encoderPort } = this.params;
    const take: WorkerCommand = { type: 'take', port: channel.port2, config: encoder, encoderPort };
    this.worker.postMessage(take, encoderPort ? [channel.port2, encoderPort] : [channel.port2]);
    await withTimeout(ready, START_TIMEOUT_MS, () => encoderFailed(`The encoder worker did not start within ${START_TIMEOUT_MS / 1000} s.`));

    source.connect(this.node);
    this.node.connect(context.destination); // keeps the node pulled; it outputs silence
    if (context.state !== 'running') {
      // Quirk #3: a context created outside a user gesture starts suspended; resume() settles once allowed.
      void context.resume().catch(() => undefined);
    }
    this.post({ type: 'start', paused: this.paused });
    const suspended = () =>
      new TapedeckError(
        'context-suspended',
        `The audio context is ${context.state}, so nothing is captured: call startRecording() from a user gesture (a click or a key press).`,
      );
    await withTimeout(started, START_TIMEOUT_MS, suspended);
  }

  private fail(error: TapedeckError, blob: Blob | null, frames: number, rejectStart: (e: TapedeckError) => void): void {
    rejectStart(error);
    if (blob) this.resolveResult({ blob, frames, capturedFrames: this.capturedFrames, receivedFrames: this.capturedFrames, droppedFrames: 0, heard: frames > 0 });
    else this.rejectResult(error);
    if (this.running) this.params.events.onFailure(error);
  }

  /** Reports the level every `ms` from now on. */
  setMeterInterval(ms: number): void {
    this.post({ type: 'meter', intervalFrames: Math.round((this.params.context.sampleRate * ms) / 1000) });
  }

  /**
   * Stops taking frames until resume(); the paused time is not in the file. Resolves once the worklet has stopped,
   * with its frame count reported (so timeLength is then exact), or once the take has ended.
   */
  pause(): Promise<void> {
    this.paused = true;
    this.resumeWith = { preRoll: false };
    return this.syncCapture();
  }

  /**
   * Takes frames again after pause(), the pre-roll first (`preRoll`: false for the interruption follower's resume,
   * whose paused time was not the take's); resolves once the worklet takes them (or the take has ended).
   */
  resume(preRoll = true): Promise<void> {
    this.armed = false;
    this.paused = false;
    this.resumeWith = { preRoll };
    return this.syncCapture();
  }

  /**
   * startOnSpeech: begins the take that waits for speech, its pre-roll reaching back from held frame `heldFrame`
   * (where the detector heard speech begin); resolves true once the worklet takes frames. False, doing nothing, once
   * the take has begun (by hand or by speech) or ended.
   */
  async resumeAtSpeech(heldFrame: number): Promise<boolean> {
    if (!this.armed || !this.paused || this.closed) return false;
    this.armed = false;
    this.paused = false;
    this.resumeWith = { preRoll: true, speechAtHeldFrame: heldFrame };
    await this.syncCapture();
    return true;
  }

  /**
   * Stops taking frames while the input is replaced (a dead device), apart from pause(): frames are taken again when
   * the returned function is called, unless the take is paused then.
   */
  hold(): () => void {
    this.holds++;
    void this.syncCapture();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      void this.syncCapture();
    };
  }

  /**
   * Tells the worklet to take frames or not; resolves once it reports it did (bounded, should it never answer). Only
   * a resume() brings the pre-roll: what was held while an input was replaced (hold()) is not the take's.
   */
  private syncCapture(): Promise<void> {
    const capture = !this.paused && this.holds === 0;
    if (capture === this.capturing || this.closed || this.endedCapture) return Promise.resolve();
    this.capturing = capture;
    if (capture) {
      this.post({ type: 'resume', ...this.resumeWith });
      this.resumeWith = { preRoll: false };
    } else this.post({ type: 'pause' });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, CAPTURE_SWITCH_TIMEOUT_MS); // a suspended or stalled audio thread
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.switching.push({ capturing: capture, done });
    });
  }

  private settleSwitches(settled: (waiter: { capturing: boolean }) => boolean): void {
    const still = [];
    for (const waiter of this.switching) (settled(waiter) ? waiter.done() : still.push(waiter));
    this.switching = still;
  }

  /** Bytes [start, end) of the take's file as written so far (its upload reads them from the worker's file). */
  read(start: number, end: number): Promise<Blob> {
    if (this.closed) return Promise.reject(new Error('the take has ended'));
    const id = this.nextRead++;
    return new Promise<Blob>((resolve, reject) => {
      this.reads.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'read', id, start, end } satisfies WorkerCommand);
    });
  }

  private answerRead(id: number, blob: Blob | null, error: string | null): void {
    const read = this.reads.get(id);
    this.reads.delete(id);
    if (blob) read?.resolve(blob);
    else read?.reject(new Error(error ?? 'nothing read'));
  }

  /**
   * Ends the take: the worklet sends its last partial chunk, the worker flushes the tail and hands over the file. If
   * the worker never finishes (a plugin whose flush() never settles), what it had written is salvaged and reported
   * with `encoder-failed`. stop() rejects when the worker failed with nothing kept, or answers nothing at all.
   */
  async stop(): Promise<PipelineResult> {
    mark('stop');
    this.post({ type: 'stop' });
    const timedOut = encoderFailed(`The encoder did not finish the file within ${STOP_TIMEOUT_MS / 1000} s.`);
    try {
      return await withTimeout(this.result, STOP_TIMEOUT_MS, () => timedOut);
    } catch (error) {
      // Only a worker that went quiet is read back: one that failed said so, with what it kept.
      const salvaged = error === timedOut && !this.closed ? await this.salvage() : null;
      if (!salvaged) throw error;
      this.params.events.onFailure(
        encoderFailed(`The encoder did not finish the file within ${STOP_TIMEOUT_MS / 1000} s: the recording is what it had written (its ending may be missing).`),
      );
      return salvaged;
    } finally {
      // The file is in hand: the graph and the worker are let go a task later, once the caller has its URL.
      this.close(encoderFailed('The take has ended.'));
      setTimeout(() => this.tearDown(), 0);
    }
  }

  /** Input frames (context rate) the worklet had captured at its last level report, or in all once it ended. */
  private capturedFrames = 0;
  private endedCapture = false;

  /** What the worker had written, read back from it (bounded in time), as the take's result; null if it is silent. */
  private async salvage(): Promise<PipelineResult | null> {
    const blob = await withTimeout(this.read(0, Number.MAX_SAFE_INTEGER), SALVAGE_TIMEOUT_MS, () => encoderFailed('no answer')).catch(() => null);
    if (!blob || blob.size === 0) return null;
    const { encoder } = this.params;
    const frames = Math.round((this.capturedFrames * encoder.sampleRate) / encoder.inputSampleRate);
    const stages = { capturedFrames: this.capturedFrames, receivedFrames: this.capturedFrames, droppedFrames: 0 };
    return { blob: new Blob([blob], { type: encoder.mimeType }), frames, ...stages, heard: frames > 0 };
  }

  /** Ends the take without a file: the worker closes and deletes what it wrote (bounded in time), then all is torn down. */
  async cancel(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((resolve) => (this.cancelled = resolve));
    this.worker.postMessage({ type: 'cancel' } satisfies WorkerCommand);
    await withTimeout(done, CANCEL_TIMEOUT_MS, () => encoderFailed('The encoder worker did not end the take.')).catch(() => undefined);
    this.abort();
  }

  /** Tears everything down at once; what was not finished is discarded, and a pending stop() rejects with `reason`. */
  abort(reason: TapedeckError = encoderFailed('The take was ended before its file was finished.')): void {
    if (this.closed) return;
    this.close(reason);
    this.tearDown();
  }

  /** Nothing more is asked of the pipeline: a pending stop() rejects with `reason`, as do pending reads. */
  private close(reason: TapedeckError): void {
    if (this.closed) return;
    this.closed = true;
    this.settleSwitches(() => true);
    this.rejectResult(reason);
    for (const read of this.reads.values()) read.reject(reason);
    this.reads.clear();
  }

  /** Disconnects the worklet and ends the worker. */
  private tearDown(): void {
    try {
      this.params.source.disconnect(this.node);
    } catch {
      // Already disconnected.
    }
    this.node.disconnect();
    this.node.port.onmessage = null;
    this.node.port.close();
    this.worker.terminate();
  }

  private post(command: WorkletCommand, transfer: Transferable[] = []): void {
    if (!this.closed) this.node.port.postMessage(command, transfer);
  }
}
