/**
 * The worker side of an encoder: turns planar PCM at the output rate into bytes, as it arrives, writing them to
 * the sink it was created with. Methods may return promises; the worker awaits each call before the next.
 */
export interface WorkerEncoder {
  /** Encodes `frames` frames of planar PCM (one Float32Array per channel). */
  encode(planar: readonly Float32Array[], frames: number): void | Promise<void>;
  /** Ends the stream: writes what is still buffered, and rewrites whatever headers need the final sizes. */
  finish(): void | Promise<void>;
  /** How many frames fit in a file of `bytes` bytes (an estimate for compressed formats, never above it). */
  framesWithin(bytes: number): number;
}

/** What an encoder needs to know about the stream it encodes. */
export interface WorkerEncoderConfig {
  /** Output Hz. */
  sampleRate: number;
  channels: number;
  /** Bits per second, for compressed formats. */
  bitRate: number;
  /** Container, where a format has a choice (opus: 'webm' or 'ogg'). */
  container: string;
  /** The take is persisted for crash recovery: write data out early (short WebM clusters) so little is lost. */
  crashSafe?: boolean;
  /** Never rewrite written bytes (headers keep their "size unknown" values; no MP3 Info frame). */
  appendOnly?: boolean;
}
