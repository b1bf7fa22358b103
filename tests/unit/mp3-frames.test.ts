import { describe, expect, it } from 'vitest';
import { Mp3Encoder } from '@breezystack/lamejs';
import { lameFrameCount } from '../support/lame-padding';
import { Mp3FrameSplitter, readMp3FrameHeader } from '../../src/worker/containers/mp3-frames';
import { mp3KilobitRate } from '../../src/worker/encoders/mp3';

/** Encodes `seconds` of a 440 Hz tone with lamejs, in `chunk`-frame pieces, through the splitter. */
function encode(sampleRate: number, channels: 1 | 2, kbps: number, frames: number, chunk: number) {
  const lame = new Mp3Encoder(channels, sampleRate, kbps);
  const splitter = new Mp3FrameSplitter();
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (let at = 0; at < frames; at += chunk) {
    const n = Math.min(chunk, frames - at);
    const pcm = Int16Array.from({ length: n }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 440 * (at + i)) / sampleRate)));
    const encoded = lame.encodeBuffer(pcm, channels === 2 ? pcm : undefined);
    bytes += encoded.length;
    out.push(...splitter.push(encoded));
  }
  const tail = lame.flush();
  bytes += tail.length;
  out.push(...splitter.push(tail));
  return { frames: out, bytes, pending: splitter.pendingBytes };
}

describe('MP3 framing of lamejs output', () => {
  // LAME delays the signal by 576 samples and pads the end to a whole frame, and a frame more when under 576 are left.
  for (const [sampleRate, channels, kbps, perFrame] of [
    [44100, 2, 128, 1152],
    [48000, 1, 64, 1152],
    [22050, 2, 64, 576],
    [8000, 1, 16, 576],
  ] as const) {
    it(`cuts ${sampleRate} Hz ${channels === 1 ? 'mono' : 'stereo'} ${kbps} kb/s into LAME's count of whole frames`, () => {
      const n = sampleRate * 2 + 123; // not a whole number of frames
      const { frames, bytes, pending } = encode(sampleRate, channels, kbps, n, 1000);
      expect(pending).toBe(0);
      expect(frames.reduce((sum, f) => sum + f.length, 0)).toBe(bytes);
      expect(frames.length).toBe(lameFrameCount(n, perFrame));
      for (const frame of frames) {
        const header = readMp3FrameHeader(frame, 0)!;
        expect(header).toMatchObject({ sampleRate, bitRate: kbps, channels, samples: perFrame, length: frame.length });
      }
    });
  }

  it('finds frames however the bytes are split, and skips junk before the first one', () => {
    const { frames } = encode(44100, 2, 128, 44100, 4096);
    const stream = new Uint8Array([0x12, 0x34, ...frames.flatMap((f) => [...f])]);
    const splitter = new Mp3FrameSplitter();
    const again: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += 333) again.push(...splitter.push(stream.subarray(at, at + 333)));
    expect(again.map((f) => f.length)).toEqual(frames.map((f) => f.length));
  });

  it('picks the nearest constant bit rate the sample rate allows', () => {
    expect(mp3KilobitRate(128_000, 44100)).toBe(128);
    expect(mp3KilobitRate(130_000, 48000)).toBe(128);
    expect(mp3KilobitRate(320_000, 22050)).toBe(160); // MPEG-2 tops out at 160
    expect(mp3KilobitRate(6_000, 8000)).toBe(8);
  });
});
