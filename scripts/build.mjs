// Builds the package into dist/ (npm run build). Every file a browser loads is listed here, with the thread that
// runs it; ARCHITECTURE.md explains the layout.
//
//   dist/tapedeck.js          main thread, ES module (+ dist/chunks/: tus-js-client and fflate, loaded on demand)
//   dist/tapedeck.iife.js     main thread, the script-tag build (window.Tapedeck)
//   dist/runtime/             what tapedeck loads into the other threads; copy this folder to host them yourself
//     capture-worklet.js      audio thread: one self-contained file
//     encoder-worker.js       encoder worker: one self-contained file (WAV, PCM, OPFS, recovery, plugins)
//     codecs/*.js, *.wasm     encoder worker, on demand: each self-contained (see src/worker/codec-files.ts); vad.js
//                             and fvad.wasm only for a take with the `vad` option, rnnoise.js and rnnoise.wasm
//                             only for one with `denoise`
//   dist/testing*.js          tapedeck/testing (node) and tapedeck/testing/page (browser)
//
// A user's bundler rebuilds tapedeck.js and the worker and copies the rest as they are; it finds them through the
// literal `new URL('./…', import.meta.url)` forms in src/threads/files.ts and src/worker/codec-files.ts. Vite
// would resolve those forms against src/ while building: keepLiteralUrls() hides them from it and puts them back.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { packageOf, writeNotices } from './third-party-notices.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const resolve = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const HIDDEN_URL = '__tapedeck_import_meta_url__';

/** Leaves `new URL('./…', import.meta.url)` in files.ts and codec-files.ts exactly as written, for the user's bundler. */
function keepLiteralUrls() {
  return {
    name: 'tapedeck:keep-literal-urls',
    enforce: 'pre',
    transform(code, id) {
      if (!/threads\/files\.ts$|worker\/codec-files\.ts$/.test(id)) return null;
      return { code: code.replaceAll('import.meta.url', HIDDEN_URL), map: null };
    },
    renderChunk: (code) => ({ code: code.replaceAll(HIDDEN_URL, 'import.meta.url'), map: null }),
  };
}

/** In the script-tag build, files.iife.ts stands in for files.ts. */
function scriptTagFiles() {
  return {
    name: 'tapedeck:script-tag-files',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id.endsWith('/threads/files.ts') ? resolve('src/threads/files.iife.ts') : null;
    },
  };
}

/**
 * Leaves no free `Buffer` in the runtime files: wasm-media-encoders reads a data: URL with Buffer.from() where node
 * has no fetch, a branch no browser takes, but Parcel sees the name and wants a polyfill, which its CI builds (auto
 * install off) cannot get. `globalThis.Buffer` is the same thing to node and nothing to a bundler.
 */
function noFreeBuffer() {
  return {
    name: 'tapedeck:no-free-buffer',
    transform(code, id) {
      if (!id.includes('node_modules') || !/\bBuffer\./.test(code)) return null;
      return { code: code.replace(/(?<![.\w$])Buffer\./g, 'globalThis.Buffer.'), map: null };
    },
  };
}

/**
 * The edits that build the codec files' Emscripten glue for browsers only, per package file. Each edit must match, so
 * an upgrade of a package that moves one fails the build rather than the user's.
 */
const BROWSER_EDITS = {
  // Its node branch reads a free `process` and `await import("module")`, which Parcel wants polyfilled and Vite
  // externalizes; and its default wasm URL makes Vite inline fvad.wasm as a data: URL, which vad.ts never uses (it
  // hands the module compiled bytes through instantiateWasm). With ENVIRONMENT_IS_NODE false the minifier drops the
  // node branch; the URL becomes a bare name.
  '/@echogarden/fvad-wasm/fvad.js': [
    [/var ENVIRONMENT_IS_NODE=[^;]+;/, 'var ENVIRONMENT_IS_NODE=false;'],
    [/new URL\("fvad\.wasm",import\.meta\.url\)\.href/, '"fvad.wasm"'],
    // Dead once the branch is, but Vite resolves imports before dropping it, and warns.
    [/await import\("module"\)/, '{}'],
  ],
  // Built for web and worker only (no node branch, no import.meta, no require; its wasm is a bare "rnnoise.wasm" that
  // no bundler resolves, and rnnoise.ts never fetches it), but it still tests for node through a free `process`, which
  // Parcel wants polyfilled. False, the variable is unused and the minifier drops it.
  '/@jitsi/rnnoise-wasm/dist/rnnoise.js': [[/var ENVIRONMENT_IS_NODE = [^;]+;/, 'var ENVIRONMENT_IS_NODE = false;']],
};

/** Applies BROWSER_EDITS to the files they name. */
function emscriptenForBrowsers() {
  return {
    name: 'tapedeck:emscripten-for-browsers',
    transform(code, id) {
      const file = Object.keys(BROWSER_EDITS).find((suffix) => id.replaceAll('\\', '/').endsWith(suffix));
      if (!file) return null;
      for (const [pattern, replacement] of BROWSER_EDITS[file]) {
        if (!pattern.test(code)) throw new Error(`emscripten-for-browsers: ${pattern} no longer matches ${file}; update scripts/build.mjs`);
        code = code.replace(pattern, replacement);
      }
      return { code, map: null };
    },
  };
}

/** One ES module file from `entry`, with nothing split out of it. */
function selfContained(entry, fileName, { minify = false, sourcemap = false, alias = {} } = {}) {
  return {
    resolve: { alias },
    plugins: [keepLiteralUrls(), noFreeBuffer(), emscriptenForBrowsers()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap,
      lib: { entry: resolve(entry), formats: ['es'], fileName: () => fileName },
      // Vite leaves ES library builds unminified; rolldown minifies the files users copy as they are.
      rollupOptions: { output: { codeSplitting: false, minify } },
    },
  };
}

const mediabunnyShared = { mediabunny: resolve('src/worker/codecs/mediabunny-shared.ts') };

const BUILDS = [
  // Copied by users' bundlers as they are: no source maps (their comments would point at files not copied along).
  selfContained('worklets/capture-processor.ts', 'runtime/capture-worklet.js'),
  selfContained('src/worker/codecs/mp3.ts', 'runtime/codecs/mp3.js', { minify: true }),
  selfContained('src/worker/codecs/lamejs.ts', 'runtime/codecs/lamejs.js', { minify: true }),
  selfContained('src/worker/codecs/media.ts', 'runtime/codecs/media.js', { minify: true }),
  selfContained('src/worker/codecs/aac-wasm.ts', 'runtime/codecs/aac-wasm.js', { minify: true, alias: mediabunnyShared }),
  selfContained('src/worker/codecs/flac-wasm.ts', 'runtime/codecs/flac-wasm.js', { minify: true, alias: mediabunnyShared }),
  selfContained('src/worker/codecs/vad.ts', 'runtime/codecs/vad.js', { minify: true }),
  selfContained('src/worker/codecs/rnnoise.ts', 'runtime/codecs/rnnoise.js', { minify: true }),
  // Rebuilt by users' bundlers (or loaded as it is).
  selfContained('src/worker/entry.ts', 'runtime/encoder-worker.js', { sourcemap: true }),
  {
    plugins: [keepLiteralUrls()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      lib: { entry: resolve('src/index.ts'), formats: ['es'], fileName: () => 'tapedeck.js' },
      rollupOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
  },
  {
    plugins: [scriptTagFiles()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      lib: { entry: resolve('src/index.ts'), formats: ['iife'], name: 'Tapedeck', fileName: () => 'tapedeck.iife.js' },
    },
  },
  // tapedeck/testing: node helpers for Playwright tests (node builtins stay imports).
  {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      lib: { entry: resolve('src/testing/node.ts'), formats: ['es'], fileName: () => 'testing.js' },
      rollupOptions: { external: [/^node:/] },
    },
  },
  // tapedeck/testing/page: in-page helpers, as a module and as a script (window.TapedeckTesting).
  {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      lib: {
        entry: resolve('src/testing/page.ts'),
        formats: ['es', 'iife'],
        name: 'TapedeckTesting',
        fileName: (format) => (format === 'es' ? 'testing-page.js' : 'testing-page.iife.js'),
      },
      rollupOptions: {
        // Playwright runs init scripts inside a function, where a top-level `var` stays local: publish the global.
        output: { footer: (chunk) => (chunk.fileName.endsWith('.iife.js') ? 'globalThis.TapedeckTesting = TapedeckTesting;' : '') },
      },
    },
  },
];

/** Which dist/ files hold each npm package's code (for THIRD-PARTY-NOTICES.md). */
const usage = new Map();
const used = (id, file) => {
  const name = packageOf(id);
  if (name) (usage.get(name) ?? usage.set(name, new Set()).get(name)).add(`dist/${file}`);
};

rmSync(resolve('dist'), { recursive: true, force: true });
for (const config of BUILDS) {
  const outputs = [await build({ root, configFile: false, logLevel: 'warn', ...config })].flat();
  for (const chunk of outputs.flatMap((output) => output.output)) for (const id of chunk.moduleIds ?? []) used(id, chunk.fileName);
}
// LAME in WebAssembly, as the separate file the LGPL asks for (a user can put a rebuilt one in its place).
mkdirSync(resolve('dist/runtime/codecs'), { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('wasm-media-encoders/wasm/mp3'), resolve('dist/runtime/codecs/lame.wasm'));
// WebRTC's voice activity detector (the vad codec file's), fetched by that file and compiled there.
copyFileSync(createRequire(import.meta.url).resolve('@echogarden/fvad-wasm/fvad.wasm'), resolve('dist/runtime/codecs/fvad.wasm'));
// Xiph's RNNoise (the rnnoise codec file's), likewise.
copyFileSync(createRequire(import.meta.url).resolve('@jitsi/rnnoise-wasm/dist/rnnoise.wasm'), resolve('dist/runtime/codecs/rnnoise.wasm'));
writeNotices(root, usage);

const dts = (entry, out) => execFileSync('npx', ['dts-bundle-generator', '--silent', '--no-check', '-o', out, entry], { cwd: root, stdio: 'inherit' });
dts('src/index.ts', 'dist/tapedeck.d.ts');
dts('src/testing/node.ts', 'dist/testing.d.ts');
dts('src/testing/page.ts', 'dist/testing-page.d.ts');
