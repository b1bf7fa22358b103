import { describe, expect, it } from 'vitest';
import { alignWithInput, inputNoise } from '../../bench/align';
import { benchInputMono } from '../../bench/input';

const input = benchInputMono(10);
const noise = inputNoise(input);
/** `seconds` of the looped input from `offset`, as a recorder would have captured it. */
const take = (offset: number, seconds: number) => Float32Array.from({ length: seconds * 48000 }, (_, i) => input[(offset + i) % input.length]!);

describe('the compare bench aligns a file with its looped input', () => {
  it('finds nothing lost in a continuous take that wraps the loop', () => {
    const a = alignWithInput(noise, take(123457, 14));
    expect(a.lostMs).toBe(0);
    expect(a.unmatched).toBe(0);
    expect(a.matched).toBe(14);
    expect(a.inputSpanMs).toBe(13000);
  });

  it('measures a dropped 10 ms and a repeated 100 ms, net, to the sample', () => {
    const whole = take(5000, 12);
    // 441 samples dropped at 3 s, 4800 repeated at 7 s.
    const file = new Float32Array(whole.length - 441 + 4800);
    file.set(whole.subarray(0, 144000), 0);
    file.set(whole.subarray(144441, 336000), 144000);
    file.set(whole.subarray(331200, whole.length), 144000 + 336000 - 144441);
    const a = alignWithInput(noise, file);
    expect(a.lostMs).toBeCloseTo(((441 - 4800) / 48000) * 1000, 6);
  });

  it('finds a 10 ms drop in a minute-long take of an input that never loops (the rough search over all of it)', () => {
    const long = benchInputMono(80);
    const at = 48000 * 7 + 12345;
    const file = new Float32Array(60 * 48000);
    file.set(long.subarray(at, at + 30 * 48000), 0);
    file.set(long.subarray(at + 30 * 48000 + 480, at + 60 * 48000 + 480), 30 * 48000);
    const a = alignWithInput(inputNoise(long), file);
    expect([a.lostMs, a.matched, a.unmatched]).toEqual([10, 60, 0]);
  });

  it('does not count silence (a take that hears nothing) as matched', () => {
    const a = alignWithInput(noise, new Float32Array(48000 * 3));
    expect(a.matched).toBe(0);
    expect(a.lostMs).toBe(0);
  });
});
