import { describe, expect, it } from 'vitest';
import { createPcm16Encoder } from '../../src/encoders/pcm16';
import { createWavEncoder } from '../../src/encoders/wav';
import { MemorySink } from '../../src/sinks/memory-sink';
import { parseWav } from '../support/wav-file';
import { sine } from '../support/signal';

function encodeInChunks(encoder: ReturnType<typeof createWavEncoder>, planar: Float32Array[], chunk: number, sink: MemorySink): Uint8Array | undefined {
  for (let at = 0; at < planar[0]!.length; at += chunk) {
    const n = Math.min(chunk, planar[0]!.length - at);
    sink.write(encoder.encode(planar.map((c) => c.subarray(at, at + n)), n));
  }
  const { chunks, header } = encoder.finish();
  sink.write(chunks);
  return header;
}

describe('wav encoder with the memory sink', () => {
  it('streams a header that says "to the end", and finishes with the real sizes', async () => {
    const planar = [sine(440, 1.5, 16000, 0.5), sine(880, 1.5, 16000, 0.25)];
    const sink = new MemorySink();
    const encoder = createWavEncoder({ sampleRate: 16000, channels: 2, bitRate: 0 });
    sink.write(encoder.encode(planar.map((c) => c.subarray(0, 100)), 100));
    const streamed = new Uint8Array(await sink.takeNew()!.arrayBuffer());
    expect(new DataView(streamed.buffer).getUint32(4, true)).toBe(0xffffffff);

    const header = encodeInChunks(encoder, planar.map((c) => c.subarray(100)), 777, sink);
    const file = new Uint8Array(await sink.finish('audio/wav', header).arrayBuffer());
    const wav = parseWav(file);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 16000, bitsPerSample: 16, dataSize: 24000 * 4, riffSize: 36 + 24000 * 4 });
    expect(wav.samples[0]!.length).toBe(24000);
    for (const [c, source] of planar.entries()) {
      for (let i = 0; i < source.length; i += 97) expect(wav.samples[c]![i]).toBeCloseTo(source[i]!, 4);
    }
  });

  it('writes a valid empty WAV when no frame arrives', async () => {
    const sink = new MemorySink();
    const header = encodeInChunks(createWavEncoder({ sampleRate: 44100, channels: 1, bitRate: 0 }), [new Float32Array(0)], 128, sink);
    const wav = parseWav(new Uint8Array(await sink.finish('audio/wav', header).arrayBuffer()));
    expect(wav.dataSize).toBe(0);
    expect(wav.samples[0]!.length).toBe(0);
  });

  it('data chunks taken along the way concatenate to the streamed file', async () => {
    const sink = new MemorySink();
    const encoder = createWavEncoder({ sampleRate: 8000, channels: 1, bitRate: 0 });
    const source = sine(300, 2, 8000);
    const taken: Blob[] = [];
    for (let at = 0; at < source.length; at += 1000) {
      sink.write(encoder.encode([source.subarray(at, at + 1000)], 1000));
      taken.push(sink.takeNew()!);
    }
    const header = encoder.finish().header!;
    const final = new Uint8Array(await sink.finish('audio/wav', header).arrayBuffer());
    const joined = new Uint8Array(await new Blob(taken).arrayBuffer());
    expect(joined.length).toBe(final.length);
    expect(Buffer.from(joined.subarray(44)).equals(Buffer.from(final.subarray(44)))).toBe(true);
  });
});

describe('pcm16 encoder', () => {
  it('writes interleaved samples with no header', async () => {
    const sink = new MemorySink();
    const encoder = createPcm16Encoder({ sampleRate: 8000, channels: 2, bitRate: 0 });
    sink.write(encoder.encode([new Float32Array([0.5, -1]), new Float32Array([1, 0])], 2));
    const bytes = new Uint8Array(await sink.finish('audio/pcm').arrayBuffer());
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2, 3].map((i) => view.getInt16(i * 2, true))).toEqual([16384, 32767, -32768, 0]);
  });
});
