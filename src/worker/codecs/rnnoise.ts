/**
 * The noise-suppression codec file (dist/runtime/codecs/rnnoise.js), loaded only by a take with the `denoise`
 * option: Xiph's RNNoise (BSD-3-Clause), compiled to WebAssembly by @jitsi/rnnoise-wasm (Apache-2.0). Its .wasm is
 * a file of its own beside this one (codecs/rnnoise.wasm), fetched and compiled here, so that a page's CSP needs only
 * 'wasm-unsafe-eval', not data: or blob: URLs.
 */
import createRnnoise from '@jitsi/rnnoise-wasm/dist/rnnoise.js';
import { startModule } from './emscripten-module';
import { publishCodec } from './publish';
import { DENOISE_FRAME, type FrameDenoiser } from './rnnoise-frames';

/** RNNoise was trained on 16-bit sample values, not on ±1 floats. */
const INT16_SCALE = 32768;

/**
 * One RNNoise state per channel (`channels` of them), sharing one instance of the WebAssembly at `wasm` (a URL, or
 * its bytes): a state is ~19 KB, an instance a 16 MB heap.
 */
async function openDenoiser(wasm: string | BufferSource, channels: number): Promise<FrameDenoiser[]> {
  const module = await startModule(createRnnoise, wasm, 'The noise suppressor');
  return Array.from({ length: channels }, (): FrameDenoiser => {
    const state = module._rnnoise_create(0);
    const pointer = module._malloc(DENOISE_FRAME * 4);
    if (state === 0 || pointer === 0) throw new Error('The noise suppressor (RNNoise) could not be set up.');
    let open = true;
    return {
      process(frame) {
        if (!open) throw new Error('The noise suppressor was used after it was disposed.');
        const heap = module.HEAPF32; // read each time: the memory may have grown
        const at = pointer >> 2;
        for (let i = 0; i < DENOISE_FRAME; i++) {
          const sample = frame[i]!;
          // A NaN or an infinity would stay in the network's recurrent state and silence the rest of the take.
          heap[at + i] = Number.isFinite(sample) ? sample * INT16_SCALE : 0;
        }
        module._rnnoise_process_frame(state, pointer, pointer);
        const out = module.HEAPF32;
        for (let i = 0; i < DENOISE_FRAME; i++) frame[i] = out[at + i]! / INT16_SCALE;
      },
      dispose() {
        if (!open) return;
        open = false;
        module._free(pointer);
        module._rnnoise_destroy(state);
      },
    };
  });
}

const codec = { openDenoiser };
/** What the rnnoise codec file provides. */
export type RnnoiseCodec = typeof codec;
publishCodec('rnnoise', codec);
