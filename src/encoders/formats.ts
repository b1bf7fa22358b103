/** Every output format tapedeck records itself. */
export const KNOWN_ENCODERS = ['wav', 'pcm16', 'mp3', 'opus', 'aac', 'flac'] as const;

/** The name of a built-in output format. */
export type EncoderId = (typeof KNOWN_ENCODERS)[number];

/** Containers for formats that have a choice: Opus in WebM (default) or Ogg. */
export const CONTAINERS = ['webm', 'ogg'] as const;

/** A container choice. */
export type Container = (typeof CONTAINERS)[number];

const EXTENSIONS: Array<[RegExp, string]> = [
  [/webm/, 'webm'],
  [/ogg/, 'ogg'],
  [/wav/, 'wav'],
  [/mpeg/, 'mp3'],
  [/mp4/, 'm4a'],
  [/flac/, 'flac'],
  [/pcm/, 'pcm'],
];

/** The file name extension for a recording of `mimeType` ('bin' for a type tapedeck does not write). */
export function fileExtension(mimeType: string): string {
  return EXTENSIONS.find(([pattern]) => pattern.test(mimeType))?.[1] ?? 'bin';
}
