/**
 * A persisted take's files (persist: 'opfs') as the main thread holds them: their id, the Web Lock that tells
 * recovery in any tab to leave them alone while they are live, and whether the server has the take yet. The worker
 * writes and deletes the files themselves.
 */
import { TapedeckError } from '../errors';
import { askWorker } from '../threads/worker-job';
import { takeLockName } from '../worker/protocol';

/** How long deleting (or settling) a take's files may take. */
const FILES_JOB_TIMEOUT_MS = 10_000;

/** Holds the Web Lock `name` until the returned function is called (a no-op where Web Locks are missing). */
function holdLock(name: string): Promise<() => void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return Promise.resolve(() => undefined);
  return new Promise((granted, refused) => {
    locks.request(name, () => new Promise<void>((release) => granted(release))).catch((error: unknown) =>
      refused(new TapedeckError('unsupported-browser', `The Web Lock that guards a crash-safe take was refused (${String(error)}); record without persist: 'opfs'.`, error)),
    );
  });
}

/** A persisted take's files. */
export class TakeFiles {
  /** Epoch ms when the take started. */
  readonly startedAt = Date.now();
  /** Resolves when the take's upload ends: true once the server has every byte, false if it failed; null when not uploaded. */
  private uploadEnd: Promise<boolean> | null = null;
  private decide: (serverHasIt: boolean) => void = () => undefined;
  /** The server has every byte (the take's upload, or a later resumeUpload()). */
  private serverHasIt = false;

  private constructor(
    private readonly workerUrl: string | undefined,
    readonly id: string,
    /** Lets the lock go (recovery may then see the files). */
    readonly release: () => void,
  ) {}

  /** Names a new persisted take and takes its lock. */
  static async open(workerUrl: string | undefined): Promise<TakeFiles> {
    const id = crypto.randomUUID();
    return new TakeFiles(workerUrl, id, await holdLock(takeLockName(id)));
  }

  /** The take is uploaded: its files are kept (and recovery offers them) until uploaded() says the server has it all. */
  awaitUpload(): void {
    this.uploadEnd ??= new Promise<boolean>((resolve) => (this.decide = resolve));
  }

  /**
   * The server has every byte (the take's own upload, or a later resumeUpload()): the journal says so, so recovery
   * no longer offers the take: a take already let go is deleted now, one let go after its upload failed by the
   * next recover().
   */
  uploaded(): void {
    if (!this.uploadEnd || this.settled) return;
    this.serverHasIt = true;
    this.settled = askWorker(this.workerUrl, { type: 'settle', id: this.id }, 'settled', FILES_JOB_TIMEOUT_MS, "Settling a take's upload").then(
      () => undefined,
      () => undefined,
    );
    this.decide(true);
  }

  /** The take's upload failed: letting go of the take then leaves its files for recover() (resumeUpload() may still settle them). */
  uploadFailed(): void {
    this.decide(false);
  }

  /** The journal's settling, once the server has the take (deletion waits for it: both are jobs of their own workers). */
  private settled: Promise<void> | null = null;

  /**
   * The recording is let go (clear, dispose): the files are deleted, once the server has the take if it is uploaded.
   * One whose upload failed stays on disk, its lock let go, so that recover() (in this tab too) offers it.
   */
  async letGo(): Promise<void> {
    if (this.uploadEnd && !(await this.uploadEnd) && !this.serverHasIt) return this.release();
    await this.settled;
    await this.discard();
  }

  /** Deletes the files now (a cancelled take, a start that failed), then lets the lock go. */
  async discard(): Promise<void> {
    try {
      await askWorker(this.workerUrl, { type: 'discard', id: this.id }, 'discarded', FILES_JOB_TIMEOUT_MS, "Deleting a take's files");
    } finally {
      this.release();
    }
  }
}
