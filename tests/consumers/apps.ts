/**
 * The apps the consumer tests build: what a new user writes to use tapedeck with each bundler (or none), with the
 * bundler versions pinned. Each gets tests/consumers/app/ (main.js, record-take.js) and the files below, and
 * `tapedeck` from the packed tarball.
 */

/** One consumer app. */
export interface ConsumerApp {
  /** Test name and folder name. */
  name: string;
  /** npm packages the app installs besides tapedeck, pinned. */
  dependencies: Record<string, string>;
  /** Files written into the app (path → content); `{{cdn}}` is replaced by the CDN origin. */
  files: Record<string, string>;
  /** Commands that build the app, run in its folder. */
  build: string[][];
  /** What is served: a built folder, or a dev server (its command; `{{port}}` is its port). */
  serve: { folder: string } | { devServer: string[] };
  /** The page that records. */
  page: string;
  /** Serve the installed package from a second origin (a CDN) for the page to load tapedeck from. */
  cdn?: boolean;
}

const VITE_8 = { vite: '8.3.8' };
const VITE_5 = { vite: '5.4.9' };

const bundledPage = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title></head><body><script type="module" src="${script}"></script></body></html>\n`;

const inlineModulePage = (head: string, module: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title>${head}</head><body><script type="module">${module}</script></body></html>\n`;

/** The one line the README asks of bundlers that do not copy `new URL(…, import.meta.url)` files: copy the runtime folder. */
const COPY_RUNTIME = ['cp', '-R', 'node_modules/tapedeck/dist/runtime', 'dist/'];

export const APPS: ConsumerApp[] = [
  {
    name: 'vite-8-build',
    dependencies: VITE_8,
    files: { 'index.html': bundledPage('./main.js') },
    build: [['npx', 'vite', 'build']],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    name: 'vite-8-dev',
    dependencies: VITE_8,
    files: { 'index.html': bundledPage('./main.js') },
    build: [],
    serve: { devServer: ['npx', 'vite', '--port', '{{port}}', '--strictPort', '--host', '127.0.0.1'] },
    page: '/',
  },
  {
    name: 'vite-5-build',
    dependencies: VITE_5,
    files: { 'index.html': bundledPage('./main.js') },
    build: [['npx', 'vite', 'build']],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    // Vite 5's dev server pre-bundles dependencies with esbuild into node_modules/.vite/deps/, without the files
    // they name: the README's one line for it keeps tapedeck out of pre-bundling (vitejs/vite#8427). Vite 8's does not
    // need it.
    name: 'vite-5-dev',
    dependencies: VITE_5,
    files: {
      'index.html': bundledPage('./main.js'),
      'vite.config.js': "export default { optimizeDeps: { exclude: ['tapedeck'] } };\n",
    },
    build: [],
    serve: { devServer: ['npx', 'vite', '--port', '{{port}}', '--strictPort', '--host', '127.0.0.1'] },
    page: '/',
  },
  {
    name: 'webpack-5',
    dependencies: { webpack: '5.113.0' },
    files: {
      'build.mjs': [
        "import webpack from 'webpack';",
        "import { fileURLToPath } from 'node:url';",
        "const config = { mode: 'production', entry: './main.js', output: { path: fileURLToPath(new URL('./dist', import.meta.url)), filename: 'main.js' } };",
        'webpack(config, (error, stats) => {',
        "  if (error || stats.hasErrors()) { console.error(error ?? stats.toString('errors-only')); process.exit(1); }",
        '});',
        '',
      ].join('\n'),
      'dist/index.html': bundledPage('./main.js'),
    },
    build: [['node', 'build.mjs']],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    name: 'rollup-4',
    dependencies: { rollup: '4.68.8', '@rollup/plugin-node-resolve': '16.0.3' },
    files: {
      'rollup.config.mjs': [
        "import { nodeResolve } from '@rollup/plugin-node-resolve';",
        "export default { input: 'main.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve({ browser: true })] };",
        '',
      ].join('\n'),
      'dist/index.html': bundledPage('./main.js'),
    },
    build: [['npx', 'rollup', '-c'], COPY_RUNTIME],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    name: 'esbuild',
    dependencies: { esbuild: '0.28.2' },
    files: { 'dist/index.html': bundledPage('./main.js') },
    build: [['npx', 'esbuild', 'main.js', '--bundle', '--format=esm', '--outdir=dist'], COPY_RUNTIME],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    name: 'parcel-2',
    dependencies: { parcel: '2.16.4' },
    files: { 'index.html': bundledPage('./main.js') },
    // Auto install off, as in a user's CI (CI=true turns it off): a Node polyfill Parcel wants would fail the build.
    build: [['npx', 'parcel', 'build', 'index.html', '--dist-dir', 'dist', '--no-cache', '--no-source-maps', '--no-autoinstall']],
    serve: { folder: 'dist' },
    page: '/',
  },
  {
    // No bundler: a static folder that imports the package's ES module build as it is.
    name: 'no-bundler-esm',
    dependencies: {},
    files: {
      'index.html': inlineModulePage(
        '',
        "import { AudioRecorder } from './node_modules/tapedeck/dist/tapedeck.js'; import { installRecordTake } from './record-take.js'; installRecordTake(AudioRecorder);",
      ),
    },
    build: [],
    serve: { folder: '.' },
    page: '/',
  },
  {
    // The ES module build from a CDN (another origin): the worker starts through a same-origin bootstrap.
    name: 'cdn-esm',
    dependencies: {},
    files: {
      'index.html': inlineModulePage(
        '',
        "import { AudioRecorder } from '{{cdn}}/dist/tapedeck.js'; import { installRecordTake } from './record-take.js'; installRecordTake(AudioRecorder);",
      ),
    },
    build: [],
    serve: { folder: '.' },
    page: '/',
    cdn: true,
  },
  {
    // The script-tag build from a CDN: window.Tapedeck, its files found beside its <script src>.
    name: 'cdn-iife',
    dependencies: {},
    files: {
      'index.html': inlineModulePage(
        '<script src="{{cdn}}/dist/tapedeck.iife.js"></script>',
        "import { installRecordTake } from './record-take.js'; installRecordTake(window.Tapedeck.AudioRecorder);",
      ),
    },
    build: [],
    serve: { folder: '.' },
    page: '/',
    cdn: true,
  },
];
