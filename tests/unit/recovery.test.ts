import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMp3FrameHeader } from '../../src/worker/containers/mp3-frames';
import { createMp3Encoder } from '../../src/worker/encoders/mp3';
import { createLamejsEngine } from '../../src/worker/encoders/lamejs-engine';
import { rebuildMp3 } from '../../src/worker/containers/mp3-rebuild';
import { dominantFrequency, sine } from '../../src/testing/analysis';

/** The bytes an MP3 take had on disk when its tab died after `seconds`, mid-frame: Info frame not yet rewritten. */
async function crashedMp3(seconds: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const disk = { write: (bytes: Uint8Array) => void chunks.push(bytes.slice()) }; // appends only: no finish() came
  const engine = createLamejsEngine({ channels: 1, sampleRate: 44100, kilobitRate: 128 });
  const encoder = await createMp3Encoder({ sampleRate: 44100, channels: 1, bitRate: 128_000, container: '' }, disk, null, engine);
  const tone = sine(440, seconds, 44100);
  for (let at = 0; at < tone.length; at += 2048) encoder.encode([tone.subarray(at, at + 2048)], Math.min(2048, tone.length - at));
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes.subarray(0, bytes.length - 100); // the last frame cut short
}

describe('recovery of a crashed MP3', () => {
  it('cuts at the last whole frame and writes a true Info frame', async () => {
    const crashed = await crashedMp3(2);
    const rebuilt = rebuildMp3(crashed, 'audio/mpeg')!;
    const bytes = new Uint8Array(await rebuilt.blob.arrayBuffer());
    const info = readMp3FrameHeader(bytes, 0)!;
    const tag = bytes.indexOf(0x49, 4);
    const view = new DataView(bytes.buffer);
    const frames = view.getUint32(tag + 8, false);
    let offset = info.length;
    let counted = 0;
    while (offset < bytes.length) {
      offset += readMp3FrameHeader(bytes, offset)!.length;
      counted++;
    }
    expect(offset).toBe(bytes.length); // nothing cut short remains
    expect(counted).toBe(frames);
    expect(view.getUint32(tag + 12, false)).toBe(bytes.length);
    expect(frames).toBeGreaterThan(70); // ~2 s of 26 ms frames, less the one cut short and the encoder's lag
    expect(rebuilt.frames).toBe(frames * 1152 - 1105);

    if (!existsSync('/usr/bin/ffmpeg')) return;
    const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-')), 'recovered.mp3');
    writeFileSync(file, bytes);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-'], { maxBuffer: 1 << 26 });
    const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(samples.length).toBe(rebuilt.frames);
    expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(1);
  });

  it('gives nothing for bytes that hold no frame', () => {
    expect(rebuildMp3(new Uint8Array(50), 'audio/mpeg')).toBeNull();
  });
});
