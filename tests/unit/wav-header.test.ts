import { describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES, wavHeader } from '../../src/worker/containers/wav-header';

function fields(header: Uint8Array) {
  const view = new DataView(header.buffer);
  const text = (o: number) => String.fromCharCode(...header.subarray(o, o + 4));
  return {
    riff: text(0),
    riffSize: view.getUint32(4, true),
    wave: text(8),
    fmt: text(12),
    fmtSize: view.getUint32(16, true),
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    blockAlign: view.getUint16(32, true),
    bitsPerSample: view.getUint16(34, true),
    data: text(36),
    dataSize: view.getUint32(40, true),
  };
}

describe('wavHeader', () => {
  it('writes the exact canonical bytes for 1 s of 44.1 kHz stereo', () => {
    const header = wavHeader({ sampleRate: 44100, channels: 2, bitsPerSample: 16 }, 176400);
    const hex = Buffer.from(header).toString('hex');
    expect(hex).toBe(
      '52494646' + '34b10200' + '57415645' + '666d7420' + '10000000' + '0100' + '0200' + '44ac0000' + '10b10200' + '0400' + '1000' + '64617461' + '10b10200',
    );
    expect(header.length).toBe(WAV_HEADER_BYTES);
  });

  for (const channels of [1, 2]) {
    for (const sampleRate of [8000, 16000, 22050, 44100, 48000, 96000]) {
      it(`describes ${channels} channel(s) at ${sampleRate} Hz`, () => {
        const dataBytes = sampleRate * channels * 2 * 3;
        const f = fields(wavHeader({ sampleRate, channels, bitsPerSample: 16 }, dataBytes));
        expect(f).toEqual({
          riff: 'RIFF',
          riffSize: 36 + dataBytes,
          wave: 'WAVE',
          fmt: 'fmt ',
          fmtSize: 16,
          format: 1,
          channels,
          sampleRate,
          byteRate: sampleRate * channels * 2,
          blockAlign: channels * 2,
          bitsPerSample: 16,
          data: 'data',
          dataSize: dataBytes,
        });
      });
    }
  }

  it('clamps sizes past 4 GiB instead of wrapping around', () => {
    const f = fields(wavHeader({ sampleRate: 48000, channels: 2, bitsPerSample: 16 }, 5 * 2 ** 30));
    expect(f.riffSize).toBe(0xffffffff);
    expect(f.dataSize).toBe(0xffffffff - 36);
  });
});
