/** Bytes gathered before they are sealed into a Blob: bounds what the worker's JS heap holds, and what stop copies. */
const SEAL_BYTES = 1 << 16;

/**
 * Keeps an encoded stream in memory as a list of Blobs. Bytes move out of the JS heap into Blob storage
 * every 64 KiB, so the finished file is assembled from Blob references: its cost does not grow with
 * the recording's length.
 */
export class MemorySink {
  private readonly parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private emittedParts = 0;
  /** Bytes written so far. */
  bytes = 0;

  /** Appends encoded bytes. */
  write(chunks: readonly Uint8Array[]): void {
    for (const chunk of chunks) {
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.bytes += chunk.length;
    }
    if (this.pendingBytes >= SEAL_BYTES) this.seal();
  }

  /** The bytes written since the previous call, as one Blob (for `data` events); null if none. */
  takeNew(): Blob | null {
    this.seal();
    if (this.emittedParts === this.parts.length) return null;
    const blob = new Blob(this.parts.slice(this.emittedParts));
    this.emittedParts = this.parts.length;
    return blob;
  }

  /** The whole stream as one Blob, with its first `header.length` bytes replaced by `header`. */
  finish(mimeType: string, header?: Uint8Array): Blob {
    this.seal();
    const whole = new Blob(this.parts);
    if (!header) return new Blob([whole], { type: mimeType });
    return new Blob([header as BlobPart, whole.slice(header.length)], { type: mimeType });
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
