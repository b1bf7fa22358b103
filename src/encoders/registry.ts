import { KNOWN_ENCODERS, type EncoderId } from './formats';
import { getPlugin, pluginIds } from './plugins';

/** Sample rates each format can store, in Hz; others are resampled to the nearest (null: any rate). */
const RATES: Record<EncoderId, readonly number[] | null> = {
  wav: null,
  pcm16: null,
  flac: null,
  mp3: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000],
  opus: [8000, 12000, 16000, 24000, 48000],
  aac: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
};

const isBuiltIn = (id: string): id is EncoderId => (KNOWN_ENCODERS as readonly string[]).includes(id);

/** The rate a file of format `id` gets when `requested` Hz is asked for: the nearest it can store (the higher on a tie). */
export function outputSampleRate(id: string, requested: number): number {
  const rates = isBuiltIn(id) ? RATES[id] : null;
  if (!rates) return requested;
  return rates.reduce((best, rate) => {
    const d = Math.abs(rate - requested) - Math.abs(best - requested);
    return d < 0 || (d === 0 && rate > best) ? rate : best;
  });
}

/** The MIME type of a finished recording in format `id` (a plugin's own, for plugins). */
export function mimeTypeFor(id: string, sampleRate: number, channels: number, container = 'webm'): string {
  if (!isBuiltIn(id)) return getPlugin(id)?.mimeType ?? 'application/octet-stream';
  switch (id) {
    case 'wav':
      return 'audio/wav';
    case 'pcm16':
      // Signed 16-bit little-endian, interleaved. (audio/L16 would promise big-endian.)
      return `audio/pcm;rate=${sampleRate};channels=${channels}`;
    case 'mp3':
      return 'audio/mpeg';
    case 'opus':
      return container === 'ogg' ? 'audio/ogg;codecs=opus' : 'audio/webm;codecs=opus';
    case 'aac':
      return 'audio/mp4;codecs=mp4a.40.2';
    case 'flac':
      return 'audio/flac';
  }
}

/** True when the platform has what the worklet-and-worker pipeline needs. */
export function hasCapturePlatform(): boolean {
  return (
    typeof globalThis.AudioContext === 'function' &&
    typeof globalThis.AudioWorkletNode === 'function' &&
    typeof globalThis.Worker === 'function' &&
    typeof globalThis.MessageChannel === 'function'
  );
}

const hasWebAssembly = () => typeof globalThis.WebAssembly === 'object';

async function webCodecsEncodes(codec: string, sampleRate: number, channels: number): Promise<boolean> {
  if (typeof globalThis.AudioEncoder !== 'function') return false;
  try {
    return (await AudioEncoder.isConfigSupported({ codec, sampleRate, numberOfChannels: channels })).supported === true;
  } catch {
    return false;
  }
}

/**
 * Whether format `id` can be recorded here with `channels` channels. Opus needs the browser's encoder (WebCodecs);
 * AAC uses the browser's where it has one and a WebAssembly encoder otherwise; FLAC is always WebAssembly (Quirk #8);
 * MP3 is WebAssembly, or JavaScript where that is forbidden.
 */
export async function isEncoderSupported(id: string, channels = 2, sampleRate = 48000, bitRate = 128_000): Promise<boolean> {
  if (!hasCapturePlatform()) return false;
  if (!isBuiltIn(id)) {
    const plugin = getPlugin(id);
    if (!plugin) return false;
    try {
      return (await (plugin.supports?.({ sampleRate, channels, bitRate }) ?? true)) === true;
    } catch {
      return false;
    }
  }
  switch (id) {
    case 'wav':
    case 'pcm16':
    case 'mp3':
      return true;
    case 'opus':
      return webCodecsEncodes('opus', 48000, channels);
    case 'aac':
      return hasWebAssembly() || webCodecsEncodes('mp4a.40.2', 48000, channels);
    case 'flac':
      return hasWebAssembly();
  }
}

/** A quick, synchronous form of {@link isEncoderSupported}: whether the APIs format `id` needs exist at all. */
export function hasEncoderPlatform(id: string): boolean {
  if (!hasCapturePlatform()) return false;
  if (!isBuiltIn(id)) return getPlugin(id) !== undefined;
  if (id === 'opus') return typeof globalThis.AudioEncoder === 'function';
  if (id === 'aac') return hasWebAssembly() || typeof globalThis.AudioEncoder === 'function';
  if (id === 'flac') return hasWebAssembly();
  return true;
}

/** The formats that {@link isEncoderSupported} accepts here. */
export async function supportedEncoders(channels = 2): Promise<string[]> {
  const ids = [...KNOWN_ENCODERS, ...pluginIds()];
  const answers = await Promise.all(ids.map((id) => isEncoderSupported(id, channels)));
  return ids.filter((_, i) => answers[i]);
}
