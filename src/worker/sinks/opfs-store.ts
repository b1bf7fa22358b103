/**
 * Where crash-safe recordings live: the Origin Private File System, folder `tapedeck/`, per take: `<id>.bin` (the
 * encoded bytes, written as they are produced) and its journal (what the bytes are) in two slots, `<id>.a.json` and
 * `<id>.b.json`, written in turn, so that a crash in the middle of writing one leaves the other readable. Shared by
 * the encoder worker's take (which writes) and its jobs (recovery, deletion, settling an upload).
 */

/** The journal of one persisted take. */
export interface Journal {
  id: string;
  /** The format id ('wav', 'mp3', …) and the file's MIME type. */
  encoder: string;
  mimeType: string;
  sampleRate: number;
  channels: number;
  /** Epoch ms when the take started. */
  startedAt: number;
  /** Output frames and bytes written when the journal was last updated. */
  frames: number;
  bytes: number;
  /**
   * 'recording' until the take finished; then 'stopped', or 'uploading' while its upload has not been confirmed (the
   * file is then kept, and offered by recovery, until the main thread settles it).
   */
  status: 'recording' | 'stopped' | 'uploading';
  /** The file is never rewritten (it is uploaded as it records): recovery keeps its bytes as they are. */
  appendOnly?: boolean;
  /** Counts the journal's writes: of the two slots, the higher is the newer. */
  seq?: number;
}

/** The journal's two slots. */
export const JOURNAL_SLOTS = ['a', 'b'] as const;

/** The file name of a take's journal slot. */
export const journalName = (id: string, slot: (typeof JOURNAL_SLOTS)[number]) => `${id}.${slot}.json`;

/** Every file name a take may have (the single journal of earlier versions included). */
const fileNames = (id: string) => [`${id}.bin`, ...JOURNAL_SLOTS.map((slot) => journalName(id, slot)), `${id}.json`];

/** The OPFS folder tapedeck keeps takes in. */
export async function opfsFolder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('tapedeck', { create: true });
}

/** The ids of every take in `folder` (from its data file or any journal). */
export async function takeIds(folder: FileSystemDirectoryHandle): Promise<string[]> {
  const ids = new Set<string>();
  for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) {
    const match = /^(.+?)(?:\.[ab])?\.(?:bin|json)$/.exec(name);
    if (match) ids.add(match[1]!);
  }
  return [...ids];
}

async function readSlot(folder: FileSystemDirectoryHandle, name: string): Promise<Journal | null> {
  try {
    const text = await (await (await folder.getFileHandle(name)).getFile()).text();
    const journal = JSON.parse(text) as Journal;
    return typeof journal.id === 'string' && typeof journal.encoder === 'string' ? journal : null;
  } catch {
    return null; // missing, or cut mid-write by a crash: the other slot holds the journal before it
  }
}

/** The newest readable journal of take `id`, or null when none is readable. */
export async function readJournal(folder: FileSystemDirectoryHandle, id: string): Promise<Journal | null> {
  const slots = await Promise.all([...JOURNAL_SLOTS.map((slot) => journalName(id, slot)), `${id}.json`].map((name) => readSlot(folder, name)));
  return slots.reduce<Journal | null>((newest, journal) => (journal && (!newest || (journal.seq ?? 0) > (newest.seq ?? 0)) ? journal : newest), null);
}

/** Writes `journal` over both slots (no take is writing them: a finished take's upload being settled). */
export async function rewriteJournal(folder: FileSystemDirectoryHandle, journal: Journal): Promise<void> {
  for (const slot of JOURNAL_SLOTS) {
    // Never created here: a take deleted meanwhile stays deleted.
    const handle = await folder.getFileHandle(journalName(journal.id, slot)).catch(() => null);
    if (!handle) continue;
    const writable = await handle.createWritable();
    await writable.write(JSON.stringify({ ...journal, seq: (journal.seq ?? 0) + 1 }));
    await writable.close();
  }
}

/** Deletes a take's files (all of them, whichever exist). */
export async function discardFiles(id: string): Promise<void> {
  const folder = await opfsFolder();
  await Promise.all(fileNames(id).map((name) => folder.removeEntry(name).catch(() => undefined)));
}
