// Both MP3 engines in node: lamejs, and LAME in WebAssembly fed the .wasm from node_modules (node's fetch cannot
// read the file: URL the browser build uses).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLamejsEngine } from '../../src/worker/encoders/lamejs-engine';
import { createWasmEngine, type Mp3Engine, type Mp3EngineConfig } from '../../src/worker/encoders/mp3-engines';

const wasmPath = createRequire(import.meta.url).resolve('wasm-media-encoders/wasm/mp3');

/** An engine by name, as the worker would make it. */
export function nodeMp3Engine(name: 'wasm' | 'lamejs', config: Mp3EngineConfig): Promise<Mp3Engine> {
  return name === 'wasm' ? createWasmEngine(config, readFileSync(wasmPath)) : Promise.resolve(createLamejsEngine(config));
}
