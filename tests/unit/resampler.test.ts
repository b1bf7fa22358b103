import { describe, expect, it } from 'vitest';
import { Resampler } from '../../src/worker/dsp/resampler';
import { dominantFrequency, rms, sine } from '../support/signal';

function resampleInChunks(input: Float32Array[], inRate: number, outRate: number, chunk: number): Float32Array[] {
  const r = new Resampler(inRate, outRate, input.length);
  const parts: Float32Array[][] = [];
  for (let at = 0; at < input[0]!.length; at += chunk) {
    const n = Math.min(chunk, input[0]!.length - at);
    parts.push(r.process(input.map((ch) => ch.subarray(at, at + n)), n));
  }
  parts.push(r.flush());
  return input.map((_, c) => {
    const total = parts.reduce((sum, p) => sum + p[c]!.length, 0);
    const out = new Float32Array(total);
    let offset = 0;
    for (const p of parts) {
      out.set(p[c]!, offset);
      offset += p[c]!.length;
    }
    return out;
  });
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('Resampler', () => {
  for (const outRate of [16000, 44100, 8000, 96000]) {
    it(`keeps a 440 Hz tone at 440 Hz and its level from 48 kHz to ${outRate} Hz`, () => {
      const input = sine(440, 2, 48000, 0.5);
      const [out] = resampleInChunks([input], 48000, outRate, 2048);
      expect(out!.length).toBe(2 * outRate);
      expect(Math.abs(dominantFrequency(out!, outRate) - 440)).toBeLessThan(0.5);
      // Compare the steady middle (edges see the zero padding before and after the stream).
      const level = rms(out!, outRate * 0.25, outRate * 1.75);
      expect(Math.abs(db(level / rms(input, 12000, 84000)))).toBeLessThan(0.5);
    });
  }

  it('matches the ideal signal sample by sample from 48 kHz to 44.1 kHz', () => {
    const [out] = resampleInChunks([sine(440, 1, 48000)], 48000, 44100, 1000);
    const ideal = sine(440, 1, 44100);
    let worst = 0;
    for (let i = 2000; i < 42000; i++) worst = Math.max(worst, Math.abs(out![i]! - ideal[i]!));
    expect(worst).toBeLessThan(1e-3); // better than −60 dB of a 0.5 sine
  });

  it('removes what the lower rate cannot hold instead of aliasing it', () => {
    // 10 kHz cannot exist at 16 kHz (Nyquist 8 kHz); naive decimation would fold it to 6 kHz.
    const [out] = resampleInChunks([sine(10000, 1, 48000)], 48000, 16000, 512);
    expect(rms(out!, 2000, 14000)).toBeLessThan(0.5 * 0.01); // at least 40 dB down
  });

  it('gives the same samples whatever the chunk sizes', () => {
    const input = sine(1000, 0.5, 44100);
    const [a] = resampleInChunks([input], 44100, 16000, 128);
    const [b] = resampleInChunks([input], 44100, 16000, 7919);
    expect(b!.length).toBe(a!.length);
    for (let i = 0; i < a!.length; i++) expect(b![i]).toBeCloseTo(a![i]!, 6);
  });

  it('yields ceil(frames × out / in) frames in all, for awkward lengths', () => {
    for (const [frames, inRate, outRate] of [
      [1, 44100, 16000],
      [12345, 44100, 48000],
      [44100, 44100, 22050],
      [100001, 48000, 44100],
    ] as const) {
      const [out] = resampleInChunks([new Float32Array(frames)], inRate, outRate, 1000);
      expect(out!.length).toBe(Math.ceil((frames * outRate) / inRate));
    }
  });

  it('keeps channels apart', () => {
    const [left, right] = resampleInChunks([sine(440, 1, 48000), sine(1000, 1, 48000)], 48000, 16000, 2048);
    expect(Math.abs(dominantFrequency(left!, 16000) - 440)).toBeLessThan(0.5);
    expect(Math.abs(dominantFrequency(right!, 16000) - 1000)).toBeLessThan(0.5);
  });

  it('passes samples through unchanged when the rates are equal', () => {
    const input = sine(440, 0.1, 48000);
    const [out] = resampleInChunks([input], 48000, 48000, 333);
    expect(out).toEqual(input);
  });
});
