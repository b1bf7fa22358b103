/** @echogarden/fvad-wasm ships no types: the part of its emscripten module that tapedeck uses. */
declare module '@echogarden/fvad-wasm' {
  export interface FvadModule {
    HEAP16: Int16Array;
    _fvad_new(): number;
    _fvad_free(instance: number): void;
    /** 0 (quality) to 3 (very aggressive); 0 on success. */
    _fvad_set_mode(instance: number, mode: number): number;
    /** 8000, 16000, 32000 or 48000; 0 on success. */
    _fvad_set_sample_rate(instance: number, rate: number): number;
    /** A 10, 20 or 30 ms frame of int16 samples at `pointer`: 1 speech, 0 not, -1 a bad frame length. */
    _fvad_process(instance: number, pointer: number, length: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  }
  const createFvad: (args?: import('./emscripten-module').InstantiateArgs) => Promise<FvadModule>;
  export default createFvad;
}
