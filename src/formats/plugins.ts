import { checkOptions, invalidOption, rules, type Field, type Rule } from '../validate';
import { hasCapturePlatform } from './platform';
import { formatOf, registerFormat } from './registry';

/** What a plugin encoder is asked to encode. */
export interface EncoderPluginConfig {
  /** Output Hz. */
  sampleRate: number;
  /** 1 or 2. */
  channels: number;
  /** Bits per second asked for (the `bitRate` option). */
  bitRate: number;
}

/**
 * The worker side of a plugin: what the default export (or the `createEncoder` export) of its `workerModule`
 * returns. It runs in tapedeck's encoder worker; each method may return a promise, and is awaited before the next.
 */
export interface EncoderPluginWorker {
  /** Called once, before the first frame. */
  init?(config: EncoderPluginConfig): void | Promise<void>;
  /**
   * Encodes `frames` frames of planar float PCM at the output rate; returns the bytes to append, if any. They are
   * copied as soon as they are returned, so the plugin may reuse one buffer for every call.
   */
  encode(planar: readonly Float32Array[], frames: number): PluginBytes | Promise<PluginBytes>;
  /** Ends the stream; returns the last bytes, if any. */
  flush(): PluginBytes | Promise<PluginBytes>;
  /** Frees what the encoder holds. */
  close?(): void;
}

/** Bytes a plugin hands back: one chunk, several, or none. */
export type PluginBytes = Uint8Array | ArrayBuffer | ReadonlyArray<Uint8Array | ArrayBuffer> | undefined | void;

/**
 * An output format added to tapedeck with {@link registerEncoder}. Its worker side is either an ES module that
 * tapedeck's encoder worker imports (`workerModule`), or an encoder of the extendable-media-recorder family reached
 * through its `connect()` (see {@link fromExtendableMediaRecorder}).
 */
export interface EncoderPlugin {
  /** The name to pass as the `encoder` option. */
  id: string;
  /** MIME type of the files it writes. */
  mimeType: string;
  /** Whether it can encode `config` in this browser (checked on the main thread). Default: yes. */
  supports?(config: EncoderPluginConfig): boolean | Promise<boolean>;
  /** URL of the ES module with the worker side (an {@link EncoderPluginWorker} factory as default export or `createEncoder`). */
  workerModule?: string;
  /** Opens a MessagePort to an extendable-media-recorder encoder; called once per recording. */
  connect?(): Promise<MessagePort>;
}

const isFunction: Rule = (value) => (typeof value === 'function' ? null : 'a function');

/** An encoder plugin's fields (see validate.ts). */
const PLUGIN_FIELDS: Record<keyof EncoderPlugin, Field> = {
  id: { rule: (value) => (typeof value === 'string' && /^[a-z0-9][a-z0-9._-]*$/i.test(value) ? null : 'a name such as "my-codec"'), required: true },
  mimeType: { rule: (value) => (typeof value === 'string' && value.includes('/') ? null : 'a MIME type such as "audio/x-mine"'), required: true },
  supports: isFunction,
  workerModule: rules.nonEmptyString,
  connect: isFunction,
};

/** Adds an output format; afterwards `new AudioRecorder({ encoder: plugin.id })` records with it. */
export function registerEncoder(plugin: EncoderPlugin): void {
  checkOptions<EncoderPlugin>(plugin, 'plugin', 'a field of an encoder plugin', PLUGIN_FIELDS);
  const known = formatOf(plugin.id);
  if (known && !known.plugin) invalidOption(`registerEncoder(plugin): plugin.id '${plugin.id}' is a built-in format; pick another name.`);
  if ((typeof plugin.workerModule === 'string') === (typeof plugin.connect === 'function')) {
    invalidOption('registerEncoder(plugin): plugin needs exactly one of workerModule (a module URL) and connect (an extendable-media-recorder encoder).');
  }
  const registered = { ...plugin, workerModule: plugin.workerModule && new URL(plugin.workerModule, globalThis.location?.href).href };
  registerFormat({
    id: plugin.id,
    aliases: [],
    sampleRates: null,
    containers: [],
    mimeType: () => plugin.mimeType,
    extension: () => 'bin',
    available: hasCapturePlatform,
    supports: async (config) => hasCapturePlatform() && (await (plugin.supports?.(config) ?? true)) === true,
    plugin: registered,
  });
}

/** What an extendable-media-recorder encoder module exports (e.g. extendable-media-recorder-wav-encoder). */
export interface ExtendableMediaRecorderEncoder {
  /** Opens a port to the encoder's worker. */
  connect(): Promise<MessagePort>;
}

/**
 * Makes an extendable-media-recorder encoder a tapedeck plugin:
 * `registerEncoder(fromExtendableMediaRecorder(wavEncoder, { id: 'emr-wav', mimeType: 'audio/wav' }))`.
 * Those encoders keep the PCM and encode it when the recording ends, so their stop time grows with the length.
 */
export function fromExtendableMediaRecorder(encoder: ExtendableMediaRecorderEncoder, info: { id: string; mimeType: string }): EncoderPlugin {
  return { id: info.id, mimeType: info.mimeType, connect: () => encoder.connect() };
}
