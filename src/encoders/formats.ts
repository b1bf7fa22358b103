/** Every output format tapedeck records itself. */
export const KNOWN_ENCODERS = ['wav', 'pcm16', 'mp3', 'opus', 'aac', 'flac'] as const;

/** The name of a built-in output format. */
export type EncoderId = (typeof KNOWN_ENCODERS)[number];

/** Containers for formats that have a choice: Opus in WebM (default) or Ogg. */
export const CONTAINERS = ['webm', 'ogg'] as const;

/** A container choice. */
export type Container = (typeof CONTAINERS)[number];
