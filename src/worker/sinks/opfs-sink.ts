import type { FileSink } from './sink';
import { MemorySink } from './memory-sink';
import { discardFiles, opfsFolder, type Journal } from './opfs-store';

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
 * journal that recovery reads after a crash. The finished file is a file-backed Blob: memory stays flat however
 * long the take. If a write fails (quota), everything written so far is read back into memory and the take goes on
 * there: `onFallback` says so. OPFS cannot hand out what it wrote as Blobs: with `keepAppends`, the appended bytes
 * are also kept in memory until takeAppended() hands them out (the take's live stream).
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
    private readonly journalHandle: SyncHandle,
    private readonly file: FileSystemFileHandle,
    private readonly journal: Journal,
    private readonly onFallback: (message: string) => void,
    keepAppends: boolean,
  ) {
    this.appended = keepAppends ? new MemorySink(false) : null;
  }

  /** Opens `<id>.bin` and `<id>.json` for writing. */
  static async open(journal: Journal, onFallback: (message: string) => void, keepAppends: boolean): Promise<OpfsSink> {
    const folder = await opfsFolder();
    const file = await folder.getFileHandle(`${journal.id}.bin`, { create: true });
    const data = await openSyncHandle(file);
    const journalFile = await folder.getFileHandle(`${journal.id}.json`, { create: true });
    const journalHandle = await openSyncHandle(journalFile);
    const sink = new OpfsSink(data, journalHandle, file, journal, onFallback, keepAppends);
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

  async discard(): Promise<void> {
    if (!this.memory) {
      this.data.close();
      this.journalHandle.close();
    }
    await discardFiles(this.journal.id);
  }

  /** The whole file as a Blob (file-backed when it stayed in OPFS); the journal then says 'stopped'. */
  async finish(mimeType: string): Promise<Blob> {
    if (this.memory) return this.memory.finish(mimeType);
    this.journal.status = 'stopped';
    this.writeJournal();
    this.data.close();
    this.journalHandle.close();
    return new Blob([await this.file.getFile()], { type: mimeType });
  }

  private writeJournal(): void {
    this.data.flush();
    this.journal.bytes = this.bytes;
    this.journal.frames = this.frames;
    const text = new TextEncoder().encode(JSON.stringify(this.journal));
    this.journalHandle.truncate(0);
    this.journalHandle.write(text, { at: 0 });
    this.journalHandle.flush();
    this.lastJournal = Date.now();
  }

  private fallBack(error: unknown): void {
    const memory = new MemorySink();
    const copy = new Uint8Array(this.bytes);
    this.data.read(copy, { at: 0 });
    memory.write(copy);
    this.memory = memory;
    this.data.close();
    this.journalHandle.close();
    void discardFiles(this.journal.id).catch(() => undefined);
    this.onFallback(`Writing to the Origin Private File System failed (${error instanceof Error ? error.message : String(error)}); the recording goes on in memory and is no longer crash-safe.`);
  }
}
