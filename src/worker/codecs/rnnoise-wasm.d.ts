/** @jitsi/rnnoise-wasm ships no types: the part of its emscripten module (dist/rnnoise.js) that tapedeck uses. */
declare module '@jitsi/rnnoise-wasm/dist/rnnoise.js' {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    /** A new state; `model` 0 is the built-in network. 0 when it could not be allocated. */
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    /** Denoises the 480 floats (int16 scale) at `input` into `output` (they may be the same); the frame's speech probability. */
    _rnnoise_process_frame(state: number, output: number, input: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  }
  const createRNNWasmModule: (args?: import('./emscripten-module').InstantiateArgs) => Promise<RnnoiseModule>;
  export default createRNNWasmModule;
}
