import type { FileSink } from './sink';

/** startStream()'s sink: every write goes straight to the main thread (a `pcm` report); no file is kept. */
export class StreamSink implements FileSink {
  bytes = 0;

  constructor(private readonly post: (bytes: ArrayBuffer) => void) {}

  write(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    this.post((whole ? bytes : bytes.slice()).buffer as ArrayBuffer);
  }

  takeAppended(): null {
    return null;
  }

  progress(): void {}

  async readRange(): Promise<Blob> {
    throw new Error('startStream() keeps no file to read.');
  }

  async finish(mimeType: string): Promise<Blob> {
    return new Blob([], { type: mimeType });
  }

  async discard(): Promise<void> {}
}
