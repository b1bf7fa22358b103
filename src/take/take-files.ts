/**
 * A persisted take's files (persist: 'opfs') as the main thread holds them: their id, and the Web Lock that tells
 * recovery in any tab to leave them alone while they are live. The worker writes and deletes the files themselves.
 */
import { TapedeckError } from '../errors';
import { askWorker } from '../threads/worker-job';
import { takeLockName } from '../worker/protocol';

/** How long deleting a take's files may take. */
const DISCARD_TIMEOUT_MS = 10_000;

/** A persisted take's files. */
export interface TakeFiles {
  readonly id: string;
  /** Epoch ms when the take started. */
  readonly startedAt: number;
  /** Lets the lock go (recovery may then see the files). */
  release(): void;
  /** The take's upload, when it has one: its files are kept until the server has every byte. */
  upload?: Promise<string>;
}

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

/** Names a new persisted take and takes its lock. */
export async function openTakeFiles(): Promise<TakeFiles> {
  const id = crypto.randomUUID();
  const release = await holdLock(takeLockName(id));
  return { id, startedAt: Date.now(), release };
}

/**
 * Deletes the files of `files` (through a worker, the one way takes' files are deleted), then lets its lock go. A
 * take whose upload is not done waits for it; if the server never gets every byte, its files stay, for recover().
 */
export async function deleteTakeFiles(workerUrl: string | undefined, files: TakeFiles): Promise<void> {
  try {
    if (files.upload && !(await files.upload.then(() => true, () => false))) return;
    await askWorker(workerUrl, { type: 'discard', id: files.id }, 'discarded', DISCARD_TIMEOUT_MS, "Deleting a take's files");
  } finally {
    files.release();
  }
}

/** Marks a persisted take's upload as done: recovery no longer offers the take once it is let go. */
export async function settleTakeFiles(workerUrl: string | undefined, files: TakeFiles): Promise<void> {
  await askWorker(workerUrl, { type: 'settle', id: files.id }, 'settled', DISCARD_TIMEOUT_MS, "Settling a take's upload");
}
