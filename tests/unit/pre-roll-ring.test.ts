// The capture processor's pre-roll ring, in node: it keeps at least its capacity of the newest input, in order, in
// chunks of a shared pool, and hands back exactly the frames asked for.
import { describe, expect, it } from 'vitest';
import { PreRollRing } from '../../worklets/pre-roll-ring';
import { ringChunks } from '../../worklets/protocol';

const CHUNK = 2048;

/** A pool of `size` stereo chunks, counting what is out. */
function pool(size: number) {
  const free: Float32Array[] = Array.from({ length: size }, () => new Float32Array(2 * CHUNK));
  return { free, take: () => free.pop() ?? null, give: (chunk: Float32Array) => void free.push(chunk) };
}

/** Pushes `total` frames of a ramp (left n, right −n) in 128-frame quanta. */
function pushRamp(ring: PreRollRing, total: number) {
  for (let at = 0; at < total; at += 128) {
    const n = Math.min(128, total - at);
    const left = Float32Array.from({ length: n }, (_, i) => at + i);
    ring.push([left, left.map((v) => -v)], 0, n, 1);
  }
}

function drainAll(ring: PreRollRing, frames: number) {
  const left: number[] = [];
  const right: number[] = [];
  const sent = ring.drain(frames, (chunk, n) => {
    left.push(...chunk.subarray(0, n));
    right.push(...chunk.subarray(CHUNK, CHUNK + n));
  });
  return { sent, left, right };
}

describe('PreRollRing', () => {
  it('keeps at least its capacity of the newest frames, and drains the last N in order, channels apart', () => {
    const capacity = 5000;
    const p = pool(ringChunks(capacity, CHUNK));
    const ring = new PreRollRing(capacity, CHUNK, 2, p);
    pushRamp(ring, 50_000);
    expect(ring.frames).toBeGreaterThanOrEqual(capacity);
    expect(ring.frames).toBeLessThanOrEqual(capacity + CHUNK);
    const { sent, left, right } = drainAll(ring, 4321);
    expect(sent).toBe(4321);
    expect(left).toEqual(Array.from({ length: 4321 }, (_, i) => 50_000 - 4321 + i));
    expect(right).toEqual(left.map((v) => -v || 0));
    expect(ring.frames).toBe(0);
  });

  it('hands over what it has when asked for more; a short pause holds only the pause', () => {
    const p = pool(ringChunks(10_000, CHUNK));
    const ring = new PreRollRing(10_000, CHUNK, 2, p);
    pushRamp(ring, 1000);
    const { sent, left } = drainAll(ring, 3000);
    expect(sent).toBe(1000);
    expect(left).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('gives every chunk back to the pool: after drain (the sent chunks come back from the worker) and after clear', () => {
    const size = ringChunks(5000, CHUNK);
    const p = pool(size);
    const ring = new PreRollRing(5000, CHUNK, 2, p);
    pushRamp(ring, 20_000);
    const sent: Float32Array[] = [];
    ring.drain(3000, (chunk) => sent.push(chunk));
    sent.forEach((chunk) => p.give(chunk));
    expect(p.free.length).toBe(size);
    pushRamp(ring, 9000);
    ring.clear();
    expect(p.free.length).toBe(size);
  });

  it('with a dry pool it keeps the newest frames it can, losing the oldest (one chunk or two)', () => {
    const one = new PreRollRing(8000, CHUNK, 2, pool(1));
    pushRamp(one, 20_000);
    const newest = drainAll(one, 8000);
    expect(newest.left.at(-1)).toBe(19_999);
    expect(newest.left).toEqual(Array.from({ length: newest.sent }, (_, i) => 20_000 - newest.sent + i));
    const p = pool(2);
    const ring = new PreRollRing(8000, CHUNK, 2, p);
    pushRamp(ring, 20_000);
    const { sent, left } = drainAll(ring, 8000);
    expect(sent).toBeGreaterThan(CHUNK);
    expect(left.at(-1)).toBe(19_999);
    expect(left).toEqual(Array.from({ length: sent }, (_, i) => 20_000 - sent + i));
  });
});
