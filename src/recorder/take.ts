import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import { startEncoderWorker } from '../worklets-host/files';
import { WORKER_HELP } from '../worklets-host/worker-start';
import {
  CAPTURE_PROCESSOR_NAME,
  type CaptureProcessorOptions,
  type EncoderConfig,
  type WorkletCommand,
  type WorkletReport,
  type WorkerCommand,
  type WorkerReport,
} from '../worklets-host/protocol';

/** Frames per chunk sent from the worklet to the worker (16 render quanta, ~46 ms at 44.1 kHz). */
const CHUNK_FRAMES = 2048;
/** Chunks in the worklet's pool: ~1.5 s of slack before a stalled worker costs audio. */
const POOL_SIZE = 32;
/** How long the worker and the worklet may take to answer at start. */
const START_TIMEOUT_MS = 10_000;

/** What a finished take yields. */
export interface TakeResult {
  blob: Blob;
  /** Output frames in the file. */
  frames: number;
  /** Input frames the worklet had to drop because the worker fell behind (0 when healthy). */
  droppedFrames: number;
}

/** Callbacks from a running take. */
export interface TakeCallbacks {
  /** A level report: input frames captured so far (context rate), and the peak since the last report (linear). */
  onLevel(frames: number, peak: number): void;
  /** The take reached a bound: its duration (the worklet stopped) or its size (the worker stopped writing). */
  onLimit(reason: 'duration' | 'memory'): void;
  /** An encoded chunk (with `timesliceMs`). */
  onData(blob: Blob): void;
  /** Something degraded but the take goes on (e.g. OPFS failed and the take moved to memory). */
  onWarning(message: string): void;
  /** Raw PCM16 bytes, as they are produced (startStream()). */
  onPcm?(bytes: ArrayBuffer): void;
  /** The worker failed mid-take; what it had encoded still comes as the take's result. */
  onFailure(error: TapedeckError): void;
}

/** What one take needs. */
export interface TakeParams {
  context: AudioContext;
  source: AudioNode;
  /** The encoder worker's URL (the `workerUrl` option), or undefined for the one shipped with tapedeck. */
  workerUrl: string | undefined;
  encoder: EncoderConfig;
  /** For an extendable-media-recorder plugin: the port to its encoder, handed to the worker. */
  encoderPort?: MessagePort;
  /** Start with capture paused, until resume(). */
  paused?: boolean;
  /** ms between level reports. */
  meterIntervalMs: number;
  gain: number;
  /** Input frames (context rate) after which the take stops by itself; 0 for none. */
  limitFrames: number;
  callbacks: TakeCallbacks;
}

/**
 * One recording's running pipeline: source node → capture worklet → encoder worker. The main thread
 * wires the ports and then only sees level reports and the finished Blob.
 */
export class Take {
  private readonly node: AudioWorkletNode;
  private readonly worker: Worker;
  private readonly result: Promise<TakeResult>;
  private resolveResult!: (result: TakeResult) => void;
  private rejectResult!: (error: TapedeckError) => void;
  private closed = false;
  /** True once start() has resolved: failures after that go to onFailure, before it to start()'s caller. */
  private running = false;

  private constructor(private readonly params: TakeParams) {
    const { context, gain, limitFrames } = params;
    const { channels } = params.encoder;
    const options: CaptureProcessorOptions = {
      channels,
      chunkFrames: CHUNK_FRAMES,
      poolSize: POOL_SIZE,
      gain,
      limitFrames,
      levelIntervalFrames: Math.round((context.sampleRate * params.meterIntervalMs) / 1000),
    };
    // The node's explicit channelCount makes Web Audio up- or down-mix the source to the output's channels
    // ('speakers' rules: mono is copied to both sides, stereo is averaged to mono).
    this.node = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: channels,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: options,
    });
    this.worker = startEncoderWorker(params.workerUrl);
    this.result = new Promise<TakeResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => undefined); // observed by stop(); never an unhandled rejection
  }

  /** Builds the pipeline and starts capturing; resolves once the worklet has taken its first frame. */
  static async start(params: TakeParams): Promise<Take> {
    const take = new Take(params);
    try {
      await take.connect();
      take.running = true;
      return take;
    } catch (error) {
      take.abort();
      throw error;
    }
  }

  private async connect(): Promise<void> {
    const { context, source, encoder, callbacks } = this.params;
    const ready = new Promise<void>((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent<WorkerReport>) => {
        const message = event.data;
        if (message.type === 'ready') resolve();
        else if (message.type === 'data') callbacks.onData(message.blob);
        else if (message.type === 'full') callbacks.onLimit('memory');
        else if (message.type === 'pcm') callbacks.onPcm?.(message.bytes);
        else if (message.type === 'done') this.resolveResult({ blob: message.blob, frames: message.frames, droppedFrames: message.droppedFrames });
        else if (message.type === 'warning') callbacks.onWarning(message.message);
        else if (message.type === 'error') this.fail(new TapedeckError('encoder-failed', `The encoder failed: ${message.message}`), message.blob, message.frames, reject);
      };
      this.worker.onerror = (event) => {
        event.preventDefault();
        const error = new TapedeckError(
          'encoder-failed',
          `The encoder worker (${this.params.workerUrl ?? 'the file beside tapedeck'}) failed to load or crashed ` +
            `(${event.message || 'no message'}). ${WORKER_HELP}`,
        );
        this.fail(error, null, 0, reject);
      };
    });
    const started = new Promise<void>((resolve) => {
      this.node.port.onmessage = (event: MessageEvent<WorkletReport>) => {
        const message = event.data;
        if (message.type === 'started') resolve();
        else if (message.type === 'level') callbacks.onLevel(message.frames, message.peak);
        else if (message.reason === 'limit') callbacks.onLimit('duration');
      };
    });

    const channel = new MessageChannel();
    this.post({ type: 'connect', port: channel.port1 }, [channel.port1]);
    const { encoderPort } = this.params;
    const init: WorkerCommand = { type: 'init', port: channel.port2, config: encoder, encoderPort };
    this.worker.postMessage(init, encoderPort ? [channel.port2, encoderPort] : [channel.port2]);
    await withTimeout(ready, START_TIMEOUT_MS, () => new TapedeckError('encoder-failed', `The encoder worker did not start within ${START_TIMEOUT_MS / 1000} s.`));

    source.connect(this.node);
    this.node.connect(context.destination); // keeps the node pulled; it outputs silence
    if (context.state !== 'running') {
      // Quirk #3: a context created outside a user gesture starts suspended; resume() settles once allowed.
      void context.resume().catch(() => undefined);
    }
    this.paused = this.params.paused ?? false;
    this.capturing = !this.paused;
    this.post({ type: 'start', paused: this.paused });
    await withTimeout(
      started,
      START_TIMEOUT_MS,
      () =>
        new TapedeckError(
          'context-suspended',
          `The audio context is ${context.state}, so nothing is captured: call startRecording() from a user gesture (a click or a key press).`,
        ),
    );
  }

  private fail(error: TapedeckError, blob: Blob | null, frames: number, rejectStart: (e: TapedeckError) => void): void {
    rejectStart(error);
    if (blob) this.resolveResult({ blob, frames, droppedFrames: 0 });
    else this.rejectResult(error);
    if (this.running) this.params.callbacks.onFailure(error);
  }

  /** Reports the level every `ms` from now on. */
  setMeterInterval(ms: number): void {
    this.post({ type: 'meter', intervalFrames: Math.round((this.params.context.sampleRate * ms) / 1000) });
  }

  private paused = false;
  private holds = 0;
  private capturing = true;

  /** Stops taking frames until resume(); the paused time is not in the file. */
  pause(): void {
    this.paused = true;
    this.syncCapture();
  }

  /** Takes frames again after pause(). */
  resume(): void {
    this.paused = false;
    this.syncCapture();
  }

  /**
   * Stops taking frames while the input is replaced (a dead device), apart from pause(): frames are taken again when
   * the returned function is called, unless the take is paused then.
   */
  hold(): () => void {
    this.holds++;
    this.syncCapture();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.syncCapture();
    };
  }

  private syncCapture(): void {
    const capture = !this.paused && this.holds === 0;
    if (capture === this.capturing) return;
    this.capturing = capture;
    this.post({ type: capture ? 'resume' : 'pause' });
  }

  /** Ends the take: the worklet sends its last partial chunk, the worker flushes the tail. */
  async stop(): Promise<TakeResult> {
    this.post({ type: 'stop' });
    try {
      return await this.result;
    } finally {
      this.abort();
    }
  }

  /** Tears everything down at once; what was not finished is discarded. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
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
