/// <reference types="vitest/config" />
import { cpSync } from 'node:fs';
import { defineConfig, type UserConfig } from 'vite';

/**
 * One config, several builds, chosen by `--mode` (see the build scripts in package.json):
 * - (default)  the demo: `vite` serves index.html + demo/ from source; `vite build` writes dist-demo/
 * - worklet    dist/capture-worklet.js   the AudioWorklet processor, one self-contained file
 * - worker     dist/encoder-worker.js    the encoder worker, with the codecs as chunks it loads on demand
 * - esm        dist/tapedeck.js          the ES module; finds the files above beside itself
 * - iife       dist/tapedeck.iife.js     the script-tag build (window.Tapedeck); finds them beside its <script>
 * - bench      bench/.dist/              the pages of the recorders `npm run bench` compares
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
  esm: () => ({
    ...standalone('src/index.ts', 'tapedeck.js'),
    plugins: [
      {
        // Vite writes `new URL('./x.js', "" + import.meta.url)` so that it does not process the URL twice; put the
        // plain form back, which the bundlers of tapedeck's users recognise and copy the file along for.
        name: 'plain-import-meta-url',
        renderChunk: (code) => code.replaceAll('"" + import.meta.url', 'import.meta.url'),
      },
    ],
  }),
  // tapedeck/testing: node helpers for Playwright tests (node builtins stay imports).
  testing: () => ({
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      lib: { entry: 'src/testing/node.ts', formats: ['es'], fileName: () => 'testing.js' },
      rollupOptions: { external: [/^node:/] },
    },
  }),
  // tapedeck/testing/page: in-page helpers, as a module and as a script (window.TapedeckTesting).
  'testing-page': () => ({
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      lib: { entry: 'src/testing/page.ts', formats: ['es', 'iife'], name: 'TapedeckTesting', fileName: (f) => (f === 'es' ? 'testing-page.js' : 'testing-page.iife.js') },
      rollupOptions: {
        // Playwright runs init scripts inside a function, where a top-level `var` stays local: publish the global.
        output: { footer: (chunk) => (chunk.fileName.endsWith('.iife.js') ? 'globalThis.TapedeckTesting = TapedeckTesting;' : '') },
      },
    },
  }),
  // bench/.dist/: one page per recorder the bench compares (bench/contenders/*.html); tapedeck's page loads /dist/.
  bench: () => ({
    root: 'bench/contenders',
    base: './',
    build: {
      outDir: '../.dist',
      emptyOutDir: true,
      assetsInlineLimit: 0, // workers and .wasm as files, counted apart
      rollupOptions: {
        input: Object.fromEntries(
          ['tapedeck', 'recordrtc', 'extendable-media-recorder', 'mic-recorder-to-mp3', 'recorder-core', 'opus-recorder', 'vmsg', 'media-recorder'].map((name) => [name, `bench/contenders/${name}.html`]),
        ),
        external: ['tapedeck'],
      },
    },
  }),
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
    build: {
      outDir: 'dist-demo',
      emptyOutDir: true,
      rollupOptions: { input: { main: 'index.html', cdn: 'demo/cdn.html' } },
    },
    plugins: [
      {
        // demo/cdn.html loads the library's own script-tag build: ship dist/ inside the static site.
        name: 'copy-library-into-demo',
        apply: 'build',
        closeBundle: () => cpSync('dist', 'dist-demo/dist', { recursive: true, filter: (src) => !src.endsWith('.map') }),
      },
    ],
    test: { include: ['tests/unit/**/*.test.ts'], environment: 'node' },
  };
});
