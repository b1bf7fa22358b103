/// <reference types="vitest/config" />
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The demo site, the bench's pages and the unit tests. The package itself is built by scripts/build.mjs; the demo
 * imports that build ('tapedeck' → dist/tapedeck.js) the way a user's Vite app does, with no extra config.
 * - (default)      `vite` serves index.html + demo/; `vite build` writes dist-demo/, a static site
 * - test-fixtures  tests/.generated/: an npm module the browser tests load as a plain ES file
 * - bench          bench/.dist/: the pages of the recorders `npm run bench` compares
 */
const builds: Record<string, () => UserConfig> = {
  'test-fixtures': () => ({
    build: {
      outDir: 'tests/.generated',
      emptyOutDir: false,
      lib: { entry: 'tests/browser/fixtures/emr-wav-encoder.ts', formats: ['es'], fileName: () => 'emr-wav-encoder.js' },
    },
  }),
  // One page per recorder the bench compares (bench/contenders/*.html); tapedeck's page loads /dist/.
  bench: () => ({
    root: 'bench/contenders',
    base: './',
    build: {
      outDir: '../.dist',
      emptyOutDir: true,
      assetsInlineLimit: 0, // workers and .wasm as files, counted apart
      rollupOptions: {
        input: Object.fromEntries(
          ['tapedeck', 'recordrtc', 'extendable-media-recorder', 'mic-recorder-to-mp3', 'recorder-core', 'opus-recorder', 'vmsg', 'media-recorder', 'no-recorder'].map((name) => [name, `bench/contenders/${name}.html`]),
        ),
        external: ['tapedeck'],
      },
    },
  }),
};

export default defineConfig(({ mode }) => {
  const build = builds[mode];
  if (build) return build();
  return {
    base: './',
    resolve: { alias: { tapedeck: fileURLToPath(new URL('./dist/tapedeck.js', import.meta.url)) } },
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
