import type { ByteSink } from '../encoders/worker-encoder';

/** Bytes gathered before they are sealed into a Blob: bounds what the worker's JS heap holds, and what stop copies. */
const SEAL_BYTES = 1 << 16;

/**
 * Keeps an encoded stream in memory as a list of Blobs. Appended bytes move out of the JS heap into Blob
 * storage every 64 KiB; writes over earlier bytes (a header's final sizes) are kept as patches and laid over
 * the stream when it is finished. The file is assembled from Blob references, so finishing it costs the same
 * however long the recording.
 */
export class MemorySink implements ByteSink {
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes already sealed into Blobs (the pending bytes start here). */
  private sealedBytes = 0;
  private emittedParts = 0;
  private readonly patches: Array<{ position: number; bytes: Uint8Array }> = [];
  /** Bytes in the stream so far. */
  bytes = 0;

  /** @param keep false for a live stream that is only handed out (by takeNew) and never finished. */
  constructor(private readonly keep = true) {}

  /** Appends `bytes`, or writes them over the stream at `position`. */
  write(bytes: Uint8Array, position = this.bytes): void {
    if (bytes.length === 0) return;
    if (position > this.bytes) throw new Error(`A write at ${position} would leave a gap after byte ${this.bytes}.`);
    const over = Math.min(bytes.length, this.bytes - position);
    if (over > 0) this.overwrite(position, bytes.subarray(0, over));
    if (over === bytes.length) return;
    const tail = over === 0 ? bytes : bytes.subarray(over);
    this.pending.push(tail);
    this.pendingBytes += tail.length;
    this.bytes += tail.length;
    if (this.pendingBytes >= SEAL_BYTES) this.seal();
  }

  /** The bytes appended since the previous call, as one Blob (for `data` events); null if none. Patches are not in it. */
  takeNew(): Blob | null {
    this.seal();
    if (this.emittedParts === this.parts.length) return null;
    const blob = new Blob(this.parts.slice(this.emittedParts));
    if (this.keep) this.emittedParts = this.parts.length;
    else this.parts = [];
    return blob;
  }

  /** The whole stream as one Blob, with every patch laid over it. */
  finish(mimeType: string): Blob {
    this.seal();
    let whole = new Blob(this.parts);
    for (const { position, bytes } of this.patches) {
      whole = new Blob([whole.slice(0, position), bytes as BlobPart, whole.slice(position + bytes.length)]);
    }
    return new Blob([whole], { type: mimeType });
  }

  /** Writes over bytes already in the stream: in place while they are still pending, else as a patch for finish(). */
  private overwrite(position: number, bytes: Uint8Array): void {
    if (position < this.sealedBytes) {
      this.patches.push({ position, bytes: bytes.slice() });
      return;
    }
    let offset = this.sealedBytes;
    let from = 0;
    for (const chunk of this.pending) {
      const start = Math.max(position, offset);
      const end = Math.min(position + bytes.length, offset + chunk.length);
      if (start < end) {
        chunk.set(bytes.subarray(start - position, end - position), start - offset);
        from += end - start;
      }
      offset += chunk.length;
      if (from === bytes.length) return;
    }
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending as BlobPart[]));
    this.sealedBytes += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
