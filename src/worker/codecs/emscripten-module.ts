/**
 * How the codec files start an Emscripten module whose .wasm ships as a file of its own beside them (fvad.wasm,
 * rnnoise.wasm): tapedeck fetches and compiles it, then hands the instance to the glue through `instantiateWasm`, so
 * the glue neither fetches it nor reads a data: or blob: URL, and a page's CSP needs only 'wasm-unsafe-eval'.
 */

/** Emscripten's module arguments, as far as tapedeck uses them. */
export interface InstantiateArgs {
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void): object;
}

/** The module from `factory` (the glue's default export) over the WebAssembly at `wasm` (a URL, or its bytes); `what` names it in errors. */
export async function startModule<M>(factory: (args: InstantiateArgs) => Promise<M>, wasm: string | BufferSource, what: string): Promise<M> {
  const compiled = await WebAssembly.compile(typeof wasm === 'string' ? await fetchWasm(wasm, what) : wasm);
  return factory({
    // Compiled above (its errors reject there); instantiated at once, as Emscripten asks.
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance);
      return instance.exports;
    },
  });
}

async function fetchWasm(url: string, what: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what}'s WebAssembly (${url}) could not be loaded: HTTP ${response.status}.`);
  return response.arrayBuffer();
}
