/**
 * The two LAME engines tapedeck's MP3 encoder can run: LAME 3.100 compiled to WebAssembly (wasm-media-encoders,
 * ~3.5× faster than the JavaScript port), used wherever the page may compile WebAssembly; and lamejs
 * (@breezystack/lamejs, a maintained fork of the JavaScript port: lamejs@1.2.1 throws "MPEGMode is not defined" in
 * ES module builds), where a Content-Security-Policy without 'wasm-unsafe-eval' forbids it. Both write CBR frames
 * of the same sizes with the same 576-sample encoder delay, so the Info frame and the durations are the same.
 * LAME is LGPL-3.0: each engine is its own chunk, loaded only for MP3.
 */
import { floatToInt16 } from '../dsp/pcm';

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

/** The constant bit rates wasm-media-encoders accepts (LAME's, less 56 and 144 kbit/s). */
const WASM_BITRATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

type Mp3CbrValue = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;
type Mp3Rate = 8000 | 11025 | 12000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000;

/** LAME in WebAssembly. `wasm` is the module's bytes or URL (by default the file shipped beside this chunk). */
export async function createWasmEngine(config: Mp3EngineConfig, wasm?: ArrayBuffer | Uint8Array | string): Promise<Mp3Engine> {
  if (!WASM_BITRATES.includes(config.kilobitRate)) throw new Error(`wasm-media-encoders has no ${config.kilobitRate} kbit/s`);
  const { createEncoder } = await import('wasm-media-encoders');
  const source = wasm ?? (await import('wasm-media-encoders/wasm/mp3?url')).default;
  const encoder = await createEncoder('audio/mpeg', source);
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

/** LAME ported to JavaScript: 16-bit input, no WebAssembly. */
export async function createLamejsEngine(config: Mp3EngineConfig): Promise<Mp3Engine> {
  const { Mp3Encoder } = await import('@breezystack/lamejs');
  const lame = new Mp3Encoder(config.channels, config.sampleRate, config.kilobitRate);
  let left = new Int16Array(0);
  let right = new Int16Array(0);
  return {
    name: 'lamejs',
    version: 'LAME3.99r',
    encode(planar, count) {
      if (left.length < count) {
        left = new Int16Array(count);
        right = new Int16Array(count);
      }
      for (let c = 0; c < config.channels; c++) {
        const target = c === 0 ? left : right;
        const source = planar[c]!;
        for (let i = 0; i < count; i++) target[i] = floatToInt16(source[i]!);
      }
      return lame.encodeBuffer(left.subarray(0, count), config.channels === 2 ? right.subarray(0, count) : undefined);
    },
    flush: () => lame.flush(),
  };
}

/** The WebAssembly engine where it can run, else lamejs. */
export async function createMp3Engine(config: Mp3EngineConfig, prefer: 'wasm' | 'lamejs' = 'wasm'): Promise<Mp3Engine> {
  if (prefer === 'wasm' && typeof WebAssembly === 'object') {
    try {
      return await createWasmEngine(config);
    } catch {
      // A CSP without 'wasm-unsafe-eval' (CompileError), or the .wasm file could not be fetched: the JS port.
    }
  }
  return createLamejsEngine(config);
}
