// mediabunny's LAME build (@mediabunny/mp3-encoder), called in node through the same C bridge its worker calls
// (init_lame, encode_samples, flush_lame), for the encoder bench's reference row. Its Emscripten module ships inside a
// worker bundle and as dist/modules/build/lame.js, which mixes CommonJS exports with import.meta and so loads nowhere
// as is: the bench imports an ES module copy of it, written to the system's temporary folder.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { floatToInt16 } from '../src/worker/dsp/pcm';

const PACKAGE = fileURLToPath(new URL('../node_modules/@mediabunny/mp3-encoder/', import.meta.url));
const CJS_MARK = 'Object.defineProperty(exports, "__esModule", { value: true });';
const CJS_EXPORT = /^exports\.default = Module;$/m;

interface LameModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
}

let loading: Promise<() => Promise<LameModule>> | null = null;

/** The module's factory, from an ES module copy of lame.js (made once per bench run). */
function lameFactory(): Promise<() => Promise<LameModule>> {
  loading ??= (async () => {
    const source = readFileSync(join(PACKAGE, 'dist/modules/build/lame.js'), 'utf8');
    if (!source.includes(CJS_MARK) || !CJS_EXPORT.test(source)) {
      const { version } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { version: string };
      throw new Error(`@mediabunny/mp3-encoder ${version}'s lame.js is no longer the CommonJS/import.meta mix bench/mediabunny-lame.ts converts`);
    }
    const copy = join(mkdtempSync(join(tmpdir(), 'tapedeck-bench-')), 'lame.mjs');
    writeFileSync(copy, source.replace(CJS_MARK, '').replace(CJS_EXPORT, 'export default Module;'));
    return (await import(pathToFileURL(copy).href)).default as () => Promise<LameModule>;
  })();
  return loading;
}

/** An encoder of mediabunny's LAME build at `bitrate` (CBR): float planar in, MP3 bytes out (copies). */
export async function mediabunnyLame(channels: number, sampleRate: number, bitrate: number) {
  const lame = await (await lameFactory())();
  const gfp = lame.cwrap('init_lame', 'number', ['number', 'number', 'number'])(channels, sampleRate, bitrate);
  const encodeSamples = lame.cwrap('encode_samples', 'number', ['number', 'number', 'number', 'number', 'number', 'number']);
  const flushLame = lame.cwrap('flush_lame', 'number', ['number', 'number', 'number']);
  let inputs: number[] = [];
  let capacity = 0;
  let output = 0;
  let outputBytes = 0;
  /** The output buffer mediabunny's worker sizes for `frames` (LAME's own bound: 1.25 · frames + 7200). */
  const outputFor = (frames: number) => {
    const bytes = Math.ceil(1.25 * frames + 7200);
    if (bytes > outputBytes) [output, outputBytes] = [lame._malloc(bytes), bytes];
  };
  const result = (n: number) => {
    if (n < 0) throw new Error(`LAME failed (${n})`);
    return lame.HEAPU8.slice(output, output + n);
  };
  return {
    encode(planar: readonly Float32Array[], frames: number): Uint8Array {
      // Buffers grow with the largest chunk and are kept (the bench's encoders live for one run).
      if (frames > capacity) [capacity, inputs] = [frames, planar.map(() => lame._malloc(frames * 2))];
      outputFor(frames);
      planar.forEach((channel, c) => {
        const ints = new Int16Array(lame.HEAPU8.buffer, inputs[c], frames);
        for (let i = 0; i < frames; i++) ints[i] = floatToInt16(channel[i]!);
      });
      return result(encodeSamples(gfp, inputs[0]!, inputs[channels - 1]!, frames, output, outputBytes));
    },
    flush(): Uint8Array {
      outputFor(0);
      return result(flushLame(gfp, output, outputBytes));
    },
  };
}
