// Encoder throughput in node: seconds of 44.1 kHz stereo encoded per second of wall-clock time (× real time), per format.
import { createMediaEncoder, type WasmEncoderLoader } from '../src/worker/encoders/media-encoder';
import { Mp3Encoder } from '@breezystack/lamejs';
import { createMp3Encoder, mp3KilobitRate } from '../src/worker/encoders/mp3';
import { nodeMp3Engine } from '../tests/support/mp3-engines';
import { floatToInt16 } from '../src/worker/dsp/pcm';
import { createPcm16Encoder } from '../src/worker/encoders/pcm16';
import { createWavEncoder } from '../src/worker/encoders/wav';
import type { WorkerEncoder, WorkerEncoderConfig } from '../src/worker/encoders/encoder';
import type { ByteSink } from '../src/worker/sinks/sink';
import { MemorySink } from '../src/worker/sinks/memory-sink';
import { mediabunnyLame } from './mediabunny-lame';
import { median, range } from './browser';

// In node the WebAssembly encoders register with the one mediabunny the bench imports.
const loadWasmEncoder: WasmEncoderLoader = async (codec) =>
  codec === 'aac' ? { register: (await import('@mediabunny/aac-encoder')).registerAacEncoder } : { register: (await import('@mediabunny/flac-encoder')).registerFlacEncoder };

type Factory = (config: WorkerEncoderConfig, sink: ByteSink) => WorkerEncoder | Promise<WorkerEncoder>;

const FACTORIES: Record<string, Factory> = {
  wav: createWavEncoder,
  pcm16: createPcm16Encoder,
  'mp3 (tapedeck, LAME in WebAssembly)': async (config, sink) =>
    createMp3Encoder(config, sink, null, await nodeMp3Engine('wasm', { ...config, kilobitRate: mp3KilobitRate(config.bitRate, config.sampleRate) })),
  'mp3 (tapedeck, lamejs fallback)': async (config, sink) =>
    createMp3Encoder(config, sink, null, await nodeMp3Engine('lamejs', { ...config, kilobitRate: mp3KilobitRate(config.bitRate, config.sampleRate) })),
  // The issue's reference: mediabunny's own LAME build (its README: "encodes 5 seconds of audio in ~90 milliseconds
  // (55x real-time speed)"), through the same C bridge its worker calls (without the worker's message hop).
  "mp3 (mediabunny's LAME in WebAssembly, reference: float → int16 included)": async (config, sink) => {
    const lame = await mediabunnyLame(config.channels, config.sampleRate, 128_000);
    return { framesWithin: () => 0, encode: (planar, frames) => sink.write(lame.encode(planar, frames)), finish: () => sink.write(lame.flush()) };
  },
  'lamejs alone (Mp3Encoder.encodeBuffer, float → int16 included)': (config, sink) => {
    const lame = new Mp3Encoder(config.channels, config.sampleRate, 128);
    let ints: Int16Array[] = [];
    return {
      framesWithin: () => 0,
      encode(planar, frames) {
        if ((ints[0]?.length ?? 0) < frames) ints = planar.map(() => new Int16Array(frames));
        planar.forEach((channel, c) => {
          for (let i = 0; i < frames; i++) ints[c]![i] = floatToInt16(channel[i]!);
        });
        sink.write(lame.encodeBuffer(ints[0]!.subarray(0, frames), ints[1]?.subarray(0, frames)));
      },
      finish: () => sink.write(lame.flush()),
    };
  },
  flac: (config, sink) => createMediaEncoder('flac', config, sink, null, loadWasmEncoder),
  aac: (config, sink) => createMediaEncoder('aac', config, sink, null, loadWasmEncoder),
  opus: (config, sink) => createMediaEncoder('opus', config, sink, null, loadWasmEncoder),
};

/** A tone plus noise, planar stereo. */
function input(seconds: number, sampleRate: number): Float32Array[] {
  const n = seconds * sampleRate;
  return [0, 1].map((c) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = 0.4 * Math.sin((2 * Math.PI * (440 + c * 110) * i) / sampleRate) + 0.05 * (Math.random() * 2 - 1);
    return out;
  });
}

/** One encoder's throughput: `speed` × real time (NaN where it cannot run in node). */
export interface EncoderSpeed {
  id: string;
  speed: number;
}

/** Encodes `pcm` with a fresh encoder of `factory`; returns the milliseconds it took and the bytes written. */
async function encodeOnce(factory: Factory, pcm: Float32Array[], sampleRate: number): Promise<{ ms: number; bytes: number }> {
  const sink = new MemorySink();
  const encoder = await factory({ sampleRate, channels: 2, bitRate: 128_000, container: 'webm' }, sink);
  const started = performance.now();
  for (let at = 0; at < pcm[0]!.length; at += 2048) {
    const n = Math.min(2048, pcm[0]!.length - at);
    await encoder.encode(pcm.map((c) => c.subarray(at, at + n)), n);
  }
  await encoder.finish();
  return { ms: performance.now() - started, bytes: sink.bytes };
}

/**
 * A markdown table of encoder throughput over `seconds` of audio, `runs` fresh encoders each (median and range;
 * printed as it goes), and each encoder's median speed.
 */
export async function benchEncoders(seconds: number, runs: number): Promise<{ lines: string[]; speeds: EncoderSpeed[] }> {
  const speeds: EncoderSpeed[] = [];
  const sampleRate = 44100;
  const pcm = input(seconds, sampleRate);
  const rows = [`| encoder | ${seconds} s of 44.1 kHz stereo encoded in (ms) | × real time | output |`, '|---|---|---|---|'];
  for (const [id, factory] of Object.entries(FACTORIES)) {
    try {
      const times: number[] = [];
      let bytes = 0;
      for (let run = 0; run < runs; run++) ({ ms: times[run], bytes } = await encodeOnce(factory, pcm, sampleRate));
      const ratios = times.map((ms) => (seconds * 1000) / ms);
      speeds.push({ id, speed: median(ratios) });
      rows.push(`| ${id} | ${median(times).toFixed(0)} (${range(times, 0)}) | ${median(ratios).toFixed(1)}× (${range(ratios)}) | ${(bytes / 1e6).toFixed(2)} MB |`);
    } catch (error) {
      speeds.push({ id, speed: NaN });
      rows.push(`| ${id} | n/a in node: ${(error as Error).message.split('\n')[0]} | | |`);
    }
    console.error(rows.at(-1));
  }
  return { lines: rows, speeds };
}

/** The MP3 encode speed target (issue 18: ≥ 50× real time in this node bench), naming the engine each figure came from. */
export function mp3SpeedTargetLine({ speeds }: { speeds: EncoderSpeed[] }): string {
  const speedOf = (prefix: string) => speeds.find((s) => s.id.startsWith(prefix))?.speed ?? NaN;
  const ours = speedOf('mp3 (tapedeck, LAME');
  const why = `mediabunny's LAME build ${speedOf("mp3 (mediabunny's").toFixed(1)}× in the same run; lamejs (the fallback where WebAssembly is forbidden) ${speedOf('mp3 (tapedeck, lamejs').toFixed(1)}×`;
  return `| tapedeck mp3, LAME 3.100 in WebAssembly (wasm-media-encoders), node, 44.1 kHz stereo 128 kbit/s: encodes ≥ 50× real time | ${ours.toFixed(1)} | ${ours >= 50 ? 'yes' : '**missed**'} | ${why} |`;
}
