/**
 * How a codec file hands what it provides to the worker that loaded it: by a global under a shared symbol, not by its
 * exports. Quirk #9: Parcel rebuilds a file named with `new URL(…, import.meta.url)` as a script of its own and drops
 * its exports; a top-level statement it keeps, in every bundler.
 */
import type { CodecModules } from '../codec-files';

const CODECS = Symbol.for('tapedeck.codecs');

type Published = Partial<CodecModules>;
const published = (): Published => ((globalThis as Record<symbol, Published>)[CODECS] ??= {});

/** Called by codec file `name` when it is evaluated. */
export function publishCodec<K extends keyof CodecModules>(name: K, codec: CodecModules[K]): void {
  published()[name] = codec;
}

/** What codec file `name` published, once it has been imported. */
export function publishedCodec<K extends keyof CodecModules>(name: K): CodecModules[K] {
  const codec = published()[name];
  if (!codec) throw new Error(`tapedeck: the codec file '${name}' loaded but provided nothing (was it rebuilt without its top level?).`);
  return codec;
}
