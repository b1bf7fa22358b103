import { describe, expect, it } from 'vitest';
import { StreamSink } from '../../src/worker/sinks/stream-sink';

describe('StreamSink', () => {
  it('posts a copy of each write, leaving the caller its array to reuse', () => {
    const posted: ArrayBuffer[] = [];
    const sink = new StreamSink((bytes) => posted.push(bytes));
    const chunk = new Uint8Array([1, 2, 3, 4]);
    sink.write(chunk);
    chunk.set([9, 9, 9, 9]);
    sink.write(chunk.subarray(1, 3));
    expect(posted.map((b) => [...new Uint8Array(b)])).toEqual([[1, 2, 3, 4], [9, 9]]);
    expect(sink.bytes).toBe(6);
  });
});
