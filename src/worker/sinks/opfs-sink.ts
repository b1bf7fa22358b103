import type { FileSink } from './sink';
import { MemorySink } from './memory-sink';
import { discardFiles, JOURNAL_SLOTS, journalName, opfsFolder, type Journal } from './opfs-store';

/** How often the journal is rewritten (and the data flushed to disk), in ms. */
const JOURNAL_INTERVAL_MS = 500;

/** The parts of FileSystemSyncAccessHandle (dedicated workers only; not in TypeScript's DOM lib) used here. */
interface SyncHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

const openSyncHandle = (file: FileSystemFileHandle) =>
  (file as unknown as { createSyncAccessHandle(): Promise<SyncHandle> }).createSyncAccessHandle();

/**
 * Writes a take to OPFS as it is encoded (in the encoder worker, through synchronous access handles), with a
 * journal that recovery reads after a crash, written to its two slots in turn (a crash while one is written leaves
 * the other). The finished file is a file-backed Blob: memory stays flat however long the take. If a write fails
 * (quota), the take goes on in memory from a copy of what was written, and what is on disk stays there, recoverable:
 * `onFallback` says so. OPFS cannot hand out what it wrote as Blobs: with `keepAppends`, the appended bytes are also
 * kept in memory until takeAppended() hands them out (the take's live stream).
 */
export class OpfsSink implements FileSink {
  private memory: MemorySink | null = null;
  private readonly appended: MemorySink | null;
  private lastJournal = 0;
  private frames = 0;
  /** Bytes in the stream so far. */
  bytes = 0;

  private constructor(
    private readonly data: SyncHandle,
    private readonly journalSlots: SyncHandle[],
    private readonly file: FileSystemFileHandle,
    private readonly journal: Journal,
    private readonly onFallback: (message: string) => void,
    keepAppends: boolean,
  ) {
    this.appended = keepAppends ? new MemorySink(false, 0) : null; // handed out, never written back over
  }

  /** Opens `<id>.bin` and `<id>.json` for writing. */
  static async open(journal: Journal, onFallback: (message: string) => void, keepAppends: boolean): Promise<OpfsSink> {
    const folder = await opfsFolder();
    const file = await folder.getFileHandle(`${journal.id}.bin`, { create: true });
    const data = await openSyncHandle(file);
    const slots = await Promise.all(JOURNAL_SLOTS.map(async (slot) => openSyncHandle(await folder.getFileHandle(journalName(journal.id, slot), { create: true }))));
    const sink = new OpfsSink(data, slots, file, journal, onFallback, keepAppends);
    sink.writeJournal();
    return sink;
  }

  write(bytes: Uint8Array, position = this.bytes): void {
    // The part past the end so far is appended (the rest writes over earlier bytes: not the live stream's).
    if (this.appended && position + bytes.length > this.bytes) this.appended.write(bytes.subarray(Math.max(0, this.bytes - position)));
    this.store(bytes, position);
  }

  private store(bytes: Uint8Array, position: number): void {
    if (this.memory) {
      this.memory.write(bytes, position);
      this.bytes = this.memory.bytes;
      return;
    }
    try {
      this.data.write(bytes, { at: position });
    } catch (error) {
      this.fallBack(error);
      this.store(bytes, position);
      return;
    }
    this.bytes = Math.max(this.bytes, position + bytes.length);
    if (Date.now() - this.lastJournal >= JOURNAL_INTERVAL_MS) this.writeJournal();
  }

  takeAppended(): Blob | null {
    return this.appended?.takeAppended() ?? null;
  }

  progress(frames: number): void {
    this.frames = frames;
  }

  async readRange(start: number, end: number): Promise<Blob> {
    if (this.memory) return this.memory.readRange(start, end);
    const bytes = new Uint8Array(Math.max(0, Math.min(end, this.bytes) - start));
    this.data.read(bytes, { at: start });
    return new Blob([bytes]);
  }

  async discard(): Promise<void> {
    this.close();
    await discardFiles(this.journal.id);
  }

  private closed = false;

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handle of [this.data, ...this.journalSlots]) handle.close();
  }

  /**
   * The whole file as a Blob (file-backed when it stayed in OPFS); the journal then says 'stopped', or 'uploading'
   * while the take's upload is not done (the file stays for recovery until the main thread settles it).
   */
  async finish(mimeType: string, uploading = false): Promise<Blob> {
    this.journal.status = uploading ? 'uploading' : 'stopped';
    if (this.memory) {
      // What is on disk was only a crash copy: the take finished, in memory.
      this.writeJournal();
      this.close();
      return this.memory.finish(mimeType);
    }
    this.writeJournal();
    this.close();
    return new Blob([await this.file.getFile()], { type: mimeType });
  }

  /** Flushes the data and writes the journal to the older slot. Never throws: a journal that cannot be written waits for the next. */
  private writeJournal(): void {
    this.lastJournal = Date.now();
    try {
      if (!this.memory) {
        this.data.flush();
        this.journal.bytes = this.bytes;
        this.journal.frames = this.frames;
      }
      this.journal.seq = (this.journal.seq ?? 0) + 1;
      const slot = this.journalSlots[this.journal.seq % this.journalSlots.length]!;
      const text = new TextEncoder().encode(JSON.stringify(this.journal));
      slot.truncate(0);
      slot.write(text, { at: 0 });
      slot.flush();
    } catch {
      // Quota: the slot written before this one still holds a readable journal.
    }
  }

  /**
   * A write failed (quota): the take goes on in memory from a copy of what was written. The disk keeps that part,
   * with its journal, so a crash later still recovers it; the journal's counts stay those of the disk.
   */
  private fallBack(error: unknown): void {
    this.writeJournal();
    const memory = new MemorySink();
    const copy = new Uint8Array(this.bytes);
    this.data.read(copy, { at: 0 });
    memory.write(copy);
    this.memory = memory;
    this.onFallback(
      `Writing to the Origin Private File System failed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); the recording goes on in memory, ` +
        `and only its first ${(this.bytes / 1e6).toFixed(1)} MB are safe from a crash.`,
    );
  }
}
