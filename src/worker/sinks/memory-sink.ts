import type { FileSink } from './sink';

/**
 * Bytes gathered before they are sealed into a Blob: at least 64 KiB, then an eighth of the stream so far, at most
 * 4 MiB. The worker's JS heap holds no more than that, and the file is made of few Blobs (~40 for a minute of WAV,
 * ~70 for ten): assembling it at stop costs per Blob (each is an item the browser's blob registry copies).
 */
const MIN_SEAL_BYTES = 1 << 16;
const MAX_SEAL_BYTES = 1 << 22;

/**
 * Keeps an encoded stream in memory as a list of Blobs. Appended bytes move out of the JS heap into Blob
 * storage every 64 KiB; writes over earlier bytes (a header's final sizes) are kept as patches and laid over
 * the stream when it is finished. The file is assembled from Blob references, so finishing it costs the same
 * however long the recording.
 */
export class MemorySink implements FileSink {
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes already sealed into Blobs (the pending bytes start here). */
  private sealedBytes = 0;
  private emittedParts = 0;
  private readonly patches: Array<{ position: number; bytes: Uint8Array }> = [];
  /** Bytes in the stream so far. */
  bytes = 0;

  /** @param keep false for a live stream that is only handed out (by takeAppended) and never finished. */
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
    if (this.pendingBytes >= Math.min(MAX_SEAL_BYTES, Math.max(MIN_SEAL_BYTES, this.sealedBytes >> 3))) this.seal();
  }

  /** The bytes appended since the previous call, as one Blob (for `data` events); null if none. Patches are not in it. */
  takeAppended(): Blob | null {
    this.seal();
    if (this.emittedParts === this.parts.length) return null;
    const blob = new Blob(this.parts.slice(this.emittedParts));
    if (this.keep) this.emittedParts = this.parts.length;
    else this.parts = [];
    return blob;
  }

  /** Memory keeps no journal. */
  progress(): void {}

  /** Bytes [start, end) of the stream as appended (patches not laid over: an upload's file has none). */
  async readRange(start: number, end: number): Promise<Blob> {
    const pieces: BlobPart[] = [];
    let at = 0;
    for (const part of [...this.parts, ...this.pending]) {
      const size = part instanceof Blob ? part.size : part.length;
      const from = Math.max(start, at);
      const to = Math.min(end, at + size);
      if (from < to) pieces.push(part.slice(from - at, to - at) as BlobPart);
      at += size;
      if (at >= end) break;
    }
    return new Blob(pieces);
  }

  /** Nothing to delete: the bytes go with the sink. */
  async discard(): Promise<void> {
    this.parts = [];
    this.pending = [];
  }

  /** The whole stream as one Blob, with every patch laid over it (later patches over earlier ones). */
  async finish(mimeType: string): Promise<Blob> {
    return this.assemble(mimeType);
  }

  /** The whole stream as one Blob, at once (see finish()). */
  assemble(mimeType: string): Blob {
    this.seal();
    // The stream as a list of pieces, each patch cut in where it lands; then one Blob of them all.
    let pieces: Array<{ start: number; end: number; part: Blob | Uint8Array; offset: number }> = [];
    let at = 0;
    for (const part of this.parts) {
      pieces.push({ start: at, end: at + part.size, part, offset: 0 });
      at += part.size;
    }
    for (const { position, bytes } of this.patches) {
      const end = position + bytes.length;
      const next: typeof pieces = [];
      for (const piece of pieces) {
        if (piece.end <= position || piece.start >= end) {
          next.push(piece);
          continue;
        }
        if (piece.start < position) next.push({ ...piece, end: position });
        if (piece.start <= position) next.push({ start: position, end, part: bytes, offset: 0 });
        if (piece.end > end) next.push({ ...piece, start: end, offset: piece.offset + (end - piece.start) });
      }
      pieces = next;
    }
    const items = pieces.map(({ start, end, part, offset }) =>
      offset === 0 && end - start === (part instanceof Blob ? part.size : part.length) ? part : part.slice(offset, offset + end - start),
    );
    return new Blob(items as BlobPart[], { type: mimeType });
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
