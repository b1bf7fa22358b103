import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMp3FrameHeader } from '../../src/worker/containers/mp3-frames';
import { createMp3Encoder, mp3KilobitRate } from '../../src/worker/encoders/mp3';
import { lameFrameCount } from '../support/lame-padding';
import { nodeMp3Engine } from '../support/mp3-engines';
import { MemorySink } from '../../src/worker/sinks/memory-sink';
import { dominantFrequency, sine } from '../support/signal';

type EngineName = 'wasm' | 'lamejs';

async function encodeMp3(engineName: EngineName, sampleRate: number, channels: number, bitRate: number, samples: number): Promise<Uint8Array> {
  const sink = new MemorySink();
  const engine = await nodeMp3Engine(engineName, { channels, sampleRate, kilobitRate: mp3KilobitRate(bitRate, sampleRate) });
  const encoder = await createMp3Encoder({ sampleRate, channels, bitRate, container: '' }, sink, null, engine);
  const tone = sine(440, samples / sampleRate, sampleRate, 0.5);
  for (let at = 0; at < samples; at += 2048) {
    const n = Math.min(2048, samples - at);
    encoder.encode(Array.from({ length: channels }, () => tone.subarray(at, at + n)), n);
  }
  await encoder.finish();
  return new Uint8Array(await (await sink.finish('audio/mpeg')).arrayBuffer());
}

/** ffmpeg's decoding of `mp3` as mono float samples (gapless trimming applied), or null without ffmpeg. */
function ffmpegDecode(mp3: Uint8Array): Float32Array | null {
  if (!existsSync('/usr/bin/ffmpeg')) return null;
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-')), 'take.mp3');
  writeFileSync(file, mp3);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
}

/** The sizes of the frames after the Info frame, and the Info frame's tag fields. */
function framing(mp3: Uint8Array) {
  const info = readMp3FrameHeader(mp3, 0)!;
  const sizes: number[] = [];
  for (let offset = info.length; offset < mp3.length; ) {
    const header = readMp3FrameHeader(mp3, offset)!;
    sizes.push(header.length);
    offset += header.length;
  }
  const tag = mp3.indexOf(0x49, 4); // "Info"
  const view = new DataView(mp3.buffer, mp3.byteOffset);
  const lame = tag + 120;
  const delayPadding = (mp3[lame + 21]! << 16) | (mp3[lame + 22]! << 8) | mp3[lame + 23]!;
  return { sizes, frames: view.getUint32(tag + 8, false), bytes: view.getUint32(tag + 12, false), delay: delayPadding >> 12, padding: delayPadding & 0xfff };
}

const CASES = [
  [44100, 2, 128_000],
  [48000, 1, 64_000],
  [22050, 2, 64_000],
  [8000, 1, 16_000],
] as const;

for (const engine of ['wasm', 'lamejs'] as const) {
  describe(`mp3 encoder (${engine})`, () => {
    for (const [sampleRate, channels, bitRate] of CASES) {
      it(`${sampleRate} Hz ${channels} ch ${bitRate / 1000} kb/s: an Info frame with the counts, and gapless to the sample`, async () => {
        const samples = sampleRate * 2 + 321;
        const mp3 = await encodeMp3(engine, sampleRate, channels, bitRate, samples);
        const spf = sampleRate >= 32000 ? 1152 : 576;
        const info = readMp3FrameHeader(mp3, 0)!;
        expect(info).toMatchObject({ sampleRate, channels });
        const text = (at: number, n: number) => String.fromCharCode(...mp3.subarray(at, at + n));
        const tag = mp3.indexOf(0x49, 4); // "Info"
        expect(text(tag, 4)).toBe('Info');
        const { sizes, frames, bytes } = framing(mp3);
        expect(bytes).toBe(mp3.length);
        expect(frames).toBe(lameFrameCount(samples, spf));
        expect(text(tag + 120, 9)).toBe(engine === 'wasm' ? 'LAME3.100' : 'LAME3.99r');
        // Every frame after the Info frame is a whole audio frame, and there are `frames` of them.
        expect(sizes.reduce((a, b) => a + b, info.length)).toBe(mp3.length);
        expect(sizes).toHaveLength(frames);

        const decoded = ffmpegDecode(mp3);
        if (decoded) {
          expect(decoded.length).toBe(samples); // encoder delay and padding trimmed away
          expect(Math.abs(dominantFrequency(decoded, sampleRate) - 440)).toBeLessThan(1);
        }
      });
    }
  });
}

describe('mp3 engines', () => {
  for (const [sampleRate, channels, bitRate] of CASES) {
    it(`${sampleRate} Hz ${channels} ch: WebAssembly LAME and lamejs write the same framing, tag and duration`, async () => {
      const samples = sampleRate * 3 + 77;
      const [wasm, lamejs] = await Promise.all([encodeMp3('wasm', sampleRate, channels, bitRate, samples), encodeMp3('lamejs', sampleRate, channels, bitRate, samples)]);
      expect(framing(wasm)).toEqual(framing(lamejs));
      expect(wasm.length).toBe(lamejs.length);
      const [a, b] = [ffmpegDecode(wasm), ffmpegDecode(lamejs)];
      if (a && b) expect(a.length).toBe(b.length);
    });
  }
});
