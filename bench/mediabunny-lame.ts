// mediabunny's LAME build (@mediabunny/mp3-encoder), called in node the way its worker calls it, for the encoder
// bench's reference row. Its Emscripten module is only shipped inside a worker bundle and as dist/modules/build/lame.js,
// which mixes CommonJS exports with import.meta and so loads nowhere as is: the bench writes an ES module copy of it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { floatToInt16 } from '../src/worker/dsp/pcm';

const SOURCE = fileURLToPath(new URL('../node_modules/@mediabunny/mp3-encoder/dist/modules/build/lame.js', import.meta.url));
const COPY = fileURLToPath(new URL('./.dist/mediabunny-lame.mjs', import.meta.url));

interface LameModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
}

/** An encoder on mediabunny's bridge (init_lame, encode_samples, flush_lame): float planar in, MP3 bytes out. */
export async function mediabunnyLame(channels: number, sampleRate: number, bitrate: number) {
  const source = readFileSync(SOURCE, 'utf8')
    .replace('Object.defineProperty(exports, "__esModule", { value: true });', '')
    .replace(/^exports\.default = Module;$/m, 'export default Module;');
  mkdirSync(fileURLToPath(new URL('./.dist/', import.meta.url)), { recursive: true });
  writeFileSync(COPY, source);
  const createModule = (await import(pathToFileURL(COPY).href)).default as () => Promise<LameModule>;
  const lame = await createModule();
  const gfp = lame.cwrap('init_lame', 'number', ['number', 'number', 'number'])(channels, sampleRate, bitrate);
  const encodeSamples = lame.cwrap('encode_samples', 'number', ['number', 'number', 'number', 'number', 'number', 'number']);
  const flushLame = lame.cwrap('flush_lame', 'number', ['number', 'number', 'number']);
  const OUT = 16_384;
  const out = lame._malloc(OUT);
  let inputs: number[] = [];
  let capacity = 0;
  const bytes = (n: number) => lame.HEAPU8.slice(out, out + n);
  return {
    encode(planar: readonly Float32Array[], frames: number): Uint8Array {
      if (frames > capacity) {
        capacity = frames;
        inputs = planar.map(() => lame._malloc(frames * 2));
      }
      planar.forEach((channel, c) => {
        const ints = new Int16Array(lame.HEAPU8.buffer, inputs[c], frames);
        for (let i = 0; i < frames; i++) ints[i] = floatToInt16(channel[i]!);
      });
      const n = encodeSamples(gfp, inputs[0]!, inputs[channels - 1]!, frames, out, OUT);
      if (n < 0) throw new Error(`LAME failed (${n})`);
      return bytes(n);
    },
    flush: () => bytes(flushLame(gfp, out, OUT)),
  };
}
