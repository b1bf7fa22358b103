// The encoder worker's optional speech stages in node: CPU ms per second of audio, fed in 2048-frame chunks as the
// worker is fed. Noise suppression is RNNoise with the resampling around it (none at 48 kHz); auto gain is plain TS;
// the voice activity is WebRTC's detector behind a resampler to 16 kHz; the tap resamples to 16 kHz mono. None of
// them runs on the audio thread (the pre-roll ring there only copies each paused quantum). Also: how long the noise
// suppression holds frames back, and what each stage's files weigh (gzip) as they ship in dist/.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { AutoGain } from '../src/worker/auto-gain';
import { publishedCodec } from '../src/worker/codecs/publish';
import '../src/worker/codecs/rnnoise';
import '../src/worker/codecs/vad';
import { Denoiser } from '../src/worker/denoiser';
import { PcmTap } from '../src/worker/pcm-tap';
import { VoiceActivity } from '../src/worker/voice-activity';

const CHUNK = 2048;

/** One stage, fresh for each run: takes planar chunks. */
type Stage = (planar: Float32Array[], frames: number) => void;

/** A 220 Hz tone with white noise, planar, `seconds` long at `sampleRate` (the cost does not depend on the content). */
function input(seconds: number, sampleRate: number, channels: number): Float32Array[] {
  let seed = 1;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: channels }, () => Float32Array.from({ length: seconds * sampleRate }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 220 * i) / sampleRate) + 0.02 * noise()));
}

/** CPU ms per second of `planar` through `stage`, after a warm-up run (the JIT's first compile is not the cost). */
async function cost(open: () => Promise<Stage>, planar: Float32Array[], sampleRate: number): Promise<number> {
  const run = async (frames: number) => {
    const stage = await open();
    const started = performance.now();
    for (let at = 0; at < frames; at += CHUNK) {
      const n = Math.min(CHUNK, frames - at);
      stage(planar.map((channel) => channel.subarray(at, at + n)), n);
    }
    return performance.now() - started;
  };
  await run(Math.min(planar[0]!.length, 2 * sampleRate));
  return (await run(planar[0]!.length)) / (planar[0]!.length / sampleRate);
}

/** Prints markdown tables: what each stage costs over `seconds` of audio, the denoiser's hold-back, the files' weight. */
export async function benchDsp(seconds: number): Promise<string[]> {
  const resolve = (id: string) => createRequire(import.meta.url).resolve(id);
  const rnnoiseWasm = new Uint8Array(readFileSync(resolve('@jitsi/rnnoise-wasm/dist/rnnoise.wasm')));
  const fvadWasm = new Uint8Array(readFileSync(resolve('@echogarden/fvad-wasm/fvad.wasm')));
  const openDenoiser = async (sampleRate: number, channels: number) => new Denoiser(sampleRate, await publishedCodec('rnnoise').openDenoiser(rnnoiseWasm, channels));
  const openVad = async (sampleRate: number) =>
    new VoiceActivity({ aggressiveness: 3, autoStopAfterMs: 0, startOnSpeech: false }, sampleRate, await publishedCodec('vad').openClassifier(fvadWasm, 3), () => undefined, () => undefined);
  const openTap = (sampleRate: number, channels: number) => new PcmTap({ sampleRate: 16_000, channels: 1, format: 's16', chunkFrames: 1600 }, sampleRate, channels, () => undefined);
  const rows = [`| stage (encoder worker) | input | CPU per second of audio | share of one core | × real time |`, '|---|---|---|---|---|'];
  for (const [sampleRate, channels] of [[48_000, 1], [44_100, 1], [44_100, 2]] as const) {
    const planar = input(seconds, sampleRate, channels);
    const stages: [string, () => Promise<Stage>][] = [
      ['noise suppression (RNNoise)', async () => {
        const denoiser = await openDenoiser(sampleRate, channels);
        return (chunk, frames) => void denoiser.process(chunk, frames);
      }],
      ['auto gain', async () => {
        const autoGain = new AutoGain(sampleRate);
        return (chunk, frames) => autoGain.process(chunk, frames);
      }],
      ['voice activity (fvad)', async () => {
        const vad = await openVad(sampleRate);
        return (chunk, frames) => vad.push(chunk, frames);
      }],
      ['tap (16 kHz mono s16)', async () => {
        const tap = openTap(sampleRate, channels);
        return (chunk, frames) => tap.push(chunk, frames);
      }],
      ['all four, as a take runs them', async () => {
        const [denoiser, autoGain, vad, tap] = [await openDenoiser(sampleRate, channels), new AutoGain(sampleRate), await openVad(sampleRate), openTap(sampleRate, channels)];
        return (chunk, frames) => {
          const clean = denoiser.process(chunk, frames);
          const n = clean[0]!.length;
          autoGain.process(clean, n);
          vad.push(clean, n);
          tap.push(clean, n);
        };
      }],
    ];
    for (const [name, open] of stages) {
      // Auto gain works in place: a copy keeps the input as it is for what comes after.
      const ms = await cost(open, name === 'auto gain' ? planar.map((c) => c.slice()) : planar, sampleRate);
      rows.push(`| ${name} | ${sampleRate / 1000} kHz ${channels === 1 ? 'mono' : 'stereo'} | ${ms.toFixed(2)} ms | ${(ms / 10).toFixed(2)} % | ${(1000 / ms).toFixed(0)}× |`);
      console.error(rows.at(-1));
    }
  }
  rows.push('', '| noise suppression holds back | input | frames in − frames out, in steady state |', '|---|---|---|');
  for (const sampleRate of [48_000, 44_100]) {
    const denoiser = await openDenoiser(sampleRate, 1);
    const planar = input(2, sampleRate, 1);
    let [fed, out] = [0, 0];
    for (let at = 0; at + CHUNK <= planar[0]!.length; at += CHUNK) {
      out += denoiser.process([planar[0]!.subarray(at, at + CHUNK)], CHUNK)[0]!.length;
      fed += CHUNK;
    }
    rows.push(`| RNNoise's frame and delay, the resamplers' kernels (the file is not shifted: flush gives the rest) | ${sampleRate / 1000} kHz | ${(((fed - out) / sampleRate) * 1000).toFixed(1)} ms (${fed - out} frames; a chunk is ${CHUNK}) |`);
  }
  const files = ['vad.js', 'fvad.wasm', 'rnnoise.js', 'rnnoise.wasm'].map((name) => `dist/runtime/codecs/${name}`);
  if (files.every((file) => existsSync(file))) {
    rows.push('', '| file (loaded only by a take that asks for it) | bytes | gzip |', '|---|---|---|');
    for (const file of files) {
      const bytes = readFileSync(file);
      rows.push(`| ${file} | ${(bytes.length / 1024).toFixed(1)} KB | ${(gzipSync(bytes).length / 1024).toFixed(1)} KB |`);
    }
    rows.push('| the tap, the pre-roll, the auto gain | in encoder-worker.js and capture-worklet.js, which every take loads | — |');
  }
  return rows;
}
