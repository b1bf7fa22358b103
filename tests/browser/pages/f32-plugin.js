// A test encoder plugin: raw 32-bit float little-endian, interleaved. Its worker side, as tapedeck loads it.
export default function createEncoder() {
  let channels = 1;
  return {
    init(config) {
      channels = config.channels;
    },
    encode(planar, frames) {
      const out = new Float32Array(frames * channels);
      for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = planar[c][i];
      return new Uint8Array(out.buffer);
    },
    flush() {},
  };
}
