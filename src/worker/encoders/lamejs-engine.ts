/**
 * LAME ported to JavaScript (@breezystack/lamejs, a maintained fork: lamejs@1.2.1 throws "MPEGMode is not defined"
 * in ES module builds): the MP3 engine where a Content-Security-Policy forbids WebAssembly. LGPL-3.0, so it is a
 * codec file of its own (dist/codecs/lamejs.js), loaded only then.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { floatToInt16 } from '../dsp/pcm';
import type { Mp3Engine, Mp3EngineConfig } from './mp3-engines';

/** LAME ported to JavaScript: 16-bit input, no WebAssembly. */
export function createLamejsEngine(config: Mp3EngineConfig): Mp3Engine {
  const lame = new Mp3Encoder(config.channels, config.sampleRate, config.kilobitRate);
  let left = new Int16Array(0);
  let right = new Int16Array(0);
  return {
    name: 'lamejs',
    version: 'LAME3.99r',
    encode(planar, count) {
      if (left.length < count) {
        left = new Int16Array(count);
        right = new Int16Array(count);
      }
      for (let c = 0; c < config.channels; c++) {
        const target = c === 0 ? left : right;
        const source = planar[c]!;
        for (let i = 0; i < count; i++) target[i] = floatToInt16(source[i]!);
      }
      return lame.encodeBuffer(left.subarray(0, count), config.channels === 2 ? right.subarray(0, count) : undefined);
    },
    flush: () => lame.flush(),
  };
}
