import { decodePcm } from './decode-pcm';

/** A finished recording: the file as a Blob, its Blob URL, and what it holds. */
export class Recording {
  /** Bytes of the file. */
  readonly size: number;
  /** MIME type of the file. */
  readonly mimeType: string;

  /**
   * @param blob the file
   * @param url a Blob URL of `blob`, valid until the recorder's clear() or dispose()
   * @param durationMs length of the audio, in milliseconds (from the sample count, not the wall clock)
   * @param sampleRate Hz of the file
   * @param channels channels in the file
   */
  constructor(
    readonly blob: Blob,
    readonly url: string,
    readonly durationMs: number,
    readonly sampleRate: number,
    readonly channels: number,
  ) {
    this.size = blob.size;
    this.mimeType = blob.type;
  }

  /** The file's bytes (for WAV, a complete RIFF file). */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.blob.arrayBuffer();
  }

  /** The decoded samples, one Float32Array per channel, at `sampleRate`. */
  pcm(): Promise<Float32Array[]> {
    return decodePcm(this.blob, this.sampleRate, this.channels);
  }
}
