/**
 * The voice-activity codec file (dist/runtime/codecs/vad.js), loaded only by a take with the `vad` option: WebRTC's
 * voice activity detector (libfvad, compiled to WebAssembly by @echogarden/fvad-wasm, BSD-3-Clause). Its .wasm is a
 * file of its own beside this one (codecs/fvad.wasm), fetched and compiled here, so that a page's CSP needs only
 * 'wasm-unsafe-eval', not data: or blob: URLs.
 */
import createFvad from '@echogarden/fvad-wasm';
import { startModule } from './emscripten-module';
import { publishCodec } from './publish';
import { VAD_FRAME, VAD_RATE, type SpeechClassifier } from './vad-frames';

/**
 * A detector at `aggressiveness` (0 = flags the most as speech, 3 = the least: best against room noise), from the
 * WebAssembly at `wasm` (a URL, or its bytes).
 */
async function openClassifier(wasm: string | BufferSource, aggressiveness: 0 | 1 | 2 | 3): Promise<SpeechClassifier> {
  const module = await startModule(createFvad, wasm, 'The voice activity detector');
  const instance = module._fvad_new();
  if (instance === 0 || module._fvad_set_mode(instance, aggressiveness) !== 0 || module._fvad_set_sample_rate(instance, VAD_RATE) !== 0) {
    throw new Error('The voice activity detector (fvad) could not be set up.');
  }
  const pointer = module._malloc(VAD_FRAME * 2);
  return {
    isSpeech(frame) {
      module.HEAP16.set(frame, pointer >> 1); // HEAP16 is read each time: the memory may have grown
      return module._fvad_process(instance, pointer, VAD_FRAME) === 1;
    },
    dispose() {
      module._free(pointer);
      module._fvad_free(instance);
    },
  };
}

const codec = { openClassifier };
/** What the vad codec file provides. */
export type VadCodec = typeof codec;
publishCodec('vad', codec);
