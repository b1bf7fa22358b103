/** The worker side of registered plugins: a module's EncoderPluginWorker, or an extendable-media-recorder port. */
import type { EncoderPluginConfig, EncoderPluginWorker, PluginBytes } from '../../formats/plugins';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder } from './encoder';

function writeAll(sink: ByteSink, bytes: PluginBytes): void {
  if (!bytes) return;
  const list = Array.isArray(bytes) ? bytes : [bytes];
  for (const chunk of list as Array<Uint8Array | ArrayBuffer>) sink.write(chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk));
}

/** Bytes per second a plugin may write, for the size bound: 32-bit float PCM, the worst a sane format does. */
const worstBytesPerFrame = (config: EncoderPluginConfig) => config.channels * 4;

/** A WorkerEncoder around the plugin module at `url`. */
export async function createModuleEncoder(url: string, config: EncoderPluginConfig, sink: ByteSink): Promise<WorkerEncoder> {
  const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)) as { default?: () => EncoderPluginWorker; createEncoder?: () => EncoderPluginWorker };
  const factory = module.createEncoder ?? module.default;
  if (typeof factory !== 'function') throw new Error(`The encoder plugin module ${url} exports neither createEncoder nor a default function.`);
  const plugin = factory();
  await plugin.init?.(config);
  return {
    framesWithin: (bytes) => Math.floor(bytes / worstBytesPerFrame(config)),
    async encode(planar, frames) {
      writeAll(sink, await plugin.encode(planar, frames));
    },
    async finish() {
      writeAll(sink, await plugin.flush());
      plugin.close?.();
    },
  };
}

/**
 * A WorkerEncoder that drives an extendable-media-recorder encoder over its port, with that family's broker
 * protocol: `record` hands it PCM, `encode` (at the end) returns the file as ArrayBuffers.
 */
export function createPortEncoder(port: MessagePort, config: EncoderPluginConfig, sink: ByteSink): WorkerEncoder {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  port.onmessage = ({ data }: MessageEvent<{ id: number; result?: unknown; error?: { message: string } }>) => {
    const request = pending.get(data.id);
    if (!request) return;
    pending.delete(data.id);
    if (data.error) request.reject(new Error(data.error.message));
    else request.resolve(data.result);
  };
  const call = (method: string, params: object, transfer: Transferable[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      port.postMessage({ id, method, params }, transfer);
    });
  const recordingId = 0;
  return {
    framesWithin: (bytes) => Math.floor(bytes / worstBytesPerFrame(config)),
    async encode(planar, frames) {
      if (frames === 0) return;
      const typedArrays = planar.map((channel) => channel.slice(0, frames));
      await call('record', { recordingId, sampleRate: config.sampleRate, typedArrays }, typedArrays.map((a) => a.buffer));
    },
    async finish() {
      const buffers = (await call('encode', { recordingId, timeslice: null })) as ArrayBuffer[];
      writeAll(sink, buffers);
      port.close();
    },
  };
}
