/// <reference types="vitest/config" />
import { defineConfig, type UserConfig } from 'vite';

/**
 * One config, several builds, chosen by `--mode` (see the build scripts in package.json):
 * - (default)  the demo: `vite` serves index.html + demo/ from source; `vite build` writes dist-demo/
 * - worklet    dist/capture-worklet.js   the AudioWorklet processor, one self-contained file
 * - worker     dist/encoder-worker.js    the encoder worker, with the codecs as chunks it loads on demand
 * - esm        dist/tapedeck.js          the ES module; finds the files above beside itself
 * - iife       dist/tapedeck.iife.js     the script-tag build (window.Tapedeck); finds them beside its <script>
 */

const ESM = { __TAPEDECK_IIFE__: 'false' };

function standalone(entry: string, fileName: string, emptyOutDir = false): UserConfig {
  return {
    define: ESM,
    build: {
      outDir: 'dist',
      emptyOutDir,
      sourcemap: true,
      lib: { entry, formats: ['es'], fileName: () => fileName },
    },
  };
}

const builds: Record<string, () => UserConfig> = {
  // Not part of the package: an npm module the browser tests load as a plain ES file.
  'test-fixtures': () => ({
    build: {
      outDir: 'tests/.generated',
      emptyOutDir: false,
      lib: { entry: 'tests/browser/fixtures/emr-wav-encoder.ts', formats: ['es'], fileName: () => 'emr-wav-encoder.js' },
    },
  }),
  worklet: () => standalone('worklets/capture-processor.ts', 'capture-worklet.js', true),
  worker: () => standalone('src/encoders/encoder-worker.ts', 'encoder-worker.js'),
  esm: () => standalone('src/index.ts', 'tapedeck.js'),
  iife: () => ({
    define: { __TAPEDECK_IIFE__: 'true' },
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
    define: ESM,
    worker: { format: 'es' }, // the worker loads its codecs as chunks
    server: { port: 5173, strictPort: false },
    build: { outDir: 'dist-demo', emptyOutDir: true },
    test: { include: ['tests/unit/**/*.test.ts'], environment: 'node' },
  };
});
