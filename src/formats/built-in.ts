/**
 * The formats tapedeck records itself, one descriptor each, and the Flet/Flutter `record` encoder names it answers
 * to (code ported from Flet can loop over its AudioEncoder values with isSupportedEncoder() and get a truthful
 * answer for each: false where no encoder exists here).
 */
import type { FormatDescriptor, FormatQuery } from './descriptor';
import { hasCapturePlatform, hasWebAssembly, hasWebCodecs, webCodecsEncodes } from './platform';

/** Every output format tapedeck records itself. */
export const KNOWN_ENCODERS = ['wav', 'pcm16', 'mp3', 'opus', 'aac', 'aac-he', 'flac'] as const;

/** The name of a built-in output format. */
export type EncoderId = (typeof KNOWN_ENCODERS)[number];

/** Containers for formats that have a choice: Opus in WebM (default) or Ogg. */
export const CONTAINERS = ['webm', 'ogg'] as const;

/** A container choice. */
export type Container = (typeof CONTAINERS)[number];

/** The rates MP3 (MPEG-1, 2 and 2.5 Layer III) stores. */
const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
/** The rates AAC stores (those of the MPEG-4 sampling frequency index tapedeck's encoders take). */
const AAC_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000];

type Spec = Omit<FormatDescriptor, 'aliases' | 'containers' | 'available' | 'supports'> &
  Partial<Pick<FormatDescriptor, 'aliases' | 'containers'>> & {
    /** Whether the APIs it needs exist (added to the capture pipeline's own). */
    available?(): boolean;
    supports?(query: FormatQuery): Promise<boolean>;
  };

function format(spec: Spec): FormatDescriptor {
  const available = spec.available ?? (() => true);
  return {
    aliases: [],
    containers: [],
    ...spec,
    available: () => hasCapturePlatform() && available(),
    supports: async (query) => hasCapturePlatform() && available() && (spec.supports ? spec.supports(query) : true),
  };
}

/** A name of Flet's that tapedeck has no encoder for: known, so the answer is a truthful no rather than an unknown name. */
function unencodable(id: string, mimeType: string, extension: string): FormatDescriptor {
  return format({ id, sampleRates: null, mimeType: () => mimeType, extension: () => extension, available: () => false });
}

/** The built-in formats (and Flet's names for those tapedeck cannot encode). */
export const BUILT_IN_FORMATS: readonly FormatDescriptor[] = [
  format({ id: 'wav', sampleRates: null, mimeType: () => 'audio/wav', extension: () => 'wav' }),
  format({
    id: 'pcm16',
    aliases: ['pcm16bits'],
    sampleRates: null,
    // Signed 16-bit little-endian, interleaved. (audio/L16 would promise big-endian.)
    mimeType: ({ sampleRate, channels }) => `audio/pcm;rate=${sampleRate};channels=${channels}`,
    extension: () => 'pcm',
  }),
  format({ id: 'mp3', sampleRates: MP3_RATES, mimeType: () => 'audio/mpeg', extension: () => 'mp3' }),
  format({
    id: 'opus',
    sampleRates: [8000, 12000, 16000, 24000, 48000],
    containers: CONTAINERS,
    mimeType: ({ container }) => (container === 'ogg' ? 'audio/ogg;codecs=opus' : 'audio/webm;codecs=opus'),
    extension: (container) => (container === 'ogg' ? 'ogg' : 'webm'),
    // The browser's encoder (WebCodecs); there is no WebAssembly one.
    available: hasWebCodecs,
    supports: (q) => webCodecsEncodes('opus', q.sampleRate, q.channels, q.bitRate),
  }),
  format({
    id: 'aac',
    aliases: ['aacLc'],
    sampleRates: AAC_RATES,
    mimeType: () => 'audio/mp4;codecs=mp4a.40.2',
    extension: () => 'm4a',
    // The browser's encoder where it has one, else FFmpeg's in WebAssembly.
    available: () => hasWebAssembly() || hasWebCodecs(),
    supports: async (q) => hasWebAssembly() || webCodecsEncodes('mp4a.40.2', q.sampleRate, q.channels, q.bitRate),
  }),
  format({
    id: 'aac-he',
    aliases: ['aacHe'],
    sampleRates: AAC_RATES,
    mimeType: () => 'audio/mp4;codecs=mp4a.40.5',
    extension: () => 'm4a',
    // HE-AAC only where the browser's WebCodecs encodes it (no WebAssembly encoder does).
    available: hasWebCodecs,
    supports: (q) => webCodecsEncodes('mp4a.40.5', q.sampleRate, q.channels, q.bitRate),
  }),
  // Always libFLAC in WebAssembly (Quirk #8: WebKit's WebCodecs FLAC encoder writes headers only).
  format({ id: 'flac', sampleRates: null, mimeType: () => 'audio/flac', extension: () => 'flac', available: hasWebAssembly }),
  unencodable('aacEld', 'audio/mp4;codecs=mp4a.40.39', 'm4a'),
  unencodable('amrNb', 'audio/amr', 'amr'),
  unencodable('amrWb', 'audio/amr-wb', 'awb'),
];
