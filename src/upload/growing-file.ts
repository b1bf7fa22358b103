/**
 * A take's file as tus-js-client reads it (its FileSource): while the take records, the bytes come from the file the
 * worker is writing (read on demand, never copied into a buffer here), and once it has ended, from the finished file.
 * Slices can be read again from any offset (a request retried after an outage), so nothing waits in memory but the
 * one chunk in flight: an outage costs no memory beyond the recording itself.
 */

/** What tus-js-client asks of a source (its FileSource interface). */
export interface TusSource {
  readonly size: number | null;
  slice(start: number, end: number): Promise<{ value: Blob | null; done: boolean }>;
  close(): void;
}

/** Reads bytes [start, end) of the take's file as written so far. */
export type RangeReader = (start: number, end: number) => Promise<Blob>;

/** See the module comment. */
export class GrowingFile implements TusSource {
  /** Unknown until the take ends (the upload's length is deferred). */
  readonly size = null;
  private available = 0;
  private file: Blob | null = null;
  private waiting: Array<() => void> = [];
  private signalEnd!: () => void;
  /** Resolves when the take has ended (end()). */
  readonly whenEnded = new Promise<void>((resolve) => (this.signalEnd = resolve));

  /** `read` gives ranges of the live file; null when the take has ended already (pass it to end()). */
  constructor(private readonly read: RangeReader | null) {}

  /** The take's file now holds `bytes` bytes. */
  grew(bytes: number): void {
    if (bytes <= this.available) return;
    this.available = bytes;
    this.wake();
  }

  /** The take has ended: `file` is all of it. */
  end(file: Blob): void {
    this.file = file;
    this.available = file.size;
    this.wake();
    this.signalEnd();
  }

  /** Whether the take has ended. */
  get ended(): boolean {
    return this.file !== null;
  }

  async slice(start: number, end: number): Promise<{ value: Blob | null; done: boolean }> {
    while (!this.file && this.available < end) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.file) {
      const value = this.file.slice(start, Math.min(end, this.file.size));
      return { value: value.size > 0 ? value : null, done: end >= this.file.size };
    }
    try {
      return { value: await this.read!(start, end), done: false };
    } catch (error) {
      // The take ended while the range was being read (its worker is gone): the finished file, handed over in a
      // moment, has the bytes.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.file) return this.slice(start, end);
      throw error;
    }
  }

  close(): void {}

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
