/**
 * One take in the encoder worker: frames from the capture worklet (its frame port) are resampled to the output rate,
 * encoded as they arrive and written to the take's file sink; at the worklet's `end` only the tail is flushed. Every
 * `timesliceFrames` the new part of the live stream goes to the main thread as `data`. A tap (options.tap) gets the
 * same frames at its own rate, and so does the voice activity detector (options.vad), whose auto-stop ends the file
 * where the silence it waited for ends (as soon as it has judged that far: within a 30 ms frame and a chunk).
 */
import type { FrameMessage } from '../../worklets/protocol';
import { Resampler } from './dsp/resampler';
import { fvadWasmUrl, importCodec, rnnoiseWasmUrl } from './codec-files';
import type { SpeechClassifier } from './codecs/vad-frames';
import type { FrameDenoiser } from './codecs/rnnoise-frames';
import { PcmTap } from './pcm-tap';
import { VoiceActivity } from './voice-activity';
import { VoiceStages } from './voice-stages';
import type { WorkerEncoder, WorkerEncoderConfig } from './encoders/encoder';
import { createModuleEncoder, createPortEncoder } from './encoders/plugin-encoder';
import { WORKER_FORMATS } from './formats';
import type { EncoderConfig, WorkerReport } from './protocol';
import { MemorySink, MUXER_KEEP_BACK_BYTES } from './sinks/memory-sink';
import { OpfsSink } from './sinks/opfs-sink';
import type { FileSink } from './sinks/sink';
import { StreamSink } from './sinks/stream-sink';

/** How the take talks to the main thread. */
export type Report = (message: WorkerReport, transfer?: Transferable[]) => void;

/** The encoder of `config`: a registered plugin's, or a built-in format's. */
async function openEncoder(config: EncoderConfig & WorkerEncoderConfig, file: FileSink, live: MemorySink | null, encoderPort?: MessagePort): Promise<WorkerEncoder> {
  if (encoderPort) return createPortEncoder(encoderPort, config, file);
  if (config.pluginModule) return createModuleEncoder(config.pluginModule, config, file);
  const format = WORKER_FORMATS[config.encoder];
  if (!format) throw new Error(`The worker has no encoder '${config.encoder}'.`);
  return format.open(config, file, live);
}

/** Whether the file's own appended bytes are its live stream (true for plugins: they only append). */
function streamsItsFile(config: EncoderConfig, plugin: boolean): boolean {
  return plugin || (WORKER_FORMATS[config.encoder]?.streamsItsFile(config) ?? true);
}

/** Whether the encoder writes over bytes past the file's header (plugins, in a module or behind a port, only append). */
function writesBack(config: EncoderConfig & WorkerEncoderConfig, plugin: boolean): boolean {
  return !plugin && (WORKER_FORMATS[config.encoder]?.writesBack(config) ?? true);
}

/** The file sink of a take: the stream for startStream(), OPFS when persisted (memory, with a warning, if OPFS fails), else memory. */
async function openFileSink(config: EncoderConfig, keepAppends: boolean, keepBack: number, report: Report): Promise<FileSink> {
  if (config.streamOnly) return new StreamSink((bytes) => report({ type: 'pcm', bytes }, [bytes]));
  if (!config.persist) return new MemorySink(true, keepBack);
  const warn = (message: string) => report({ type: 'warning', message });
  const { id, startedAt } = config.persist;
  const journal = { id, startedAt, encoder: config.encoder, mimeType: config.mimeType, sampleRate: config.sampleRate, channels: config.channels, frames: 0, bytes: 0, status: 'recording' as const, appendOnly: config.appendOnly };
  try {
    return await OpfsSink.open(journal, warn, keepAppends);
  } catch (error) {
    warn(`The Origin Private File System cannot be used here (${error instanceof Error ? error.message : String(error)}); the recording is kept in memory and is not crash-safe.`);
    return new MemorySink(true, keepBack);
  }
}

/** One take in the worker (see the module comment). */
export class TakeWriter {
  private readonly resampler: Resampler;
  /** The take's second output (options.tap), from the same frames. */
  private readonly tap: PcmTap | null;
  /** Encoder calls, one after another (they may be asynchronous). */
  private chain: Promise<void> = Promise.resolve();
  private frames = 0;
  /** Whether any sample encoded so far was not zero (scanned until the first one is found). */
  private heard = false;
  private nextSlice: number;
  private ended = false;
  /** Output frames the size bound (or the auto-stop) allows, Infinity without one; whether they are all written, and why. */
  private frameBudget = Infinity;
  private full = false;
  private limit: 'memory' | 'silence' = 'memory';
  /** The take's voice activity (options.vad), from the same frames. */
  private readonly vad: VoiceActivity | null;
  /** tapedeck's own processing of the input (options.denoise, autoGain 'software'), before all the rest. */
  private readonly stages: VoiceStages | null;

  private constructor(
    private readonly port: MessagePort,
    private readonly config: EncoderConfig,
    private readonly report: Report,
    private readonly file: FileSink,
    /** Where the live stream comes from: a stream the encoder writes of its own, or the file's appended bytes. */
    private readonly live: { takeAppended(): Blob | null },
    private readonly encoder: WorkerEncoder,
    classifier: SpeechClassifier | null,
    denoisers: FrameDenoiser[] | null,
  ) {
    const { processing } = config;
    this.stages = processing.denoise || processing.autoGain ? new VoiceStages(config.inputSampleRate, denoisers, processing.autoGain) : null;
    this.vad =
      config.vad && classifier
        ? new VoiceActivity(config.vad, config.inputSampleRate, classifier, (speech) => report(speech), (atMs) => this.endAt(atMs))
        : null;
    this.resampler = new Resampler(config.inputSampleRate, config.sampleRate, config.channels);
    this.tap = config.tap && new PcmTap(config.tap, config.inputSampleRate, config.channels, (data, frames) => report({ type: 'tap', data, frames }, [data]));
    this.nextSlice = config.timesliceFrames > 0 ? config.timesliceFrames : Infinity;
    if (config.maxBytes > 0) this.frameBudget = encoder.framesWithin(config.maxBytes);
    port.onmessage = (event: MessageEvent<FrameMessage>) => this.receive(event.data);
  }

  /** Opens the take's sink and encoder, and starts taking frames from `port`. */
  static async open(port: MessagePort, config: EncoderConfig, report: Report, encoderPort?: MessagePort): Promise<TakeWriter> {
    const streaming = config.sliceBlobs;
    const ownStream = streaming && !streamsItsFile(config, encoderPort !== undefined || config.pluginModule !== undefined);
    const keepBack = writesBack(config, encoderPort !== undefined || config.pluginModule !== undefined) ? MUXER_KEEP_BACK_BYTES : 0;
    const file = await openFileSink(config, streaming && !ownStream, keepBack, report);
    const live = ownStream ? new MemorySink(false, 0) : null; // append-only: nothing is written back
    // A persisted take writes out early (short WebM clusters), so that a crash loses little.
    const encoder = await openEncoder({ ...config, crashSafe: config.persist !== null }, file, live, encoderPort);
    const classifier = config.vad ? await (await importCodec('vad')).openClassifier(fvadWasmUrl(), config.vad.aggressiveness) : null;
    const denoisers = config.processing.denoise ? await (await importCodec('rnnoise')).openDenoiser(rnnoiseWasmUrl(), config.channels) : null;
    return new TakeWriter(port, config, report, file, live ?? file, encoder, classifier, denoisers);
  }

  /** Bytes [start, end) of the file as written so far (the take's upload reads them). */
  read(start: number, end: number): Promise<Blob> {
    return this.file.readRange(start, end);
  }

  /** Ends the take without a file (cancelRecording): stops taking frames and deletes what was written. */
  async cancel(): Promise<void> {
    this.ended = true;
    this.stages?.dispose();
    this.vad?.dispose();
    this.port.close();
    await this.chain;
    await this.file.discard();
  }

  private receive(message: FrameMessage): void {
    if (this.ended) return;
    if (message.type === 'held') {
      // Input while the take waits for speech (startOnSpeech): for the detector only.
      const { data, frames } = message;
      try {
        this.vad?.pushHeld(this.planarOf(data, frames), frames, message.at);
      } catch (error) {
        this.fail(error);
      } finally {
        this.port.postMessage({ type: 'return', data, held: true }, [data.buffer]);
      }
    } else if (message.type === 'begin') {
      this.vad?.begin(message.heldFrame, message.replayFrames);
    } else if (message.type === 'frames') {
      const { data, frames } = message;
      this.received += frames;
      let out: Float32Array[];
      try {
        const input = this.planarOf(data, frames);
        out = this.fanOut(this.stages ? this.stages.process(input, frames) : input);
      } catch (error) {
        this.fail(error);
        return;
      } finally {
        // Every stage has copied what it needs: hand the chunk back to the worklet's pool at once.
        this.port.postMessage({ type: 'return', data }, [data.buffer]);
      }
      this.step(() => this.write(out));
    } else {
      const { droppedFrames } = message;
      const endAt = performance.now();
      let tail: Float32Array[];
      try {
        tail = this.stages ? this.fanOut(this.stages.flush()) : [];
      } catch (error) {
        this.fail(error);
        return;
      }
      this.tap?.flush();
      this.vad?.finish();
      this.step(async () => {
        if (tail.length > 0) await this.write(tail);
        await this.write(this.resampler.flush());
        await this.encoder.finish();
        this.emitData();
        const fileAt = performance.now();
        const blob = await this.file.finish(this.config.mimeType, this.config.appendOnly);
        const doneAt = performance.now();
        this.report({ type: 'done', blob, frames: this.frames, receivedFrames: this.received, droppedFrames, heard: this.heard, tailMs: doneAt - endAt, fileMs: doneAt - fileAt });
        this.ended = true;
        this.port.close();
      });
    }
  }

  /**
   * The take's input frames (planar, at the input rate, after tapedeck's processing) to the tap and the voice activity,
   * and through the resampler; returns the file's frames. The tap ends where the file does; the voice activity is
   * judged before the frames are written, so that an auto-stop can end the file inside them.
   */
  private fanOut(planar: Float32Array[]): Float32Array[] {
    const frames = planar[0]?.length ?? 0;
    if (!this.full) {
      this.tap?.push(planar, frames);
      this.vad?.push(planar, frames);
    }
    return this.resampler.process(planar, frames);
  }

  /** A worklet chunk's channels (planar: channel c at [c · stride, c · stride + frames)). */
  private planarOf(data: Float32Array, frames: number): Float32Array[] {
    const stride = data.length / this.config.channels;
    return Array.from({ length: this.config.channels }, (_, c) => data.subarray(c * stride, c * stride + frames));
  }

  /** Input frames received from the worklet. */
  private received = 0;

  private step(step: () => void | Promise<void>): void {
    this.chain = this.chain.then(step).catch((error: unknown) => this.fail(error));
  }

  /** Keeps what was encoded: the main thread gets it with the error. */
  private fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.stages?.dispose();
    this.vad?.dispose();
    try {
      this.tap?.flush(); // what the tap had is the take's too
    } catch {
      // the tap failed as well: nothing more of it
    }
    this.port.close();
    const message = error instanceof Error ? error.message : String(error);
    const kept = this.file.bytes > 0 ? this.file.finish(this.config.mimeType, this.config.appendOnly).catch(() => null) : Promise.resolve(null);
    void kept.then((blob) => this.report({ type: 'error', message, blob, frames: this.frames }));
  }

  /** The auto-stop: the file ends at `atMs` (or where it is now, if it is already longer). */
  private endAt(atMs: number): void {
    const frames = Math.round((atMs * this.config.sampleRate) / 1000);
    if (frames >= this.frameBudget) return; // the size bound comes first
    this.frameBudget = frames;
    this.limit = 'silence';
  }

  private async write(planar: Float32Array[]): Promise<void> {
    if (this.full) return; // the main thread is stopping the take
    const room = Math.max(0, this.frameBudget - this.frames);
    let frames = planar[0]?.length ?? 0;
    if (frames >= room) {
      frames = room;
      planar = planar.map((channel) => channel.subarray(0, frames));
      this.full = true;
      this.report({ type: 'full', reason: this.limit });
      if (frames === 0) return;
    }
    if (!this.heard) this.heard = planar.some((channel) => channel.subarray(0, frames).some((sample) => sample !== 0));
    await this.encoder.encode(planar, frames);
    this.frames += frames;
    this.file.progress(this.frames);
    if (this.frames >= this.nextSlice) {
      this.emitData();
      while (this.nextSlice <= this.frames) this.nextSlice += this.config.timesliceFrames;
    }
  }

  private emitData(): void {
    if (this.config.timesliceFrames === 0) return;
    const blob = this.config.sliceBlobs ? this.live.takeAppended() : null;
    this.report({ type: 'data', blob, fileBytes: this.file.bytes });
  }
}
