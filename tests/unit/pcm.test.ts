import { describe, expect, it } from 'vitest';
import { floatToInt16, Int16Interleaver, interleaveInt16 } from '../../src/worker/dsp/pcm';

describe('floatToInt16', () => {
  const table: Array<[number, number]> = [
    [0, 0],
    [1, 32767],
    [-1, -32768],
    [1.5, 32767],
    [-1.5, -32768],
    [Infinity, 32767],
    [-Infinity, -32768],
    [NaN, 0],
    [0.5, 16384], // 16383.5 rounds up
    [-0.5, -16384],
    [1 / 32767, 1],
    [0.4 / 32767, 0], // rounds to nearest, not truncates toward zero or away
    [0.6 / 32767, 1],
    [-0.6 / 32768, -1],
  ];
  for (const [input, expected] of table) {
    it(`maps ${input} to ${expected}`, () => {
      expect(floatToInt16(input)).toBe(expected);
    });
  }
});

describe('interleaveInt16', () => {
  it('interleaves stereo as little-endian L R L R', () => {
    const bytes = interleaveInt16([new Float32Array([1, 0, -1]), new Float32Array([-1, 0.5, 0])], 3);
    const view = new DataView(bytes.buffer);
    const values = Array.from({ length: 6 }, (_, i) => view.getInt16(i * 2, true));
    expect(values).toEqual([32767, -32768, 0, 16384, -32768, 0]);
    expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0x7f, 0x00, 0x80]);
  });

  it('writes mono in order and only the frames asked for', () => {
    const bytes = interleaveInt16([new Float32Array([0.25, -0.25, 0.75, 0.9])], 3);
    expect(bytes.length).toBe(6);
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2].map((i) => view.getInt16(i * 2, true))).toEqual([8192, -8192, 24575]);
  });
});

describe('interleaveInt16 into a given array', () => {
  it('writes where that array starts in its buffer, and no further', () => {
    const buffer = new Uint8Array(16).fill(0xaa);
    const bytes = interleaveInt16([new Float32Array([1, -1])], 2, buffer.subarray(4));
    expect(bytes.byteOffset).toBe(4);
    expect([...buffer]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xff, 0x7f, 0x00, 0x80, ...new Array(8).fill(0xaa)]);
  });
});

describe('Int16Interleaver', () => {
  it('writes every chunk into one array, growing it only for a larger chunk', () => {
    const pcm = new Int16Interleaver();
    const first = pcm.interleave([new Float32Array([0.5, -0.5, 0.25])], 3);
    const second = pcm.interleave([new Float32Array([-1, 1])], 2);
    expect(second.buffer).toBe(first.buffer);
    expect([...new Int16Array(second.slice().buffer)]).toEqual([-32768, 32767]);
    const larger = pcm.interleave([new Float32Array([0.1, 0.2]), new Float32Array([0.3, 0.4])], 2);
    expect(larger.buffer).not.toBe(first.buffer);
    expect([...new Int16Array(larger.slice().buffer)]).toEqual([0.1, 0.3, 0.2, 0.4].map(floatToInt16));
  });
});
