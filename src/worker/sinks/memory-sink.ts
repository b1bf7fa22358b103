import type { FileSink } from './sink';

/**
 * Bytes gathered before they are sealed into a Blob: at least 64 KiB, then an eighth of the stream so far, at most
 * 4 MiB. The worker's JS heap holds no more than that, and the file is made of few Blobs (~40 for a minute of WAV,
 * ~70 for ten): assembling it at stop costs per Blob (each is an item the browser's blob registry copies).
 */
const MIN_SEAL_BYTES = 1 << 16;
const MAX_SEAL_BYTES = 1 << 22;
/** The stream's first bytes stay in the JS heap until it is finished: a header's final sizes are written there in place. */
const HEAD_BYTES = 4096;

/**
 * Keeps an encoded stream in memory as a list of Blobs. Appended bytes move out of the JS heap into Blob storage
 * every 64 KiB or more, except the first 4 KiB (the head), which stay an array: a header's final sizes are written
 * over it in place. Writes over other earlier bytes are kept as patches and laid over the stream when it is finished.
 * Finishing makes one Blob of the head, Blob references and the last pending bytes — one blob construction at stop,
 * whatever the recording's length.
 */
export class MemorySink implements FileSink {
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headBytes = 0;
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes sealed into Blobs (they follow the head; the pending bytes follow them). */
  private sealedBytes = 0;
  private emittedHead = 0;
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
    let tail = bytes.subarray(over);
    if (this.headBytes < HEAD_BYTES) {
      // Nothing follows the head until it is full.
      const n = Math.min(HEAD_BYTES - this.headBytes, tail.length);
      this.head.set(tail.subarray(0, n), this.headBytes);
      this.headBytes += n;
      this.bytes += n;
      tail = tail.subarray(n);
    }
    if (tail.length === 0) return;
    this.pending.push(tail);
    this.pendingBytes += tail.length;
    this.bytes += tail.length;
    if (this.pendingBytes >= Math.min(MAX_SEAL_BYTES, Math.max(MIN_SEAL_BYTES, this.sealedBytes >> 3))) this.seal();
  }

  /**
   * The bytes appended since the previous call, as one Blob (for `data` events); null if none. Patches are not in
   * it (a head byte written over before it was first handed out goes out as written over).
   */
  takeAppended(): Blob | null {
    this.seal();
    const items: BlobPart[] = [];
    if (this.emittedHead < this.headBytes) items.push(this.head.slice(this.emittedHead, this.headBytes));
    this.emittedHead = this.headBytes;
    items.push(...this.parts.slice(this.emittedParts));
    if (this.keep) this.emittedParts = this.parts.length;
    else this.parts = [];
    return items.length === 0 ? null : new Blob(items);
  }

  /** Memory keeps no journal. */
  progress(): void {}

  /** The stream as appended so far, in order: the head, the sealed Blobs, the pending arrays. */
  private pieces(): Array<Blob | Uint8Array> {
    return [this.head.subarray(0, this.headBytes), ...this.parts, ...this.pending];
  }

  /** Bytes [start, end) of the stream as appended (patches not laid over: an upload's file has none). */
  async readRange(start: number, end: number): Promise<Blob> {
    const pieces: BlobPart[] = [];
    let at = 0;
    for (const part of this.pieces()) {
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
    // The stream as a list of pieces, each patch cut in where it lands; then one Blob of them all.
    let pieces: Array<{ start: number; end: number; part: Blob | Uint8Array; offset: number }> = [];
    let at = 0;
    for (const part of this.pieces()) {
      const size = part instanceof Blob ? part.size : part.length;
      if (size > 0) pieces.push({ start: at, end: at + size, part, offset: 0 });
      at += size;
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
    const items = pieces.map(({ start, end, part, offset }) => {
      const length = end - start;
      if (part instanceof Blob) return offset === 0 && length === part.size ? part : part.slice(offset, offset + length);
      return part.subarray(offset, offset + length);
    });
    return new Blob(items as BlobPart[], { type: mimeType });
  }

  /**
   * Writes over bytes already in the stream: in place in the head and in the pending arrays, as a patch for finish()
   * over sealed bytes.
   */
  private overwrite(position: number, bytes: Uint8Array): void {
    if (position < this.headBytes) {
      const n = Math.min(bytes.length, this.headBytes - position);
      this.head.set(bytes.subarray(0, n), position);
      if (n === bytes.length) return;
      position += n;
      bytes = bytes.subarray(n);
    }
    if (position < this.headBytes + this.sealedBytes) {
      this.patches.push({ position, bytes: bytes.slice() });
      return;
    }
    let offset = this.headBytes + this.sealedBytes;
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
