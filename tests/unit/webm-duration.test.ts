import { describe, expect, it } from 'vitest';
import { EncodedAudioPacketSource, EncodedPacket, Output, StreamTarget, WebMOutputFormat, type StreamTargetChunk } from 'mediabunny';
import { MemorySink } from '../../src/worker/sinks/memory-sink';

// Opus packets of 20 ms (content is irrelevant to the muxer), with the OpusHead the WebM track needs.
const OPUS_HEAD = new Uint8Array([0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64, 1, 1, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0]);

/** Muxes `seconds` of packets into WebM through a MemorySink, as the encoder worker does; returns the final bytes. */
async function muxWebm(seconds: number, appendOnly: boolean): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writable = new WritableStream<StreamTargetChunk>({ write: (chunk) => sink.write(chunk.data, chunk.position) });
  const output = new Output({ format: new WebMOutputFormat({ appendOnly }), target: new StreamTarget(writable) });
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  await output.start();
  for (let i = 0; i < seconds * 50; i++) {
    const meta = i === 0 ? { decoderConfig: { codec: 'opus', numberOfChannels: 1, sampleRate: 48000, description: OPUS_HEAD } } : undefined;
    await source.add(new EncodedPacket(new Uint8Array([0xfc, 0xff, 0xfe]), 'key', i * 0.02, 0.02), meta);
  }
  await output.finalize();
  return new Uint8Array(await (await sink.finish('audio/webm')).arrayBuffer());
}

/** The Segment Info Duration element (ID 0x4489, an 8-byte float), in timecode units (ms), or null. */
function webmDuration(bytes: Uint8Array): number | null {
  for (let i = 0; i + 11 <= bytes.length; i++) {
    if (bytes[i] === 0x44 && bytes[i + 1] === 0x89 && bytes[i + 2] === 0x88) {
      return new DataView(bytes.buffer, bytes.byteOffset + i + 3, 8).getFloat64(0, false);
    }
  }
  return null;
}

/** True when the file has a Cues element (ID 0x1C53BB6B), which players seek with. */
const hasCues = (bytes: Uint8Array) => bytes.some((b, i) => b === 0x1c && bytes[i + 1] === 0x53 && bytes[i + 2] === 0xbb && bytes[i + 3] === 0x6b);

describe('WebM written through the memory sink', () => {
  it('carries its real duration and cues once the header patches are laid over it', async () => {
    const bytes = await muxWebm(7, false);
    expect(webmDuration(bytes)).toBeCloseTo(7000, 0);
    expect(hasCues(bytes)).toBe(true);
  });

  it('written append-only (the live data stream) it has no duration, as MediaRecorder output has none', async () => {
    const bytes = await muxWebm(3, true);
    expect(webmDuration(bytes)).toBeNull();
  });
});
