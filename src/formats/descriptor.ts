/** What a format is, on the main thread: one descriptor per format, built-in or registered (src/formats/registry.ts). */
import type { EncoderPlugin } from './plugins';

/** What a recording asks of a format: the output rate (one the format stores), channels, bit rate and container. */
export interface FormatQuery {
  sampleRate: number;
  channels: number;
  /** Bits per second (compressed formats). */
  bitRate: number;
  /** One of the format's containers (its first when omitted). */
  container?: string;
}

/** One output format. The encoder worker's side of a built-in format is src/worker/formats.ts, under the same id. */
export interface FormatDescriptor {
  /** tapedeck's name for it: the `encoder` option. */
  readonly id: string;
  /** Other names that select it (Flet/Flutter record's AudioEncoder names). */
  readonly aliases: readonly string[];
  /** The sample rates it stores, in Hz (others are resampled to the nearest); null for any rate. */
  readonly sampleRates: readonly number[] | null;
  /** The containers it can be written in, the default first; empty where there is no choice. */
  readonly containers: readonly string[];
  /** The MIME type of a file of it. */
  mimeType(file: { sampleRate: number; channels: number; container: string }): string;
  /** The file-name extension of a file of it in `container`. */
  extension(container: string): string;
  /** Whether the APIs it needs exist at all here (synchronous: canRecord()). */
  available(): boolean;
  /** Whether this browser records it with `query`: the one question startRecording() and isSupportedEncoder() ask. */
  supports(query: FormatQuery): Promise<boolean>;
  /** For a registered encoder: its plugin, which the worker runs. Built-ins are known to the worker by id. */
  readonly plugin?: EncoderPlugin;
}
