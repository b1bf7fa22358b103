import { describe, expect, it } from 'vitest';
import { createModuleEncoder } from '../../src/worker/encoders/plugin-encoder';
import { MemorySink } from '../../src/worker/sinks/memory-sink';

// A plugin that returns the same buffer from every call, filled anew each time.
const REUSING_PLUGIN = `export default function createEncoder() {
  const out = new Uint8Array(3);
  let calls = 0;
  return {
    encode() { calls++; out.fill(calls); return out; },
    flush() { out.fill(9); return [out.buffer]; },
  };
}`;

describe('module encoder plugins', () => {
  it('may reuse one buffer for every call: each call is copied as it is returned', async () => {
    const sink = new MemorySink();
    const url = `data:text/javascript,${encodeURIComponent(REUSING_PLUGIN)}`;
    const encoder = await createModuleEncoder(url, { sampleRate: 16000, channels: 1, bitRate: 0 }, sink);
    for (let i = 0; i < 3; i++) await encoder.encode([new Float32Array(4)], 4);
    await encoder.finish();
    const bytes = new Uint8Array(await (await sink.finish('application/octet-stream')).arrayBuffer());
    expect([...bytes]).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 9, 9, 9]);
  });
});
