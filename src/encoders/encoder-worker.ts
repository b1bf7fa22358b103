/**
 * The encoder worker: one per take. Receives chunks of planar float PCM from the capture worklet on its frame
 * port, resamples them to the output rate, encodes them, and keeps the bytes in a MemorySink. At `end` it
 * flushes only what is still buffered and posts the finished Blob to the main thread.
 */
import { Resampler } from '../dsp/resampler';
import { MemorySink } from '../sinks/memory-sink';
import { OpfsSink } from '../sinks/opfs-sink';
import { discardFiles } from '../sinks/opfs-store';
import type { EncoderConfig, FrameMessage, WorkerCommand, WorkerReport } from '../worklets-host/protocol';
import type { EncoderId } from './formats';
import { importCodec, lameWasmUrl } from './codec-files';
import { createPcm16Encoder } from './pcm16';
import { createModuleEncoder, createPortEncoder } from './plugin-encoder';
import { recoverTakes } from '../sinks/recovery';
import { createWavEncoder } from './wav';
import type { ByteSink, WorkerEncoder } from './worker-encoder';

/** startStream()'s sink: every write goes straight to the main thread; nothing is kept. */
class StreamSink implements ByteSink {
  bytes = 0;
  write(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    scope.postMessage({ type: 'pcm', bytes: copy.buffer as ArrayBuffer }, [copy.buffer as ArrayBuffer]);
  }
  finish(mimeType: string): Blob {
    return new Blob([], { type: mimeType });
  }
}

/** Writes to the file's sink and to the live stream for `data` events (when the file's sink cannot hand bytes out). */
class TeeSink implements ByteSink {
  constructor(
    private readonly file: ByteSink,
    private readonly live: ByteSink,
  ) {}
  write(bytes: Uint8Array, position?: number): void {
    this.file.write(bytes, position);
    this.live.write(bytes, position);
  }
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerCommand>) => void) | null;
  postMessage(message: WorkerReport, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

async function createEncoder(config: EncoderConfig & { crashSafe?: boolean }, sink: ByteSink, live: ByteSink | null, encoderPort?: MessagePort): Promise<WorkerEncoder> {
  if (encoderPort) return createPortEncoder(encoderPort, config, sink);
  if (config.pluginModule) return createModuleEncoder(config.pluginModule, config, sink);
  const id = config.encoder as EncoderId;
  switch (id) {
    case 'wav':
      return createWavEncoder(config, sink);
    case 'pcm16':
      return createPcm16Encoder(config, sink);
    case 'mp3':
      return (await importCodec('mp3')).openMp3Encoder(config, sink, live, { wasm: lameWasmUrl(), lamejs: () => importCodec('lamejs') });
    case 'opus':
    case 'aac':
    case 'flac':
      return (await importCodec('media')).createMediaEncoder(id, config, sink, live, (codec) => importCodec(codec === 'aac' ? 'aacWasm' : 'flacWasm'));
    default:
      throw new Error(`The worker has no encoder '${config.encoder}'.`);
  }
}

class Take {
  private readonly resampler: Resampler;
  private sink: MemorySink | StreamSink | OpfsSink;
  /** Where `data` chunks come from when the encoder streams separately from its file; else the file's sink. */
  private live: MemorySink;
  private readonly mimeType: string;
  /** Encoder calls, one after another (they may be asynchronous). */
  private chain: Promise<void> = Promise.resolve();
  private frames = 0;
  private nextSlice: number;
  private failed = false;
  /** Output frames the size bound allows (Infinity without one). */
  private frameBudget = Infinity;
  private encoder!: WorkerEncoder;

  private constructor(
    private readonly port: MessagePort,
    private readonly config: EncoderConfig,
  ) {
    this.resampler = new Resampler(config.inputSampleRate, config.sampleRate, config.channels);
    this.mimeType = config.mimeType;
    this.nextSlice = config.timesliceFrames > 0 ? config.timesliceFrames : Infinity;
    this.sink = config.streamOnly ? new StreamSink() : new MemorySink();
    this.live = this.sink instanceof MemorySink ? this.sink : new MemorySink(false);
  }

  static async open(port: MessagePort, config: EncoderConfig, encoderPort?: MessagePort): Promise<Take> {
    const take = new Take(port, config);
    if (config.persist) take.sink = await openPersistentSink(config);
    const live = config.timesliceFrames > 0 ? new MemorySink(false) : null;
    // OPFS cannot hand out what it wrote as Blobs: with data events, the encoder writes to both.
    const fileSink = live && take.sink instanceof OpfsSink ? new TeeSink(take.sink, live) : take.sink;
    take.encoder = await createEncoder({ ...config, crashSafe: take.sink instanceof OpfsSink }, fileSink, live, encoderPort);
    if (live && (take.encoder.streamsSeparately || take.sink instanceof OpfsSink)) take.live = live;
    if (config.maxBytes > 0) take.frameBudget = take.encoder.framesWithin(config.maxBytes);
    port.onmessage = (event: MessageEvent<FrameMessage>) => take.receive(event.data);
    return take;
  }

  private receive(message: FrameMessage): void {
    if (this.failed) return;
    if (message.type === 'frames') {
      const { data, frames } = message;
      const stride = data.length / this.config.channels;
      const planar = Array.from({ length: this.config.channels }, (_, c) => data.subarray(c * stride, c * stride + frames));
      let out: Float32Array[];
      try {
        out = this.resampler.process(planar, frames);
      } catch (error) {
        this.fail(error);
        return;
      } finally {
        // The resampler has copied what it needs: hand the chunk back to the worklet's pool at once.
        this.port.postMessage({ type: 'return', data }, [data.buffer]);
      }
      this.then(() => this.write(out));
    } else {
      const { droppedFrames } = message;
      this.then(async () => {
        await this.write(this.resampler.flush());
        await this.encoder.finish();
        this.emitData();
        scope.postMessage({ type: 'done', blob: await this.sink.finish(this.mimeType), frames: this.frames, droppedFrames });
        this.port.close();
      });
    }
  }

  private then(step: () => void | Promise<void>): void {
    this.chain = this.chain.then(step).catch((error: unknown) => this.fail(error));
  }

  /** Keeps what was encoded: the main thread gets it with the error. */
  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.port.close();
    const message = error instanceof Error ? error.message : String(error);
    const kept = this.sink.bytes > 0 ? Promise.resolve(this.sink.finish(this.mimeType)).catch(() => null) : Promise.resolve(null);
    void kept.then((blob) => scope.postMessage({ type: 'error', message, blob, frames: this.frames }));
  }

  private async write(planar: Float32Array[]): Promise<void> {
    const room = this.frameBudget - this.frames;
    if (room <= 0) return; // full: the main thread is stopping the take
    let frames = planar[0]?.length ?? 0;
    if (frames >= room) {
      frames = room;
      planar = planar.map((channel) => channel.subarray(0, frames));
      scope.postMessage({ type: 'full' });
    }
    await this.encoder.encode(planar, frames);
    this.frames += frames;
    if (this.sink instanceof OpfsSink) this.sink.frames = this.frames;
    if (this.frames >= this.nextSlice) {
      this.emitData();
      while (this.nextSlice <= this.frames) this.nextSlice += this.config.timesliceFrames;
    }
  }

  private emitData(): void {
    if (this.config.timesliceFrames === 0) return;
    const blob = this.live.takeNew();
    if (blob) scope.postMessage({ type: 'data', blob });
  }
}

/** The OPFS sink for a persisted take, or memory (with a warning) where OPFS cannot be used. */
async function openPersistentSink(config: EncoderConfig): Promise<OpfsSink | MemorySink> {
  const warn = (message: string) => scope.postMessage({ type: 'warning', message });
  const { id, startedAt } = config.persist!;
  try {
    const journal = { id, startedAt, encoder: config.encoder, mimeType: config.mimeType, sampleRate: config.sampleRate, channels: config.channels, frames: 0, bytes: 0, status: 'recording' as const, appendOnly: config.appendOnly };
    return await OpfsSink.open(journal, warn);
  } catch (error) {
    warn(`The Origin Private File System cannot be used here (${error instanceof Error ? error.message : String(error)}); the recording is kept in memory and is not crash-safe.`);
    return new MemorySink();
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'recover') {
    recoverTakes().then(
      (found) => scope.postMessage({ type: 'recovered', ...found }),
      (error: unknown) => scope.postMessage({ type: 'recovered', takes: [], failures: [String(error)] }),
    );
    return;
  }
  if (message.type === 'remux') {
    importCodec('media').then(({ remux }) => remux(message.blob, message.blob.type)).then(
      (remuxed) => scope.postMessage({ type: 'remuxed', blob: remuxed?.blob ?? null, durationS: remuxed?.durationS ?? 0, error: remuxed ? null : `cannot remux ${message.blob.type}` }),
      (error: unknown) => scope.postMessage({ type: 'remuxed', blob: null, durationS: 0, error: String(error) }),
    );
    return;
  }
  if (message.type === 'discard') {
    void discardFiles(message.id).finally(() => scope.postMessage({ type: 'discarded' }));
    return;
  }
  Take.open(message.port, message.config, message.encoderPort).then(
    () => scope.postMessage({ type: 'ready' }),
    (error: unknown) => scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), blob: null, frames: 0 }),
  );
};
