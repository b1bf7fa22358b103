// The upload's file source (issue 15, items 2 and 4): while a take records, tus reads ranges of the worker's file on
// demand, never a copy of the stream; once it has ended, slices of the finished Blob, from any offset.
import { describe, expect, it } from 'vitest';
import { GrowingFile } from '../../src/upload/growing-file';

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const read = async (blob: Blob | null) => new Uint8Array(await blob!.arrayBuffer());

describe('GrowingFile', () => {
  it('reads exactly the range asked for from the live file, waiting until the file holds it', async () => {
    const file = bytes(100_000);
    const asked: Array<[number, number]> = [];
    const source = new GrowingFile(async (start, end) => {
      asked.push([start, end]);
      return new Blob([file.slice(start, end)]);
    });
    let answered = false;
    const slice = source.slice(40_000, 50_000).then((r) => ((answered = true), r));
    source.grew(45_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(answered).toBe(false); // not there yet: it waits, without reading
    source.grew(60_000);
    const { value, done } = await slice;
    expect(done).toBe(false);
    expect(await read(value)).toEqual(file.slice(40_000, 50_000));
    expect(asked).toEqual([[40_000, 50_000]]);
    // A retried request reads its range again (nothing was buffered for it).
    expect(await read((await source.slice(40_000, 50_000)).value)).toEqual(file.slice(40_000, 50_000));
    expect(asked).toHaveLength(2);
  });

  it('once ended, slices the finished Blob from any offset without reading the live file (a long resume is linear)', async () => {
    const source = new GrowingFile(async () => {
      throw new Error('the live file must not be read after the end');
    });
    const finished = new Blob([bytes(5_000_000)]);
    source.end(finished);
    const tail = await source.slice(4_990_000, 5_065_536);
    expect(tail.done).toBe(true);
    expect(await read(tail.value)).toEqual(bytes(10_000, 4_990_000));
    expect(await source.slice(5_000_000, 5_065_536)).toEqual({ value: null, done: true });
  });

  it('a read that fails because the take just ended is answered from the finished file', async () => {
    const source = new GrowingFile(async () => {
      throw new Error('the take has ended');
    });
    source.grew(20_000);
    const slice = source.slice(0, 10_000);
    source.end(new Blob([bytes(30_000)]));
    expect(await read((await slice).value)).toEqual(bytes(10_000));
  });
});
