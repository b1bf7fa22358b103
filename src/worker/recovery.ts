/**
 * Rebuilds takes that never finished (the tab crashed, reloaded or closed while recording) from their OPFS files
 * into playable files, each by its format's rebuild() (worker/formats.ts): WAV gets its header's sizes, raw PCM is
 * cut to whole frames, MP3 is cut at its last whole frame and gets a true Info frame, and containers (WebM, Ogg, FLAC)
 * are remuxed by mediabunny so they carry their duration. Runs in the encoder worker.
 */
import { keepAppendOnly, WORKER_FORMATS, type Rebuilt } from './formats';
import { takeLockName, type RecoveredTake } from './protocol';
import { discardFiles, opfsFolder, readJournal, takeIds, type Journal } from './sinks/opfs-store';

async function heldLocks(): Promise<Set<string>> {
  const state = await navigator.locks?.query();
  return new Set((state?.held ?? []).map((lock) => lock.name ?? ''));
}

/** A crashed take's file, made playable by its format (an append-only one is kept as written). */
function rebuild(journal: Journal, file: File): Promise<Rebuilt | null> {
  const format = WORKER_FORMATS[journal.encoder];
  if (journal.appendOnly || !format) return Promise.resolve(keepAppendOnly(journal, file));
  return format.rebuild(journal, file);
}

/** How long one take's rebuild may take (a long WebM is remuxed); past it the take is reported as it was written. */
const REBUILD_TIMEOUT_MS = 30_000;

/** `promise`, or a rejection after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not rebuilt within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What a take's files say when its journal is unreadable in both slots: only the bytes are known. */
function unknownJournal(id: string): Journal {
  return { id, encoder: 'unknown', mimeType: 'application/octet-stream', sampleRate: 0, channels: 0, startedAt: 0, frames: 0, bytes: 0, status: 'recording' };
}

/**
 * One take's files, made playable; or, where that fails, reported with its bytes as they were written and the
 * problem, so that nothing is lost silently (the app may still offer the bytes, or discard them).
 */
async function recoverTake(folder: FileSystemDirectoryHandle, id: string, report: (id: string) => void): Promise<RecoveredTake | null> {
  const journal = await readJournal(folder, id);
  if (journal?.status === 'stopped') {
    await discardFiles(id);
    return null;
  }
  report(id);
  const known = journal ?? unknownJournal(id);
  const file = await folder
    .getFileHandle(`${id}.bin`)
    .then((handle) => handle.getFile())
    .catch(() => null);
  const facts = { id, startedAt: known.startedAt, sampleRate: known.sampleRate, channels: known.channels, uploading: known.appendOnly === true || known.status === 'uploading' };
  if (!file) return { ...facts, blob: new Blob([], { type: known.mimeType }), frames: 0, problem: 'its data file is missing (only the journal was left)' };
  if (!journal) return { ...facts, blob: file.slice(0, file.size), frames: 0, problem: 'its journal could not be read: the bytes are as they were written' };
  try {
    // A stopped take whose upload was not confirmed is complete as it is.
    const rebuilt = journal.status === 'uploading' ? keepAppendOnly(journal, file) : await within(rebuild(journal, file), REBUILD_TIMEOUT_MS);
    if (rebuilt) return { ...facts, ...rebuilt, problem: null };
    return { ...facts, blob: file.slice(0, file.size, journal.mimeType), frames: 0, problem: 'nothing playable could be rebuilt: the bytes are as they were written' };
  } catch (error) {
    return { ...facts, blob: file.slice(0, file.size, journal.mimeType), frames: 0, problem: `it could not be rebuilt (${error instanceof Error ? error.message : String(error)}): the bytes are as they were written` };
  }
}

/**
 * Every take in OPFS that never finished (or whose upload was not confirmed) and is not live in any tab, rebuilt;
 * finished leftovers are deleted. `report` is called as each take is begun (the main thread's wait restarts).
 */
export async function recoverTakes(report: (id: string) => void = () => undefined): Promise<{ takes: RecoveredTake[]; failures: string[] }> {
  const folder = await opfsFolder();
  const held = await heldLocks();
  const takes: RecoveredTake[] = [];
  for (const id of await takeIds(folder)) {
    if (held.has(takeLockName(id))) continue;
    const take = await recoverTake(folder, id, report);
    if (take) takes.push(take);
  }
  return { takes, failures: takes.filter((t) => t.problem).map((t) => `${t.id}: ${t.problem}`) };
}
