import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMp3FrameHeader } from '../../src/containers/mp3-frames';
import { createMp3Encoder } from '../../src/encoders/mp3';
import { MemorySink } from '../../src/sinks/memory-sink';
import { dominantFrequency, sine } from '../support/signal';

async function encodeMp3(sampleRate: number, channels: number, bitRate: number, samples: number): Promise<Uint8Array> {
  const sink = new MemorySink();
  const encoder = createMp3Encoder({ sampleRate, channels, bitRate, container: '' }, sink);
  const tone = sine(440, samples / sampleRate, sampleRate, 0.5);
  for (let at = 0; at < samples; at += 2048) {
    const n = Math.min(2048, samples - at);
    encoder.encode(Array.from({ length: channels }, () => tone.subarray(at, at + n)), n);
  }
  await encoder.finish();
  return new Uint8Array(await sink.finish('audio/mpeg').arrayBuffer());
}

/** ffmpeg's decoding of `mp3` as mono float samples (gapless trimming applied), or null without ffmpeg. */
function ffmpegDecode(mp3: Uint8Array): Float32Array | null {
  if (!existsSync('/usr/bin/ffmpeg')) return null;
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-')), 'take.mp3');
  writeFileSync(file, mp3);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
}

describe('mp3 encoder', () => {
  for (const [sampleRate, channels, bitRate] of [
    [44100, 2, 128_000],
    [48000, 1, 64_000],
    [22050, 2, 64_000],
    [8000, 1, 16_000],
  ] as const) {
    it(`${sampleRate} Hz ${channels} ch ${bitRate / 1000} kb/s: an Info frame with the counts, and gapless to the sample`, async () => {
      const samples = sampleRate * 2 + 321;
      const mp3 = await encodeMp3(sampleRate, channels, bitRate, samples);
      const spf = sampleRate >= 32000 ? 1152 : 576;
      const info = readMp3FrameHeader(mp3, 0)!;
      expect(info).toMatchObject({ sampleRate, channels });
      const text = (at: number, n: number) => String.fromCharCode(...mp3.subarray(at, at + n));
      const tag = mp3.indexOf(0x49, 4); // "Info"
      expect(text(tag, 4)).toBe('Info');
      const view = new DataView(mp3.buffer);
      const frames = view.getUint32(tag + 8, false);
      expect(view.getUint32(tag + 12, false)).toBe(mp3.length);
      expect(frames).toBe(Math.ceil((samples + 1105) / spf));
      expect(text(tag + 120, 9)).toBe('LAME3.100');
      // Every frame after the Info frame is a whole audio frame, and there are `frames` of them.
      let offset = info.length;
      let counted = 0;
      while (offset < mp3.length) {
        const header = readMp3FrameHeader(mp3, offset)!;
        expect(header).not.toBeNull();
        offset += header.length;
        counted++;
      }
      expect(offset).toBe(mp3.length);
      expect(counted).toBe(frames);

      const decoded = ffmpegDecode(mp3);
      if (decoded) {
        expect(decoded.length).toBe(samples); // encoder delay and padding trimmed away
        expect(Math.abs(dominantFrequency(decoded, sampleRate) - 440)).toBeLessThan(1);
      }
    });
  }
});
