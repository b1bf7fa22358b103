// A test encoder plugin whose flush() never settles (a plugin bug): raw 32-bit float, like f32-plugin.js, but the
// take can never finish its file.
export default function createEncoder() {
  return {
    init() {},
    encode(planar, frames) {
      return new Uint8Array(planar[0].slice(0, frames).buffer);
    },
    flush() {
      return new Promise(() => {});
    },
  };
}
