import type { FileSink } from './sink';

/**
 * Bytes gathered before they are sealed into a Blob (beyond the kept-back bytes below). Two costs pull apart here
 * (Chromium 156, 2 cores, 3 fresh browsers per figure):
 * - At stop the pending bytes become the file's last Blob item, and the first Blob of bytes takes time in proportion
 *   to them (184 KB: 7–12 ms; the same bytes again 2–5 ms). A 10 s WAV stopped in 16.0 ms with 256 KiB seals,
 *   9.8 ms with 32 KiB or 64 KiB seals.
 * - Each Blob made of bytes in a worker costs the page's main thread too (Chromium counts live byte providers there,
 *   as tasks posted to it; the figures fit ~0.15 ms, one wake-up, per seal): a WAV take's main thread was busy
 *   1.0–1.1 ms per recorded second with 256 KiB seals, 1.7–2.0 with 32 KiB, 1.3 with 64 KiB.
 * 64 KiB: ~3 seals a second of 44.1 kHz stereo WAV, one every 4 s of 128 kbit/s MP3.
 */
const SEAL_BYTES = 1 << 16;
/** The stream's first bytes stay in the JS heap until it is finished: a header's final sizes are written there in place. */
export const HEAD_BYTES = 4096;
/**
 * Sealed Blobs are merged this many at a time, in levels: eight seals into one Blob, eight of those into one of the
 * next level, and so on. Making a Blob costs per item (Chromium, in a worker: ~0.2 ms per array, less per Blob, over
 * a fixed ~1–4 ms round trip to the browser's blob registry), so the file made at stop is kept to a few items: the
 * head, at most seven Blobs per level (five levels after an hour of WAV), the pending bytes as one array. The
 * browser lists every sealed piece of a merged Blob again, so merging all into one each time would cost in
 * proportion to the length so far, at every merge; by levels, each piece is listed again once per level.
 */
const MERGE_PARTS = 8;
/**
 * For an encoder that writes back over what it has just written (WebM's cluster sizes, once each ~1 s cluster is
 * complete), the last bytes written stay in the JS heap when the rest is sealed, so that such a write lands in place
 * instead of becoming a patch that finish() must cut into a sealed Blob.
 */
export const MUXER_KEEP_BACK_BYTES = 1 << 16;

/** A piece of the stream: bytes [start, end) are `part`'s, from `offset` in it. */
interface Piece {
  start: number;
  end: number;
  part: Blob | Uint8Array;
  offset: number;
}

/**
 * Keeps an encoded stream in memory as a few Blobs. Appended bytes are gathered in one array and move out of the JS
 * heap into Blob storage every 64 KiB, except the first 4 KiB (the head), which stay an array: a header's final
 * sizes are written over it in place; and, for a muxer that writes back, the last 64 KiB, where its write-backs land
 * in place too. Writes over other earlier bytes are kept as patches and laid over the stream when it is finished.
 * Finishing makes one Blob of a few Blobs and arrays, whatever the recording's length.
 */
export class MemorySink implements FileSink {
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headBytes = 0;
  /** Sealed Blobs by level (see MERGE_PARTS): a higher level holds older bytes; within one, in order. */
  private levels: Blob[][] = [];
  /** Bytes sealed into `levels` (they follow the head; the pending bytes follow them), and those let go (keep: false). */
  private sealedBytes = 0;
  private droppedBytes = 0;
  private pending: Uint8Array<ArrayBuffer>;
  private pendingBytes = 0;
  /** Bytes handed out by takeAppended(). */
  private emitted = 0;
  private readonly patches: Array<{ position: number; bytes: Uint8Array }> = [];
  /** Bytes in the stream so far. */
  bytes = 0;

  /**
   * @param keep false for a live stream that is only handed out (by takeAppended) and never finished.
   * @param keepBack the last bytes kept out of Blob storage: 0 for an encoder that writes over its header only.
   */
  constructor(
    private readonly keep = true,
    private readonly keepBack = MUXER_KEEP_BACK_BYTES,
  ) {
    this.pending = new Uint8Array(keepBack + SEAL_BYTES);
  }

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
    if (this.pendingBytes + tail.length > this.pending.length) {
      const grown = new Uint8Array(Math.max(this.pending.length * 2, this.pendingBytes + tail.length));
      grown.set(this.pending.subarray(0, this.pendingBytes));
      this.pending = grown;
    }
    this.pending.set(tail, this.pendingBytes);
    this.pendingBytes += tail.length;
    this.bytes += tail.length;
    if (this.pendingBytes >= this.keepBack + SEAL_BYTES) this.seal();
  }

  /**
   * The bytes appended since the previous call, as one Blob (for `data` events); null if none. Patches are not in
   * it (a head byte written over before it was first handed out goes out as written over).
   */
  takeAppended(): Blob | null {
    if (this.emitted === this.bytes) return null;
    const blob = this.range(this.emitted, this.bytes);
    this.emitted = this.bytes;
    if (!this.keep) {
      // Handed out and never finished: the sealed bytes can go.
      this.droppedBytes += this.sealedBytes;
      this.sealedBytes = 0;
      this.levels = [];
    }
    return blob;
  }

  /** Memory keeps no journal. */
  progress(): void {}

  /** Bytes [start, end) of the stream as appended (patches not laid over: an upload's file has none). */
  async readRange(start: number, end: number): Promise<Blob> {
    return this.range(start, end);
  }

  /** Nothing to delete: the bytes go with the sink. */
  async discard(): Promise<void> {
    this.levels = [];
    this.pending = new Uint8Array(0);
    this.pendingBytes = 0;
  }

  /** The whole stream as one Blob, with every patch laid over it (later patches over earlier ones). */
  async finish(mimeType: string): Promise<Blob> {
    return this.assemble(mimeType);
  }

  /** The whole stream as one Blob, at once (see finish()). */
  assemble(mimeType: string): Blob {
    // The stream as a list of pieces, each patch cut in where it lands; then one Blob of them all.
    let pieces = this.pieces();
    for (const { position, bytes } of this.patches) {
      const end = position + bytes.length;
      const next: Piece[] = [];
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
    return new Blob(pieces.map(itemOf), { type: mimeType });
  }

  /** The stream as appended (and not let go), in order: the head, the sealed Blobs, the pending bytes. */
  private pieces(): Piece[] {
    const pieces: Piece[] = [];
    let at = this.droppedBytes > 0 ? this.headBytes + this.droppedBytes : 0;
    const add = (part: Blob | Uint8Array) => {
      const size = part instanceof Blob ? part.size : part.length;
      if (size > 0) pieces.push({ start: at, end: at + size, part, offset: 0 });
      at += size;
    };
    if (this.droppedBytes === 0) add(this.head.subarray(0, this.headBytes));
    for (let level = this.levels.length - 1; level >= 0; level--) this.levels[level]!.forEach(add);
    add(this.pending.subarray(0, this.pendingBytes));
    return pieces;
  }

  /** Bytes [start, end) as one Blob. */
  private range(start: number, end: number): Blob {
    const items: BlobPart[] = [];
    for (const piece of this.pieces()) {
      const from = Math.max(start, piece.start);
      const to = Math.min(end, piece.end);
      if (from < to) items.push(itemOf({ ...piece, start: from, end: to, offset: piece.offset + (from - piece.start) }));
    }
    return new Blob(items);
  }

  /**
   * Writes over bytes already in the stream: in place in the head and in the pending bytes, as a patch for finish()
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
    const pendingStart = this.headBytes + this.droppedBytes + this.sealedBytes;
    if (position < pendingStart) {
      const n = Math.min(bytes.length, pendingStart - position);
      this.patches.push({ position, bytes: bytes.slice(0, n) });
      if (n === bytes.length) return;
      position += n;
      bytes = bytes.subarray(n);
    }
    this.pending.set(bytes, position - pendingStart);
  }

  /** Moves the pending bytes but the last `keepBack` into a Blob. */
  private seal(): void {
    const sealing = this.pendingBytes - this.keepBack;
    if (sealing <= 0) return;
    this.merge(0, new Blob([this.pending.subarray(0, sealing)]));
    this.sealedBytes += sealing;
    this.pending.copyWithin(0, sealing, this.pendingBytes);
    this.pendingBytes -= sealing;
  }

  /** Adds `blob` to `level`, and a full level, merged into one Blob, to the next (off the stop's path). */
  private merge(level: number, blob: Blob): void {
    const blobs = (this.levels[level] ??= []);
    blobs.push(blob);
    if (blobs.length < MERGE_PARTS) return;
    this.levels[level] = [];
    this.merge(level + 1, new Blob(blobs));
  }
}

/** A piece as a Blob item: the Blob (or its slice), or the array's bytes (a Blob copies them as it is made). */
function itemOf({ start, end, part, offset }: Piece): BlobPart {
  const length = end - start;
  if (part instanceof Blob) return offset === 0 && length === part.size ? part : part.slice(offset, offset + length);
  return part.subarray(offset, offset + length) as Uint8Array<ArrayBuffer>;
}
