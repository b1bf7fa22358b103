// The formats that say they write over their header only (WorkerFormat.writesBack false) keep that promise: every
// write at a position ends inside the memory sink's head, where it lands in place. A write past it would still be
// right (a patch), but each would cost a Blob slice at stop.
import { describe, expect, it } from 'vitest';
import { createMp3Encoder, mp3KilobitRate } from '../../src/worker/encoders/mp3';
import { createPcm16Encoder } from '../../src/worker/encoders/pcm16';
import { createWavEncoder } from '../../src/worker/encoders/wav';
import type { WorkerEncoder, WorkerEncoderConfig } from '../../src/worker/encoders/encoder';
import { WORKER_FORMATS } from '../../src/worker/formats';
import { HEAD_BYTES } from '../../src/worker/sinks/memory-sink';
import { nodeMp3Engine } from '../support/mp3-engines';
import { sine } from '../support/signal';

/** A sink that keeps the end of the furthest write at a position before the stream's end. */
function spySink() {
  const spy = {
    bytes: 0,
    furthestWriteBack: 0,
    write(bytes: Uint8Array, position?: number): void {
      const at = position ?? spy.bytes;
      if (at < spy.bytes) spy.furthestWriteBack = Math.max(spy.furthestWriteBack, at + bytes.length);
      spy.bytes = Math.max(spy.bytes, at + bytes.length);
    },
  };
  return spy;
}

async function encodeSeconds(encoder: WorkerEncoder, config: WorkerEncoderConfig, seconds: number) {
  const tone = sine(440, seconds, config.sampleRate, 0.5);
  for (let at = 0; at < tone.length; at += 2048) {
    const n = Math.min(2048, tone.length - at);
    await encoder.encode(Array.from({ length: config.channels }, () => tone.subarray(at, at + n)), n);
  }
  await encoder.finish();
}

describe('formats that write over their header only', () => {
  for (const [sampleRate, channels, bitRate] of [[44_100, 2, 128_000], [48_000, 1, 320_000], [32_000, 2, 320_000], [8000, 1, 8000]] as const) {
    const config: WorkerEncoderConfig = { sampleRate, channels, bitRate, container: '' };
    it(`${sampleRate} Hz ${channels} ch ${bitRate / 1000} kb/s: WAV, PCM and MP3 (both engines) write back inside the first ${HEAD_BYTES} bytes`, async () => {
      const encoders: Array<[string, (sink: ReturnType<typeof spySink>) => Promise<WorkerEncoder>]> = [
        ['wav', async (sink) => createWavEncoder(config, sink)],
        ['pcm16', async (sink) => createPcm16Encoder(config, sink)],
        ...(['wasm', 'lamejs'] as const).map((engine): [string, (sink: ReturnType<typeof spySink>) => Promise<WorkerEncoder>] => [
          'mp3',
          async (sink) => createMp3Encoder(config, sink, null, await nodeMp3Engine(engine, { channels, sampleRate, kilobitRate: mp3KilobitRate(bitRate, sampleRate) })),
        ]),
      ];
      for (const [name, open] of encoders) {
        expect(WORKER_FORMATS[name]!.writesBack(config)).toBe(false);
        const sink = spySink();
        await encodeSeconds(await open(sink), config, 6);
        expect(sink.bytes, name).toBeGreaterThan(HEAD_BYTES);
        expect(sink.furthestWriteBack, name).toBeLessThanOrEqual(HEAD_BYTES);
        if (name !== 'pcm16') expect(sink.furthestWriteBack, `${name} rewrites its header`).toBeGreaterThan(0);
      }
    });
  }
  it('WebM writes back (its cluster sizes); Ogg and an append-only take do not', () => {
    const opus = WORKER_FORMATS.opus!;
    const config: WorkerEncoderConfig = { sampleRate: 48_000, channels: 1, bitRate: 64_000, container: 'webm' };
    expect(opus.writesBack(config)).toBe(true);
    expect(opus.writesBack({ ...config, container: 'ogg' })).toBe(false);
    expect(opus.writesBack({ ...config, appendOnly: true })).toBe(false);
  });
});
