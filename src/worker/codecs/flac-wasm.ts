/** The flac-wasm codec file (dist/runtime/codecs/flac-wasm.js): libFLAC in WebAssembly, via @mediabunny/flac-encoder. */
import { registerFlacEncoder } from '@mediabunny/flac-encoder';
import { publishCodec } from './publish';

publishCodec('flacWasm', { register: registerFlacEncoder });
