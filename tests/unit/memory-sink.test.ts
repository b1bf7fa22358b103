import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink, MUXER_KEEP_BACK_BYTES } from '../../src/worker/sinks/memory-sink';

/** A write: appended bytes, or bytes over the stream at a fraction of its length (which may run past its end). */
const write = fc.record({
  length: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 90_000 })),
  over: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  fill: fc.integer({ min: 0, max: 255 }),
});

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
const pattern = (length: number, seed: number) => {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = (seed + k * 7) & 0xff;
  return bytes;
};
/** The first index where `a` and `b` differ (their shorter length when one is a prefix), or -1 if equal. */
const firstDifference = (a: Uint8Array, b: Uint8Array) => {
  if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))) return -1;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('MemorySink', () => {
  it('finishes to exactly the bytes written, every write over earlier bytes laid over in order, whatever it keeps back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, MUXER_KEEP_BACK_BYTES), async (writes, keepBack) => {
        const sink = new MemorySink(true, keepBack);
        let model = new Uint8Array(0);
        for (const [i, { length, over, fill }] of writes.entries()) {
          const bytes = pattern(length, fill + i);
          const position = over === undefined ? model.length : Math.floor(over * model.length);
          sink.write(bytes, position);
          const next = new Uint8Array(Math.max(model.length, position + length));
          next.set(model);
          next.set(bytes, position);
          model = next;
        }
        expect(sink.bytes).toBe(model.length);
        const blob = await sink.finish('audio/wav');
        expect(blob.type).toBe('audio/wav');
        expect(firstDifference(await bytesOf(blob), model)).toBe(-1);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('hands an append-only stream out once, in order, and reads any range of it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(write, fc.boolean()), { minLength: 1, maxLength: 30 }), fc.boolean(), async (steps, keep) => {
        const sink = new MemorySink(keep);
        const model: Uint8Array[] = [];
        const handed: Uint8Array[] = [];
        for (const [i, [{ length, fill }, take]] of steps.entries()) {
          const bytes = pattern(length, fill + i);
          sink.write(bytes);
          model.push(bytes);
          const blob = take ? sink.takeAppended() : null;
          if (blob) handed.push(await bytesOf(blob));
        }
        const last = sink.takeAppended();
        if (last) handed.push(await bytesOf(last));
        expect(sink.takeAppended()).toBeNull();
        const all = concat(model);
        expect(firstDifference(concat(handed), all)).toBe(-1);
        if (keep) {
          const start = Math.floor(all.length / 3);
          expect(firstDifference(await bytesOf(await sink.readRange(start, all.length - 1)), all.subarray(start, all.length - 1))).toBe(-1);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('a long stream stays a few Blobs (merged as it grows), and writes over any of it still land: a minute of WAV', async () => {
    const sink = new MemorySink(true, 0); // WAV writes back over its header only
    const chunk = 8192; // a worklet chunk of 2048 stereo frames as 16-bit PCM
    const chunks = 1300; // ~10.6 MB
    for (let i = 0; i < chunks; i++) sink.write(pattern(chunk, i));
    const header = pattern(44, 99);
    sink.write(header, 0); // the header's final sizes, in the head
    const patch = pattern(5000, 7);
    sink.write(patch, 3 * 1024 * 1024); // over bytes long sealed and merged
    const expected = concat(Array.from({ length: chunks }, (_, i) => pattern(chunk, i)));
    expected.set(header, 0);
    expected.set(patch, 3 * 1024 * 1024);
    // What finish() assembles: the head, these, the pending bytes and the patch. ~325 seals of 32 KiB: 3 levels.
    const levels = (sink as unknown as { levels: Blob[][] }).levels;
    expect(levels).toHaveLength(3);
    expect(levels.every((blobs) => blobs.length < 8)).toBe(true);
    expect(firstDifference(await bytesOf(await sink.finish('audio/wav')), expected)).toBe(-1);
  });
});
