// The encoder worker's optional DSP stages in node: CPU ms per second of audio, fed in 2048-frame chunks as the
// worker is fed. Noise suppression is RNNoise with the resampling around it (none at 48 kHz); auto gain is plain TS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AutoGain } from '../src/worker/auto-gain';
import { publishedCodec } from '../src/worker/codecs/publish';
import '../src/worker/codecs/rnnoise';
import { Denoiser } from '../src/worker/denoiser';

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

/** Prints a markdown table of what each stage costs over `seconds` of audio. */
export async function benchDsp(seconds: number): Promise<string[]> {
  const wasm = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@jitsi/rnnoise-wasm/dist/rnnoise.wasm')));
  const rows = [`| stage | input | CPU per second of audio | × real time |`, '|---|---|---|---|'];
  for (const [sampleRate, channels] of [[48_000, 1], [44_100, 1], [44_100, 2]] as const) {
    const planar = input(seconds, sampleRate, channels);
    const stages: [string, () => Promise<Stage>][] = [
      ['noise suppression (RNNoise)', async () => {
        const denoiser = new Denoiser(sampleRate, await publishedCodec('rnnoise').openDenoiser(wasm, channels));
        return (chunk, frames) => void denoiser.process(chunk, frames);
      }],
      ['auto gain', async () => {
        const autoGain = new AutoGain(sampleRate);
        return (chunk, frames) => autoGain.process(chunk, frames);
      }],
    ];
    for (const [name, open] of stages) {
      // Auto gain works in place: a copy keeps the input as it is for what comes after.
      const ms = await cost(open, name === 'auto gain' ? planar.map((c) => c.slice()) : planar, sampleRate);
      rows.push(`| ${name} | ${sampleRate / 1000} kHz ${channels === 1 ? 'mono' : 'stereo'} | ${ms.toFixed(2)} ms | ${(1000 / ms).toFixed(0)}× |`);
      console.error(rows.at(-1));
    }
  }
  return rows;
}
