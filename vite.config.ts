/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { defineConfig, type UserConfig } from 'vite';

/**
 * One config, several builds, chosen by `--mode` (see the build scripts in package.json):
 * - (default)  the demo: `vite` serves index.html + demo/ from source; `vite build` writes dist-demo/
 * - worklet    dist/capture-worklet.js   the AudioWorklet processor, one self-contained file
 * - worker     dist/encoder-worker.js    the encoder worker, one self-contained file
 * - esm        dist/tapedeck.js          the ES module; finds the two files above beside itself
 * - iife       dist/tapedeck.iife.js     the script-tag build (window.Tapedeck), with both files inlined
 */

const NO_INLINE_ASSETS = { __TAPEDECK_INLINE_WORKLET__: 'null', __TAPEDECK_INLINE_WORKER__: 'null' };

function standalone(entry: string, fileName: string, emptyOutDir = false): UserConfig {
  return {
    define: NO_INLINE_ASSETS,
    build: {
      outDir: 'dist',
      emptyOutDir,
      sourcemap: true,
      lib: { entry, formats: ['es'], fileName: () => fileName },
    },
  };
}

function inlined(file: string): string {
  return JSON.stringify(readFileSync(new URL(`./dist/${file}`, import.meta.url), 'utf8'));
}

const builds: Record<string, () => UserConfig> = {
  worklet: () => standalone('worklets/capture-processor.ts', 'capture-worklet.js', true),
  worker: () => standalone('src/encoders/encoder-worker.ts', 'encoder-worker.js'),
  esm: () => standalone('src/index.ts', 'tapedeck.js'),
  iife: () => ({
    define: { __TAPEDECK_INLINE_WORKLET__: inlined('capture-worklet.js'), __TAPEDECK_INLINE_WORKER__: inlined('encoder-worker.js') },
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      lib: { entry: 'src/index.ts', formats: ['iife'], name: 'Tapedeck', fileName: () => 'tapedeck.iife.js' },
    },
  }),
};

export default defineConfig(({ mode }) => {
  const build = builds[mode];
  if (build) return build();
  return {
    base: './',
    define: NO_INLINE_ASSETS,
    server: { port: 5173, strictPort: false },
    build: { outDir: 'dist-demo', emptyOutDir: true },
    test: { include: ['tests/unit/**/*.test.ts'], environment: 'node' },
  };
});
