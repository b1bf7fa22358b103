/** Every output format tapedeck knows by name. */
export const KNOWN_ENCODERS = ['wav', 'pcm16', 'mp3', 'opus', 'aac', 'flac'] as const;

/** The name of an output format. */
export type EncoderId = (typeof KNOWN_ENCODERS)[number];

/** The formats this build can record (the others arrive with the formats work; see the README). */
export const BUILT_IN_ENCODERS: readonly EncoderId[] = ['wav', 'pcm16'];

/** The MIME type of a finished recording in format `id`. */
export function mimeTypeFor(id: EncoderId, sampleRate: number, channels: number): string {
  switch (id) {
    case 'wav':
      return 'audio/wav';
    case 'pcm16':
      // Signed 16-bit little-endian, interleaved. (audio/L16 would promise big-endian.)
      return `audio/pcm;rate=${sampleRate};channels=${channels}`;
    default:
      return 'application/octet-stream';
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

/** True when format `id` can be recorded here. */
export function isEncoderAvailable(id: string): boolean {
  return (BUILT_IN_ENCODERS as readonly string[]).includes(id) && hasCapturePlatform();
}
