import { describe, expect, it } from 'vitest';
import { createPcm16Encoder } from '../../src/worker/encoders/pcm16';
import { createWavEncoder } from '../../src/worker/encoders/wav';
import { MemorySink } from '../../src/worker/sinks/memory-sink';
import { parseWav } from '../support/wav-file';
import { sine } from '../support/signal';

const config = (sampleRate: number, channels: number) => ({ sampleRate, channels, bitRate: 0, container: '' });

function encodeInChunks(encoder: ReturnType<typeof createWavEncoder>, planar: Float32Array[], chunk: number): void {
  for (let at = 0; at < planar[0]!.length; at += chunk) {
    const n = Math.min(chunk, planar[0]!.length - at);
    void encoder.encode(planar.map((c) => c.subarray(at, at + n)), n);
  }
  void encoder.finish();
}

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('wav encoder with the memory sink', () => {
  it('streams a header that says "to the end", and finishes with the real sizes', async () => {
    const planar = [sine(440, 1.5, 16000, 0.5), sine(880, 1.5, 16000, 0.25)];
    const sink = new MemorySink();
    const encoder = createWavEncoder(config(16000, 2), sink);
    void encoder.encode(planar.map((c) => c.subarray(0, 100)), 100);
    const streamed = await bytesOf(sink.takeAppended()!);
    expect(new DataView(streamed.buffer).getUint32(4, true)).toBe(0xffffffff);

    encodeInChunks(encoder, planar.map((c) => c.subarray(100)), 777);
    const wav = parseWav(await bytesOf(await sink.finish('audio/wav')));
    expect(wav).toMatchObject({ channels: 2, sampleRate: 16000, bitsPerSample: 16, dataSize: 24000 * 4, riffSize: 36 + 24000 * 4 });
    expect(wav.samples[0]!.length).toBe(24000);
    for (const [c, source] of planar.entries()) {
      for (let i = 0; i < source.length; i += 97) expect(wav.samples[c]![i]).toBeCloseTo(source[i]!, 4);
    }
  });

  it('writes a valid empty WAV when no frame arrives', async () => {
    const sink = new MemorySink();
    encodeInChunks(createWavEncoder(config(44100, 1), sink), [new Float32Array(0)], 128);
    const wav = parseWav(await bytesOf(await sink.finish('audio/wav')));
    expect(wav.dataSize).toBe(0);
    expect(wav.samples[0]!.length).toBe(0);
  });

  it('data chunks taken along the way concatenate to the streamed file', async () => {
    const sink = new MemorySink();
    const encoder = createWavEncoder(config(8000, 1), sink);
    const source = sine(300, 2, 8000);
    const taken: Blob[] = [];
    for (let at = 0; at < source.length; at += 1000) {
      void encoder.encode([source.subarray(at, at + 1000)], 1000);
      taken.push(sink.takeAppended()!);
    }
    void encoder.finish();
    const final = await bytesOf(await sink.finish('audio/wav'));
    const joined = await bytesOf(new Blob(taken));
    expect(joined.length).toBe(final.length);
    expect(Buffer.from(joined.subarray(44)).equals(Buffer.from(final.subarray(44)))).toBe(true);
    expect(parseWav(joined).samples[0]!.length).toBe(16000); // the streaming header reads "to the end"
  });
});

describe('memory sink', () => {
  it('lays writes over earlier bytes on the finished file, in order, across sealed parts', async () => {
    const sink = new MemorySink();
    const big = new Uint8Array(400_000).fill(1); // more than a seal's worth: most of it moves into a Blob
    sink.write(new Uint8Array([9, 9, 9, 9]));
    sink.write(big);
    expect((sink as unknown as { levels: Blob[][] }).levels.flat().length).toBeGreaterThan(0);
    sink.write(new Uint8Array([7, 7]), 1); // in the head, in place
    sink.write(new Uint8Array([5, 5, 5]), 99_999); // inside the sealed part: a patch
    sink.write(new Uint8Array([6, 6, 6]), 399_000); // in the pending tail, in place
    sink.write(new Uint8Array([8]), 1); // a later patch of the same byte wins
    sink.write(new Uint8Array([2, 2, 2]), sink.bytes - 1); // overlaps the end and appends past it
    const out = await bytesOf(await sink.finish('application/octet-stream'));
    expect(out.length).toBe(4 + 400_000 + 2);
    expect([...out.subarray(0, 4)]).toEqual([9, 8, 7, 9]);
    expect([...out.subarray(99_999, 100_002)]).toEqual([5, 5, 5]);
    expect([...out.subarray(399_000, 399_003)]).toEqual([6, 6, 6]);
    expect([...out.subarray(out.length - 3)]).toEqual([2, 2, 2]);
    const ones = (from: number, to: number) => out.subarray(from, to).every((b) => b === 1);
    expect(ones(4, 99_999) && ones(100_002, 399_000) && ones(399_003, out.length - 3)).toBe(true);
  });

  it('writes over bytes that are still pending in place, across chunk boundaries, without touching the rest', async () => {
    const sink = new MemorySink();
    sink.write(new Uint8Array([1, 1, 1]));
    sink.write(new Uint8Array([2, 2, 2]));
    sink.write(new Uint8Array([3, 3, 3]));
    sink.write(new Uint8Array([9, 9, 9, 9]), 2); // the end of the first chunk, the second, the start of the third... almost
    expect([...(await bytesOf(await sink.finish('x/y')))]).toEqual([1, 1, 9, 9, 9, 9, 3, 3, 3]);
  });

  it('refuses a write that would leave a gap', () => {
    const sink = new MemorySink();
    expect(() => sink.write(new Uint8Array([1]), 5)).toThrow(/gap/);
  });
});

describe('pcm16 encoder', () => {
  it('writes interleaved samples with no header', async () => {
    const sink = new MemorySink();
    const encoder = createPcm16Encoder(config(8000, 2), sink);
    void encoder.encode([new Float32Array([0.5, -1]), new Float32Array([1, 0])], 2);
    const bytes = await bytesOf(await sink.finish('audio/pcm'));
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2, 3].map((i) => view.getInt16(i * 2, true))).toEqual([16384, 32767, -32768, 0]);
  });
});

describe('MemorySink against a plain byte array', () => {
  it('any mix of appends and overwrites (pending or sealed) finishes as the same bytes', async () => {
    const fc = await import('fast-check');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), length: fc.integer({ min: 1, max: 200_000 }), seed: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('patch' as const), where: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 5000 }), seed: fc.integer({ min: 0, max: 255 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const sink = new MemorySink();
        const reference: number[] = [];
        for (const o of ops) {
          const bytes = Uint8Array.from({ length: o.length }, (_, i) => (o.seed + i) & 0xff);
          if (o.kind === 'append' || reference.length === 0) {
            sink.write(bytes);
            for (const b of bytes) reference.push(b);
          } else {
            const position = Math.floor(o.where * reference.length);
            sink.write(bytes, position);
            for (let i = 0; i < bytes.length; i++) reference[position + i] = bytes[i]!;
          }
        }
        const out = new Uint8Array(await (await sink.finish('application/octet-stream')).arrayBuffer());
        expect(out.length).toBe(reference.length);
        expect(Buffer.from(out).equals(Buffer.from(reference))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
