/**
 * Where a take's bytes go in the encoder worker. Encoders see a ByteSink; the take sees the FileSink it writes its
 * file to (memory, OPFS, or the startStream() stream), so it needs no knowledge of which one it has.
 */

/** Where an encoder writes its bytes: appended at the end, or over bytes already written (a header's sizes). */
export interface ByteSink {
  /**
   * Writes `bytes` at `position` (the end of the stream when omitted). The bytes are the caller's again when write()
   * returns (a sink that keeps them keeps a copy), so that an encoder may reuse one array for every chunk.
   */
  write(bytes: Uint8Array, position?: number): void;
}

/** A take's file: written as the take is encoded, finished once. */
export interface FileSink extends ByteSink {
  /** Bytes in the file so far. */
  readonly bytes: number;
  /**
   * The bytes appended since the previous call, as one Blob (writes over earlier bytes left out), or null if there
   * are none: the take's live stream (`data` chunks, the upload), when that stream is the file's own bytes.
   */
  takeAppended(): Blob | null;
  /** The output frames the file holds now (kept in OPFS's journal, for recovery). */
  progress(frames: number): void;
  /** Bytes [start, end) of the file as written so far (an upload reads the take's file this way, not a copy of it). */
  readRange(start: number, end: number): Promise<Blob>;
  /** The finished file; `uploading` when its upload is not done yet (recovery then offers it, see Journal). */
  finish(mimeType: string, uploading?: boolean): Promise<Blob>;
  /** Ends the take without a file: closes what it holds open and deletes what it wrote. */
  discard(): Promise<void>;
}
