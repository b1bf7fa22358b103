// The tap's worker side in node: captured frames in, chunks of resampled PCM out, as the main thread receives them.
import { describe, expect, it } from 'vitest';
import { PcmTap } from '../../src/worker/pcm-tap';
import type { TapConfig } from '../../src/worker/protocol';
import { resolveOptions } from '../../src/recorder/options';
import { TapStream } from '../../src/take/tap-stream';

/** Feeds `seconds` of `signal(t)` (per channel) at `rate` through a tap in worklet-sized chunks; returns its chunks. */
function run(config: TapConfig, rate: number, channels: number, seconds: number, signal: (t: number, channel: number) => number) {
  const chunks: { data: ArrayBuffer; frames: number }[] = [];
  const tap = new PcmTap(config, rate, channels, (data, frames) => chunks.push({ data, frames }));
  const total = Math.round(rate * seconds);
  for (let at = 0; at < total; at += 2048) {
    const frames = Math.min(2048, total - at);
    const planar = Array.from({ length: channels }, (_, c) => Float32Array.from({ length: frames }, (_, i) => signal((at + i) / rate, c)));
    tap.push(planar, frames);
  }
  tap.flush();
  return chunks;
}

const rms = (x: ArrayLike<number>, from = 0, to = x.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! ** 2;
  return Math.sqrt(sum / (to - from));
};
const joined = (chunks: { data: ArrayBuffer }[]) => Float32Array.from(chunks.flatMap((c) => [...new Float32Array(c.data)]));
const MONO_16K: TapConfig = { sampleRate: 16000, channels: 1, format: 'f32', chunkFrames: 1600 };

describe('the tap (options.tap) in the worker', () => {
  it('a 9 kHz tone in a 48 kHz input is more than 60 dB down at 16 kHz (no aliasing); a 1 kHz one passes at its level', () => {
    const alias = joined(run(MONO_16K, 48000, 1, 2, (t) => 0.5 * Math.sin(2 * Math.PI * 9000 * t)));
    const tone = joined(run(MONO_16K, 48000, 1, 2, (t) => 0.5 * Math.sin(2 * Math.PI * 1000 * t)));
    // Away from the edges (the resampler's kernel sees silence past them).
    const [from, to] = [1600, alias.length - 1600];
    expect(20 * Math.log10(rms(alias, from, to) / rms(tone, from, to))).toBeLessThan(-60);
    expect(rms(tone, from, to)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('gives exactly the frames of the take at its rate, in chunks of chunkFrames (the last one shorter)', () => {
    const chunks = run(MONO_16K, 44100, 2, 10.33, () => 0.1);
    const frames = chunks.reduce((sum, c) => sum + c.frames, 0);
    expect(frames).toBe(Math.ceil((Math.round(44100 * 10.33) * 16000) / 44100));
    expect(chunks.slice(0, -1).every((c) => c.frames === 1600 && c.data.byteLength === 1600 * 4)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.frames).toBe(frames - 1600 * (chunks.length - 1));
    expect(last.frames).toBeLessThan(1600);
    expect(last.data.byteLength).toBe(last.frames * 4);
  });

  it('mixes stereo to mono as the channels\' mean, and writes s16 as 16-bit integers', () => {
    const chunks = run({ ...MONO_16K, format: 's16' }, 16000, 2, 0.5, (_, c) => (c === 0 ? 0.5 : -0.25));
    const samples = new Int16Array(chunks[0]!.data);
    expect(samples.length).toBe(1600);
    expect(samples[800]).toBe(Math.round(0.125 * 32767));
  });

  it('keeps both channels when asked for stereo, interleaved', () => {
    const chunks = run({ ...MONO_16K, channels: 2 }, 16000, 2, 0.2, (_, c) => (c === 0 ? 0.5 : -0.25));
    const samples = new Float32Array(chunks[0]!.data);
    expect([samples[200], samples[201]]).toEqual([0.5, -0.25]);
  });

  it('writes a mono input to both sides of a stereo tap, resampled', () => {
    const chunks = run({ ...MONO_16K, channels: 2 }, 48000, 1, 0.5, (t) => 0.5 * Math.sin(2 * Math.PI * 1000 * t));
    const samples = new Float32Array(chunks[0]!.data);
    expect(samples.length).toBe(1600 * 2);
    for (let i = 0; i < 1600; i++) expect(samples[2 * i + 1]).toBe(samples[2 * i]);
    expect(rms(samples, 800, 3200)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });
});

describe('the tap option', () => {
  it('fills in 16 kHz mono f32 in 100 ms chunks, and refuses what it cannot do with a message naming the field', () => {
    expect(resolveOptions({ tap: {} }).tap).toEqual({ sampleRate: 16000, channels: 1, format: 'f32', chunkMs: 100 });
    expect(resolveOptions({ tap: { format: 's16', sampleRate: 8000 } }).tap).toEqual({ sampleRate: 8000, channels: 1, format: 's16', chunkMs: 100 });
    expect(resolveOptions({}).tap).toBeUndefined();
    expect(() => resolveOptions({ tap: { sampleRate: 96000 } })).toThrow(/options\.tap\.sampleRate, when provided, must be an integer between 8000 and 48000/);
    expect(() => resolveOptions({ tap: { rate: 16000 } })).toThrow(/options\.tap\.rate is not a tap option/);
  });
});

describe('the tap stream on the main thread', () => {
  it('queues for a slow reader up to 60 s of audio, then drops and says so once; closes after the last chunk it kept', async () => {
    const warnings: string[] = [];
    const tap = new TapStream({ sampleRate: 16000, channels: 1, format: 's16', chunkMs: 1000 }, (m) => warnings.push(m));
    for (let i = 0; i < 65; i++) tap.push(new Int16Array(16000).fill(i).buffer, 16000);
    tap.close();
    const seen: number[] = [];
    for await (const chunk of tap.stream as unknown as AsyncIterable<Int16Array>) seen.push(chunk[0]!);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/60 s of audio that nobody read/);
  });

  it('says how much was dropped once the reader catches up, and errors (not closes) for a take that did not finish', async () => {
    const warnings: string[] = [];
    const tap = new TapStream({ sampleRate: 16000, channels: 1, format: 'f32', chunkMs: 1000 }, (m) => warnings.push(m));
    for (let i = 0; i < 62; i++) tap.push(new Float32Array(16000).buffer, 16000);
    const reader = tap.stream.getReader();
    for (let i = 0; i < 60; i++) await reader.read();
    tap.push(new Float32Array(16000).buffer, 16000);
    expect(warnings[1]).toMatch(/read again; 2000 ms of its audio were dropped/);
    await reader.read();
    tap.error(new Error('cancelled'));
    await expect(reader.read()).rejects.toThrow('cancelled');
  });
});
