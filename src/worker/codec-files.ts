/**
 * The codec files the encoder worker loads on demand: self-contained ES modules (and LAME's .wasm) shipped in
 * dist/codecs/ beside the worker. Each is named once, in the literal `new URL('./codecs/…', import.meta.url)` form,
 * so that a bundler building the user's app sees it while bundling the worker and copies it along; the worker then
 * imports it by that URL (webpackIgnore / @vite-ignore: the file is loaded as it is, not rebundled).
 */
import type { LamejsCodec } from './codecs/lamejs';
import type { MediaCodec } from './codecs/media';
import type { Mp3Codec } from './codecs/mp3';
import { publishedCodec } from './codecs/publish';
import type { RnnoiseCodec } from './codecs/rnnoise';
import type { VadCodec } from './codecs/vad';

/** What each codec file provides (published when it is evaluated: see codecs/publish.ts). */
export interface CodecModules {
  mp3: Mp3Codec;
  lamejs: LamejsCodec;
  media: MediaCodec;
  /** mediabunny's WebAssembly AAC encoder; register() adds it to the media file's mediabunny. */
  aacWasm: { register(): void };
  /** mediabunny's WebAssembly FLAC encoder; register() adds it to the media file's mediabunny. */
  flacWasm: { register(): void };
  /** WebRTC's voice activity detector (options.vad). */
  vad: VadCodec;
  /** Xiph's RNNoise noise suppressor (options.denoise). */
  rnnoise: RnnoiseCodec;
}

const FILES: { [K in keyof CodecModules]: () => URL } = {
  mp3: () => new URL('./codecs/mp3.js', import.meta.url),
  lamejs: () => new URL('./codecs/lamejs.js', import.meta.url),
  media: () => new URL('./codecs/media.js', import.meta.url),
  aacWasm: () => new URL('./codecs/aac-wasm.js', import.meta.url),
  flacWasm: () => new URL('./codecs/flac-wasm.js', import.meta.url),
  vad: () => new URL('./codecs/vad.js', import.meta.url),
  rnnoise: () => new URL('./codecs/rnnoise.js', import.meta.url),
};

/** Loads codec file `name` (once: the browser keeps the module). */
export async function importCodec<K extends keyof CodecModules>(name: K): Promise<CodecModules[K]> {
  await import(/* webpackIgnore: true */ /* @vite-ignore */ FILES[name]().href);
  return publishedCodec(name);
}

/** The URL of LAME compiled to WebAssembly (LGPL: a file of its own, which a user may replace). */
export function lameWasmUrl(): string {
  return new URL('./codecs/lame.wasm', import.meta.url).href;
}

/** The URL of WebRTC's voice activity detector in WebAssembly (the vad codec file's). */
export function fvadWasmUrl(): string {
  return new URL('./codecs/fvad.wasm', import.meta.url).href;
}

/** The URL of Xiph's RNNoise in WebAssembly (the rnnoise codec file's). */
export function rnnoiseWasmUrl(): string {
  return new URL('./codecs/rnnoise.wasm', import.meta.url).href;
}
