/**
 * The two LAME engines tapedeck's MP3 encoder can run: LAME 3.100 compiled to WebAssembly (wasm-media-encoders,
 * ~3.5× faster than the JavaScript port), used wherever the page may compile WebAssembly; and lamejs
 * (lamejs-engine.ts) where a Content-Security-Policy without 'wasm-unsafe-eval' forbids it. Both write CBR frames
 * of the same sizes with the same 576-sample encoder delay, so the Info frame and the durations are the same.
 * LAME is LGPL: the .wasm and lamejs are files of their own (dist/codecs/lame.wasm, lamejs.js), which a user can
 * replace.
 */
import { createEncoder } from 'wasm-media-encoders';

/** One LAME encoder: float planar PCM in, MP3 bytes out (copies, the caller's to keep). */
export interface Mp3Engine {
  /** Which engine this is. */
  readonly name: 'wasm' | 'lamejs';
  /** The 9-character encoder string of the LAME tag (e.g. "LAME3.100"). */
  readonly version: string;
  encode(planar: readonly Float32Array[], count: number): Uint8Array;
  /** The last frames. */
  flush(): Uint8Array;
}

/** What an engine is made for. */
export interface Mp3EngineConfig {
  channels: number;
  sampleRate: number;
  kilobitRate: number;
}

/** Where the engines come from. */
export interface Mp3EngineSources {
  /** LAME's WebAssembly module: its URL or its bytes. */
  wasm: string | ArrayBuffer | Uint8Array;
  /** Loads the lamejs engine (a codec file of its own). */
  lamejs(): Promise<{ createLamejsEngine(config: Mp3EngineConfig): Mp3Engine }>;
}

/** The constant bit rates wasm-media-encoders accepts (LAME's, less 56 and 144 kbit/s). */
const WASM_BITRATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

type Mp3CbrValue = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;
type Mp3Rate = 8000 | 11025 | 12000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000;

/** LAME in WebAssembly, from the module at (or in) `wasm`. */
export async function createWasmEngine(config: Mp3EngineConfig, wasm: string | ArrayBuffer | Uint8Array): Promise<Mp3Engine> {
  if (!WASM_BITRATES.includes(config.kilobitRate)) throw new Error(`wasm-media-encoders has no ${config.kilobitRate} kbit/s`);
  const encoder = await createEncoder('audio/mpeg', wasm);
  encoder.configure({
    channels: config.channels as 1 | 2,
    sampleRate: config.sampleRate,
    bitrate: config.kilobitRate as Mp3CbrValue,
    outputSampleRate: config.sampleRate as Mp3Rate,
  });
  const views: Float32Array[] = [];
  return {
    name: 'wasm',
    version: 'LAME3.100',
    encode(planar, count) {
      views.length = 0;
      for (let c = 0; c < config.channels; c++) views.push(planar[c]!.subarray(0, count));
      return encoder.encode(views).slice(); // the encoder owns its output buffer
    },
    flush: () => encoder.finalize().slice(),
  };
}

/** The WebAssembly engine where it can run, else lamejs. */
export async function createMp3Engine(config: Mp3EngineConfig, sources: Mp3EngineSources, prefer: 'wasm' | 'lamejs' = 'wasm'): Promise<Mp3Engine> {
  if (prefer === 'wasm' && typeof WebAssembly === 'object') {
    try {
      return await createWasmEngine(config, sources.wasm);
    } catch {
      // A CSP without 'wasm-unsafe-eval' (CompileError), or the .wasm file could not be fetched: the JS port.
    }
  }
  return (await sources.lamejs()).createLamejsEngine(config);
}
