/** The worker side of an encoder: turns planar PCM at the output rate into bytes, as it arrives. */
export interface WorkerEncoder {
  /** Encodes `frames` frames of planar PCM; returns the bytes ready now (possibly none). */
  encode(planar: readonly Float32Array[], frames: number): Uint8Array[];
  /**
   * Ends the stream: returns the last bytes, and optionally a `header` that replaces the first
   * `header.length` bytes already written (a WAV's sizes, an MP3's Xing frame).
   */
  finish(): { chunks: Uint8Array[]; header?: Uint8Array };
  /** How many frames fit in a file of `bytes` bytes, so that a size bound is kept to the frame. */
  framesWithin(bytes: number): number;
}

/** What an encoder needs to know about the stream it encodes. */
export interface WorkerEncoderConfig {
  /** Output Hz. */
  sampleRate: number;
  channels: number;
  /** Bits per second, for compressed formats. */
  bitRate: number;
}
