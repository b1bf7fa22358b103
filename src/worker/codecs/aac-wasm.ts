/** The aac-wasm codec file (dist/runtime/codecs/aac-wasm.js): FFmpeg's AAC encoder in WebAssembly, via @mediabunny/aac-encoder. */
import { registerAacEncoder } from '@mediabunny/aac-encoder';
import { publishCodec } from './publish';

publishCodec('aacWasm', { register: registerAacEncoder });
