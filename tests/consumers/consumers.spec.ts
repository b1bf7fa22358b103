/**
 * tapedeck as users get it: `npm pack`, then for each bundler (and none) a fresh app in a temp folder, its package.json
 * written here and its dependencies from the registry, built and served, and a take of each encoder from the fake
 * microphone, decoded by ffmpeg and checked for length and tone. Run with `npm run test:consumers` (after a build).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { decodeWithFfmpeg } from '../support/ffmpeg-decode';
import { startStaticServer } from '../support/static-server.mjs';
import { APPS, type ConsumerApp } from './apps';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const APP_SOURCE = fileURLToPath(new URL('./app/', import.meta.url));
const WORK = join(tmpdir(), 'tapedeck-consumers');
/** Every take is this long, on the audio clock (maxDurationMs). */
const TAKE_MS = 1500;
/** The fake microphone's tone (tests/support/fake-microphone.ts). */
const TONE_HZ = 440;

/** How far the decoded length may be from TAKE_MS, per format: PCM, FLAC and gapless MP3 are exact; Opus and AAC carry codec delay. */
const ENCODERS: Array<{ encoder: string; codec: string; toleranceMs: number }> = [
  { encoder: 'wav', codec: 'pcm_s16le', toleranceMs: 1 },
  { encoder: 'mp3', codec: 'mp3', toleranceMs: 1 },
  { encoder: 'opus', codec: 'opus', toleranceMs: 25 },
  { encoder: 'flac', codec: 'flac', toleranceMs: 1 },
  // AAC's priming (1024 samples or more) is not trimmed in MP4: ffmpeg decodes it.
  { encoder: 'aac', codec: 'aac', toleranceMs: 50 },
];

let tarball = '';
const results: Array<{ app: string; encoder: string; decodedMs: number; frequency: number; rms: number; bytes: number }> = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  mkdirSync(WORK, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', WORK], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
  // Named by its content: npm would otherwise reinstall an earlier tarball of the same name from its cache.
  const hash = createHash('sha256').update(readFileSync(join(WORK, name))).digest('hex').slice(0, 12);
  tarball = join(WORK, `tapedeck-${hash}.tgz`);
  renameSync(join(WORK, name), tarball);
});

test.afterAll(() => {
  if (results.length === 0) return;
  console.log('\nconsumer takes (decoded by ffmpeg):');
  for (const r of results) console.log(`  ${r.app.padEnd(16)} ${r.encoder.padEnd(5)} ${r.decodedMs.toFixed(1).padStart(7)} ms  ${r.frequency.toFixed(1)} Hz  rms ${r.rms.toFixed(3)}  ${r.bytes} B`);
});

test('npm pack, the tarball holds the licences, the runtime folder and every codec file', () => {
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const file of ['LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'dist/tapedeck.js', 'dist/tapedeck.iife.js', 'dist/tapedeck.d.ts', 'dist/runtime/capture-worklet.js', 'dist/runtime/encoder-worker.js']) {
    expect(listing, file).toContain(`package/${file}`);
  }
  for (const codec of ['mp3.js', 'lame.wasm', 'lamejs.js', 'media.js', 'aac-wasm.js', 'flac-wasm.js', 'vad.js', 'fvad.wasm', 'rnnoise.js', 'rnnoise.wasm']) {
    expect(listing).toContain(`package/dist/runtime/codecs/${codec}`);
  }
  // LAME ships as a file of its own (LGPL: replaceable), not as base64 inside JavaScript; so do WebRTC's VAD and RNNoise.
  expect(listing.filter((f) => f.endsWith('.wasm')).sort()).toEqual(['fvad.wasm', 'lame.wasm', 'rnnoise.wasm'].map((f) => `package/dist/runtime/codecs/${f}`));
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes the app's folder and installs its dependencies (tapedeck from the tarball, the rest from the registry). */
function setUpApp(app: ConsumerApp, cdn: string): string {
  const dir = join(WORK, app.name);
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'node_modules', 'tapedeck'), { recursive: true, force: true });
  rmSync(join(dir, 'package-lock.json'), { force: true });
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const pkg = { name: `consumer-${app.name}`, private: true, type: 'module', dependencies: { tapedeck: `file:${tarball}`, ...app.dependencies } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const file of readdirSync(APP_SOURCE)) copyFileSync(join(APP_SOURCE, file), join(dir, file));
  for (const [path, content] of Object.entries(app.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content.replaceAll('{{cdn}}', cdn));
  }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  for (const [command, ...args] of app.build) execFileSync(command!, args, { cwd: dir, stdio: 'inherit' });
  // The page is written after the build, for bundlers that do not handle HTML (their dist/ is theirs).
  for (const [path, content] of Object.entries(app.files)) if (path.startsWith('dist/')) writeFileSync(join(dir, path), content.replaceAll('{{cdn}}', cdn));
  return dir;
}

/**
 * Ends a dev server and what it started: `npx vite` is npm, which runs vite as its child, so the whole process
 * group goes (killing npm alone left vite serving after the run).
 */
function stopDevServer(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/** Starts a dev server (in its own process group) and resolves with its origin once it answers. */
async function startDevServer(command: string[], dir: string): Promise<{ origin: string; process: ChildProcess }> {
  const port = await freePort();
  const [program, ...args] = command.map((part) => part.replace('{{port}}', String(port)));
  const child = spawn(program!, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) {
      stopDevServer(child);
      throw new Error(`the dev server exited: ${output}`);
    }
    if (await fetch(origin).then((r) => r.ok, () => false)) return { origin, process: child };
    await new Promise((r) => setTimeout(r, 100));
  }
  stopDevServer(child);
  throw new Error(`the dev server did not answer within 30 s: ${output}`);
}

async function recordEveryEncoder(page: Page, app: ConsumerApp, origin: string, dir: string): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(origin + app.page);
  await page.waitForFunction(() => (window as unknown as { appReady?: boolean }).appReady === true, null, { timeout: 30_000 });
  for (const { encoder, codec, toleranceMs } of ENCODERS) {
    const take = await page.evaluate(
      ([encoder, ms]) => (window as unknown as { recordTake(e: string, ms: number): Promise<Record<string, unknown>> }).recordTake(encoder as string, ms as number),
      [encoder, TAKE_MS] as const,
    );
    expect(take, `${app.name} ${encoder}: ${String(take.message)} ${problems.join('; ')}`).toMatchObject({ ok: true, errors: [] });
    expect(take.durationMs, `${encoder}: the Recording's own length`).toBeCloseTo(TAKE_MS, 0);
    const bytes = Buffer.from(take.bytes as string, 'base64');
    const decoded = decodeWithFfmpeg(bytes, take.mimeType as string);
    results.push({ app: app.name, encoder, decodedMs: decoded.decodedMs, frequency: decoded.frequency, rms: decoded.rms, bytes: bytes.length });
    expect(decoded.codec, encoder).toBe(codec);
    expect(decoded.decodeErrors, encoder).toBe('');
    expect(Math.abs(decoded.decodedMs - TAKE_MS), `${encoder} decoded to ${decoded.decodedMs} ms`).toBeLessThanOrEqual(toleranceMs);
    expect(Math.abs(decoded.frequency - TONE_HZ), `${encoder} tone`).toBeLessThan(5);
    expect(decoded.rms, `${encoder} level (a 0.5 sine has rms 0.354)`).toBeGreaterThan(0.25);
  }
  // A take with voice activity and noise suppression: the bundler must have carried vad.js, fvad.wasm, rnnoise.js and
  // rnnoise.wasm along (under any name: webpack hashes them), and the worker loads them. Known by content: the glue's
  // exports by name, the wasm byte for byte.
  const codecs = join(dir, 'node_modules', 'tapedeck', 'dist', 'runtime', 'codecs');
  const [fvadWasm, rnnoiseWasm] = [readFileSync(join(codecs, 'fvad.wasm')), readFileSync(join(codecs, 'rnnoise.wasm'))];
  const bodies: Array<Promise<Buffer>> = [];
  page.on('response', (response) => {
    if (response.ok()) bodies.push(response.body().catch(() => Buffer.alloc(0)));
  });
  const vadTake = await page.evaluate(
    (ms) => (window as unknown as { recordTake(e: string, ms: number, o: object): Promise<Record<string, unknown>> }).recordTake('wav', ms, { vad: true, denoise: 'rnnoise' }),
    TAKE_MS,
  );
  expect(vadTake, `${app.name} vad: ${String(vadTake.message)}`).toMatchObject({ ok: true, errors: [] });
  expect(Array.isArray(vadTake.speechSegments), 'Recording.speechSegments').toBe(true);
  expect(decodeWithFfmpeg(Buffer.from(vadTake.bytes as string, 'base64'), vadTake.mimeType as string).decodedMs, 'the vad take').toBeCloseTo(TAKE_MS, 0);
  const fetched = await Promise.all(bodies);
  expect(fetched.some((body) => body.includes('_fvad_process')), 'vad.js fetched by the vad take').toBe(true);
  expect(fetched.some((body) => body.equals(fvadWasm)), 'fvad.wasm fetched by the vad take').toBe(true);
  expect(fetched.some((body) => body.includes('_rnnoise_process_frame')), 'rnnoise.js fetched by the denoise take').toBe(true);
  expect(fetched.some((body) => body.equals(rnnoiseWasm)), 'rnnoise.wasm fetched by the denoise take').toBe(true);
  expect(problems).toEqual([]);
}

for (const app of APPS) {
  test(`consumer ${app.name}: WAV, MP3, Opus, FLAC and AAC takes decode to ${TAKE_MS} ms of the ${TONE_HZ} Hz tone; a vad and denoise take loads their files`, async ({ page }) => {
    test.setTimeout(300_000);
    const cdnPort = app.cdn ? await freePort() : 0;
    const cdnOrigin = `http://127.0.0.1:${cdnPort}`;
    const dir = setUpApp(app, cdnOrigin);
    const stops: Array<() => void> = [];
    try {
      if (app.cdn) {
        const { server } = await startStaticServer({ root: join(dir, 'node_modules', 'tapedeck'), port: cdnPort, cors: true });
        stops.push(() => server.close());
      }
      let origin: string;
      if ('folder' in app.serve) {
        const served = await startStaticServer({ root: join(dir, app.serve.folder) });
        stops.push(() => served.server.close());
        origin = served.origin;
      } else {
        const dev = await startDevServer(app.serve.devServer, dir);
        stops.push(() => stopDevServer(dev.process));
        origin = dev.origin;
      }
      await recordEveryEncoder(page, app, origin, dir);
    } finally {
      for (const stop of stops) stop();
    }
  });
}
