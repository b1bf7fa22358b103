/**
 * The encoder worker: one per take. Receives chunks of planar float PCM from the capture worklet on
 * its frame port, resamples them to the output rate, encodes them, and keeps the bytes in a MemorySink.
 * At `end` it flushes only what is still buffered and posts the finished Blob to the main thread.
 */
import { Resampler } from '../dsp/resampler';
import { MemorySink } from '../sinks/memory-sink';
import type { EncoderConfig, FrameMessage, WorkerCommand, WorkerReport } from '../worklets-host/protocol';
import { mimeTypeFor, type EncoderId } from './registry';
import { createPcm16Encoder } from './pcm16';
import { createWavEncoder } from './wav';
import type { WorkerEncoder } from './worker-encoder';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerCommand>) => void) | null;
  postMessage(message: WorkerReport): void;
}
const scope = globalThis as unknown as WorkerScope;

function createEncoder(config: EncoderConfig): WorkerEncoder {
  switch (config.encoder) {
    case 'wav':
      return createWavEncoder(config);
    case 'pcm16':
      return createPcm16Encoder(config);
    default:
      throw new Error(`The worker has no encoder '${config.encoder}'.`);
  }
}

class Take {
  private readonly resampler: Resampler;
  private readonly encoder: WorkerEncoder;
  private readonly sink = new MemorySink();
  private readonly mimeType: string;
  private frames = 0;
  private nextSlice: number;
  private failed = false;
  /** Output frames the size bound allows (Infinity without one). */
  private readonly frameBudget: number;

  constructor(
    private readonly port: MessagePort,
    private readonly config: EncoderConfig,
  ) {
    this.resampler = new Resampler(config.inputSampleRate, config.sampleRate, config.channels);
    this.encoder = createEncoder(config);
    this.mimeType = mimeTypeFor(config.encoder as EncoderId, config.sampleRate, config.channels);
    this.nextSlice = config.timesliceFrames > 0 ? config.timesliceFrames : Infinity;
    this.frameBudget = config.maxBytes > 0 ? this.encoder.framesWithin(config.maxBytes) : Infinity;
    port.onmessage = (event: MessageEvent<FrameMessage>) => this.receive(event.data);
  }

  private receive(message: FrameMessage): void {
    if (this.failed) return;
    try {
      if (message.type === 'frames') {
        const { data, frames } = message;
        const stride = data.length / this.config.channels;
        const planar = Array.from({ length: this.config.channels }, (_, c) => data.subarray(c * stride, c * stride + frames));
        const out = this.resampler.process(planar, frames);
        // The resampler has copied what it needs: hand the chunk back to the worklet's pool at once.
        this.port.postMessage({ type: 'return', data }, [data.buffer]);
        this.write(out);
      } else {
        this.write(this.resampler.flush());
        const { chunks, header } = this.encoder.finish();
        this.sink.write(chunks);
        this.emitData();
        const blob = this.sink.finish(this.mimeType, header);
        scope.postMessage({ type: 'done', blob, frames: this.frames, droppedFrames: message.droppedFrames });
        this.port.close();
      }
    } catch (error) {
      // Keep what was encoded: the main thread gets it with the error.
      this.failed = true;
      this.port.close();
      scope.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
        blob: this.sink.bytes > 0 ? this.sink.finish(this.mimeType) : null,
        frames: this.frames,
      });
    }
  }

  private write(planar: Float32Array[]): void {
    const room = this.frameBudget - this.frames;
    if (room <= 0) return; // full: the main thread is stopping the take
    let frames = planar[0]?.length ?? 0;
    if (frames >= room) {
      frames = room;
      planar = planar.map((channel) => channel.subarray(0, frames));
      scope.postMessage({ type: 'full' });
    }
    this.sink.write(this.encoder.encode(planar, frames));
    this.frames += frames;
    if (this.frames >= this.nextSlice) {
      this.emitData();
      while (this.nextSlice <= this.frames) this.nextSlice += this.config.timesliceFrames;
    }
  }

  private emitData(): void {
    if (this.config.timesliceFrames === 0) return;
    const blob = this.sink.takeNew();
    if (blob) scope.postMessage({ type: 'data', blob });
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    try {
      new Take(message.port, message.config);
      scope.postMessage({ type: 'ready' });
    } catch (error) {
      scope.postMessage({ type: 'error', message: String(error), blob: null, frames: 0 });
    }
  }
};
