/**
 * A take's tap (options.tap), on the main thread: the worker's chunks of resampled PCM as a ReadableStream, which
 * closes after the take's last chunk when the take is finished, and errors when it failed, was cancelled or disposed
 * (a reader can tell a whole take from a cut one). Live audio cannot wait for a reader, so chunks queue; a reader
 * that falls behind is bounded: past `MAX_QUEUED_MS` of queued audio new chunks are dropped, with a warning when
 * dropping begins and one saying how much once it ends.
 */
import type { ResolvedTap } from '../recorder/options';

/** Audio that may wait in the stream for its reader, in ms. */
const MAX_QUEUED_MS = 60_000;

export type TapChunk = Float32Array | Int16Array;

export class TapStream {
  readonly stream: ReadableStream<TapChunk>;
  private controller!: ReadableStreamDefaultController<TapChunk>;
  private readonly maxChunks: number;
  private droppedFrames = 0;
  private closed = false;

  constructor(
    private readonly tap: ResolvedTap,
    private readonly warn: (message: string) => void,
  ) {
    // highWaterMark 0: desiredSize is minus the chunks queued, the reader's backlog.
    this.stream = new ReadableStream<TapChunk>({ start: (c) => void (this.controller = c), cancel: () => void (this.closed = true) }, { highWaterMark: 0 });
    this.maxChunks = Math.max(1, Math.ceil(MAX_QUEUED_MS / tap.chunkMs));
  }

  /** A chunk from the worker: interleaved samples in the tap's format. */
  push(data: ArrayBuffer, frames: number): void {
    if (this.closed) return;
    if (-(this.controller.desiredSize ?? 0) >= this.maxChunks) {
      if (this.droppedFrames === 0) {
        this.warn(`The tap's stream has ${MAX_QUEUED_MS / 1000} s of audio that nobody read: later chunks are dropped until it is read (read recorder.tapStream, or leave the tap option out).`);
      }
      this.droppedFrames += frames;
      return;
    }
    if (this.droppedFrames > 0) {
      this.warn(`The tap's stream is read again; ${((this.droppedFrames / this.tap.sampleRate) * 1000).toFixed(0)} ms of its audio were dropped before this chunk (the file has them).`);
      this.droppedFrames = 0;
    }
    this.controller.enqueue(this.tap.format === 's16' ? new Int16Array(data) : new Float32Array(data));
  }

  /** The take did not finish (failed, cancelled, disposed): the stream errors with `reason`, queued chunks dropped. */
  error(reason: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.error(reason);
  }

  /** The take has finished: the stream closes once its reader has had every chunk. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.controller.close();
    } catch {
      // cancelled by the reader
    }
  }
}
