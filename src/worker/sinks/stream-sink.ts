import type { FileSink } from './sink';

/** startStream()'s sink: every write goes straight to the main thread (a `pcm` report); no file is kept. */
export class StreamSink implements FileSink {
  bytes = 0;

  constructor(private readonly post: (bytes: ArrayBuffer) => void) {}

  write(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    // A copy, transferred: the caller's array is its own again (sink.ts).
    this.post(bytes.slice().buffer);
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
