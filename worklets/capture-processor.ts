/// <reference path="./worklet-globals.d.ts" />
/**
 * The capture processor: runs on the audio thread, applies gain, measures the peak level, and hands
 * fixed-size chunks of planar float PCM to the encoder worker over a MessagePort.
 *
 * Audio-thread rules (after ringbuf.js): process() allocates nothing and never throws. Chunks come from a
 * pool allocated up front; the worker transfers each one back after reading it. If the pool runs dry
 * (the worker is stalled) frames are dropped and counted, never queued without bound.
 *
 * While paused it may keep the last of its input (pre-roll, pre-roll-ring.ts) and, before a startOnSpeech take's
 * first frame, send the input to the worker's speech detector as 'held' frames from a pool of their own.
 */
import { copyScaled, PreRollRing, type ChunkPool } from './pre-roll-ring';
import {
  CAPTURE_PROCESSOR_NAME,
  type CaptureProcessorOptions,
  type WorkletCommand,
  type ReturnMessage,
} from './protocol';

/** A wait between two process() calls longer than this (ms) is reported as the audio thread running late. */
const STALL_MS = 100;
/** Chunks of held frames (startOnSpeech) in flight to the worker's detector at most: ~0.7 s at 48 kHz. */
const HELD_POOL_SIZE = 16;

const IDLE = 0;
const CAPTURING = 1;
const PAUSED = 2;
const ENDED = 3;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly channels: number;
  private readonly chunkFrames: number;
  private readonly limitFrames: number;
  private levelIntervalFrames: number;
  private readonly gain: number;
  private phase = IDLE;
  /** 'started' is reported from the first process() call, so that start resolves when audio really flows. */
  private announceStart = false;
  private framePort: MessagePort | null = null;

  // Free chunks, as a fixed-capacity stack.
  private readonly free: Float32Array[];
  private freeCount = 0;
  private chunk: Float32Array | null = null;
  private chunkFill = 0;
  /** The last of the input while paused (null without pre-roll), in chunks of the pool. */
  private readonly ring: PreRollRing | null;
  private readonly preRollFrames: number;
  /** Held frames for the worker's detector (startOnSpeech): their pool, the chunk being filled, frames seen while paused. */
  private readonly sendHeld: boolean;
  private readonly heldFree: Float32Array[] = [];
  private heldChunk: Float32Array | null = null;
  private heldFill = 0;
  private heldAt = 0;
  private heldFrames = 0;
  /** Whether any frame was captured yet (held frames go to the detector only before the first). */
  private begun = false;

  private captured = 0;
  private dropped = 0;
  /** Where in the file frames are being dropped right now (the pool is dry), -1 if not; reported as one gap once frames flow again. */
  private droppingAt = -1;
  /** `dropped` when the current run of drops began. */
  private droppedBefore = 0;
  private readonly reportSilentInput: boolean;
  /** Exact-zero input frames in a row, from file frame `zeroRunAt`; whether any sound was heard yet. */
  private zeroRun = 0;
  private zeroRunAt = 0;
  private heard = false;
  /** Frames of 10 ms, the shortest silent run or late wake reported (a device delivers 10 ms buffers). */
  private readonly gapFrames = Math.round(sampleRate / 100);
  /** Date.now() at the last process() call: a long wait between two is the audio thread running late. */
  private lastCall = 0;
  private peak = 0;
  private sinceLevel = 0;

  // Reused message objects: postMessage clones them synchronously, so mutating them afterwards is safe.
  private readonly frameMessage = { type: 'frames' as const, data: null as Float32Array | null, frames: 0 };
  private readonly heldMessage = { type: 'held' as const, data: null as Float32Array | null, frames: 0, at: 0 };
  private readonly transfer: ArrayBuffer[] = [new ArrayBuffer(0)];
  private readonly levelMessage = { type: 'level' as const, frames: 0, peak: 0, time: 0, capturing: true };
  private readonly startedMessage = { type: 'started' as const };

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const config = options.processorOptions as CaptureProcessorOptions;
    this.channels = config.channels;
    this.chunkFrames = config.chunkFrames;
    this.limitFrames = config.limitFrames;
    this.levelIntervalFrames = config.levelIntervalFrames;
    this.gain = config.gain;
    this.reportSilentInput = config.reportSilentInput;
    this.free = new Array<Float32Array>(config.poolSize);
    for (let i = 0; i < config.poolSize; i++) this.free[i] = new Float32Array(this.channels * this.chunkFrames);
    this.freeCount = config.poolSize;
    const pool: ChunkPool = {
      take: () => (this.freeCount > 0 ? this.free[--this.freeCount]! : null),
      give: (chunk) => {
        if (this.freeCount < this.free.length) this.free[this.freeCount++] = chunk;
      },
    };
    this.ring = config.ringFrames > 0 ? new PreRollRing(config.ringFrames, this.chunkFrames, this.channels, pool) : null;
    this.preRollFrames = config.preRollFrames;
    this.sendHeld = config.sendHeld;
    if (this.sendHeld) for (let i = 0; i < HELD_POOL_SIZE; i++) this.heldFree.push(new Float32Array(this.channels * this.chunkFrames));
    this.port.onmessage = (event: MessageEvent<WorkletCommand>) => this.command(event.data);
  }

  private command(message: WorkletCommand): void {
    switch (message.type) {
      case 'connect':
        this.framePort = message.port;
        this.framePort.onmessage = (event: MessageEvent<ReturnMessage>) => {
          if (event.data.held) this.heldFree.push(event.data.data);
          else if (this.freeCount < this.free.length) this.free[this.freeCount++] = event.data.data;
        };
        break;
      case 'start':
        if (this.phase === IDLE) {
          this.phase = message.paused ? PAUSED : CAPTURING;
          this.begun = this.phase === CAPTURING;
          this.announceStart = true;
          // The take's clock starts now (the main thread counts on from this report until the next).
          if (this.phase === CAPTURING) this.reportLevel(currentTime);
        }
        break;
      case 'pause':
        if (this.phase === CAPTURING) {
          this.phase = PAUSED;
          this.heldFrames = 0;
          this.reportLevel(currentTime);
        }
        break;
      case 'resume':
        if (this.phase === PAUSED) this.resume(message.preRoll, message.speechAtHeldFrame);
        break;
      case 'meter':
        this.levelIntervalFrames = message.intervalFrames;
        break;
      case 'stop':
        this.end('stop');
        break;
    }
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.phase === ENDED) return false;
    if (this.announceStart) {
      this.announceStart = false;
      this.port.postMessage(this.startedMessage);
    }
    const now = Date.now();
    const waitedMs = this.lastCall > 0 ? now - this.lastCall : 0;
    this.lastCall = now;
    if (this.phase === PAUSED) this.hold(inputs[0]);
    if (this.phase !== CAPTURING) return true;
    /** Frames in the file before this quantum. */
    const kept = this.captured - this.dropped;
    // The render thread wakes every few ms, each time for a buffer of quanta; a wait of over 100 ms is a stall.
    if (waitedMs > STALL_MS) this.reportGap(kept, Math.round((waitedMs * sampleRate) / 1000), 'audio-thread-late');
    const input = inputs[0];
    const quantum = input !== undefined && input.length > 0 ? input[0]!.length : 128;
    let frames = quantum;
    if (this.limitFrames > 0 && this.captured + frames > this.limitFrames) frames = this.limitFrames - this.captured;

    let read = 0;
    while (read < frames) {
      if (this.chunk === null) {
        if (this.freeCount === 0) {
          // Quirk-free but real: a stalled worker. Count what is lost instead of blocking the audio thread.
          if (this.droppingAt < 0) {
            this.droppingAt = kept + read;
            this.droppedBefore = this.dropped;
          }
          this.dropped += frames - read;
          break;
        }
        this.reportDrops();
        this.chunk = this.free[--this.freeCount]!;
        this.chunkFill = 0;
      }
      const n = Math.min(frames - read, this.chunkFrames - this.chunkFill);
      this.copy(input, read, n);
      this.chunkFill += n;
      read += n;
      if (this.chunkFill === this.chunkFrames) this.flushChunk();
    }
    if (this.reportSilentInput) this.watchSilence(input, frames, kept);
    this.captured += frames;
    this.sinceLevel += frames;
    if (this.sinceLevel >= this.levelIntervalFrames) this.reportLevel(currentTime + quantum / sampleRate);
    if (this.limitFrames > 0 && this.captured >= this.limitFrames) {
      this.end('limit');
      return false;
    }
    return true;
  }

  private copy(input: Float32Array[] | undefined, from: number, n: number): void {
    const chunk = this.chunk!;
    const gain = this.gain;
    let peak = this.peak;
    for (let c = 0; c < this.channels; c++) {
      const offset = c * this.chunkFrames + this.chunkFill;
      const source = input !== undefined && c < input.length ? input[c]! : null;
      if (source === null) {
        chunk.fill(0, offset, offset + n);
        continue;
      }
      for (let i = 0; i < n; i++) {
        const sample = source[from + i]! * gain;
        chunk[offset + i] = sample;
        const magnitude = sample < 0 ? -sample : sample;
        if (magnitude > peak) peak = magnitude;
      }
    }
    this.peak = peak;
  }

  /** Counts exact-zero frames; a run of 10 ms or more between sounds is a gap the device left. */
  private watchSilence(input: Float32Array[] | undefined, frames: number, kept: number): void {
    const channels = input === undefined ? 0 : Math.min(input.length, this.channels);
    for (let i = 0; i < frames; i++) {
      let silent = true;
      for (let c = 0; c < channels && silent; c++) silent = input![c]![i] === 0;
      if (silent) {
        if (this.zeroRun++ === 0) this.zeroRunAt = kept + i;
        continue;
      }
      if (this.heard && this.zeroRun >= this.gapFrames) this.reportGap(this.zeroRunAt, this.zeroRun, 'input-silent');
      this.zeroRun = 0;
      this.heard = true;
    }
  }

  /** Reports the run of dropped frames that has just ended, if any. */
  private reportDrops(): void {
    if (this.droppingAt < 0) return;
    this.reportGap(this.droppingAt, this.dropped - this.droppedBefore, 'encoder-behind');
    this.droppingAt = -1;
  }

  /** `atFrame` is where the gap falls in the file: input frames captured and kept, paused time and drops excluded. */
  private reportGap(atFrame: number, frames: number, cause: 'input-silent' | 'audio-thread-late' | 'encoder-behind'): void {
    this.port.postMessage({ type: 'gap', atFrame, frames, cause });
  }

  private flushChunk(): void {
    const chunk = this.chunk;
    if (chunk === null || this.framePort === null) return;
    this.sendFrames(chunk, this.chunkFill);
    this.chunk = null;
    this.chunkFill = 0;
  }

  /** Transfers `chunk`, `frames` long, to the worker as the take's frames. */
  private readonly sendFrames = (chunk: Float32Array, frames: number): void => {
    this.frameMessage.data = chunk;
    this.frameMessage.frames = frames;
    this.transfer[0] = chunk.buffer as ArrayBuffer;
    this.framePort!.postMessage(this.frameMessage, this.transfer);
    this.frameMessage.data = null;
  };

  /** A paused quantum: kept in the pre-roll ring, and sent to the detector before the first capture (startOnSpeech). */
  private hold(input: Float32Array[] | undefined): void {
    const frames = input !== undefined && input.length > 0 ? input[0]!.length : 128;
    this.ring?.push(input, 0, frames, this.gain);
    if (this.sendHeld && !this.begun && this.framePort !== null) {
      let read = 0;
      while (read < frames) {
        if (this.heldChunk === null) {
          this.heldChunk = this.heldFree.pop() ?? null;
          this.heldFill = 0;
          this.heldAt = this.heldFrames + read;
          if (this.heldChunk === null) break; // the detector is behind: it sees a jump (the `at` of the next chunk)
        }
        const n = Math.min(frames - read, this.chunkFrames - this.heldFill);
        copyScaled(this.heldChunk, this.chunkFrames, this.heldFill, input, read, n, this.gain, this.channels);
        this.heldFill += n;
        read += n;
        if (this.heldFill === this.chunkFrames) this.sendHeldChunk();
      }
    }
    this.heldFrames += frames;
  }

  private sendHeldChunk(): void {
    const chunk = this.heldChunk;
    if (chunk === null || this.framePort === null) return;
    this.heldMessage.data = chunk;
    this.heldMessage.frames = this.heldFill;
    this.heldMessage.at = this.heldAt;
    this.transfer[0] = chunk.buffer as ArrayBuffer;
    this.framePort.postMessage(this.heldMessage, this.transfer);
    this.heldMessage.data = null;
    this.heldChunk = null;
    this.heldFill = 0;
  }

  /**
   * Takes frames again. With `preRoll`, what the ring kept goes first: the last preRollFrames, or (startOnSpeech)
   * from preRollFrames before held frame `speechAt` on, as far back as the ring reaches.
   */
  private resume(preRoll: boolean, speechAt: number | undefined): void {
    let back = 0;
    if (preRoll && this.ring !== null) {
      back = speechAt === undefined ? this.preRollFrames : this.heldFrames - speechAt + this.preRollFrames;
      if (this.limitFrames > 0) back = Math.min(back, this.limitFrames - this.captured);
      back = Math.max(0, Math.min(back, this.ring.frames));
    }
    if (this.sendHeld && !this.begun && this.framePort !== null) {
      if (this.heldFill > 0) this.sendHeldChunk();
      this.framePort.postMessage({ type: 'begin', heldFrame: this.heldFrames - back, replayFrames: back });
    }
    if (back > 0) {
      this.flushChunk(); // the frames before the pause go first
      this.captured += this.ring!.drain(back, this.sendFrames);
    }
    this.ring?.clear();
    this.phase = CAPTURING;
    this.begun = true;
    this.reportLevel(currentTime);
  }

  /** Reports the frames so far, as of audio clock `time` (see WorkletReport 'level'). */
  private reportLevel(time: number): void {
    this.levelMessage.frames = this.captured;
    this.levelMessage.peak = this.peak;
    this.levelMessage.time = time;
    this.levelMessage.capturing = this.phase === CAPTURING;
    this.port.postMessage(this.levelMessage);
    this.peak = 0;
    this.sinceLevel = 0;
  }

  private end(reason: 'stop' | 'limit'): void {
    if (this.phase === ENDED) return;
    const started = this.phase !== IDLE;
    this.phase = ENDED;
    this.ring?.clear();
    if (this.chunkFill > 0) this.flushChunk();
    // The last count, not capturing: the main thread's take clock stops here rather than running on to the next report.
    if (started) this.reportLevel(currentTime);
    this.reportDrops();
    this.framePort?.postMessage({ type: 'end', droppedFrames: this.dropped });
    this.port.postMessage({ type: 'ended', frames: started ? this.captured : 0, reason });
  }
}

registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
