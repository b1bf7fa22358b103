/**
 * Where crash-safe recordings live: the Origin Private File System, folder `tapedeck/`, two files per take:
 * `<id>.bin` (the encoded bytes, written as they are produced) and `<id>.json` (the journal: what the bytes are).
 * Shared by the encoder worker (which writes) and recovery (which reads and deletes).
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
  /** 'recording' until the take finished normally. */
  status: 'recording' | 'stopped';
  /** The file is never rewritten (it is uploaded as it records): recovery keeps its bytes as they are. */
  appendOnly?: boolean;
}

/** The OPFS folder tapedeck keeps takes in. */
export async function opfsFolder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('tapedeck', { create: true });
}

/** Deletes a take's files (both, whichever exist). */
export async function discardFiles(id: string): Promise<void> {
  const folder = await opfsFolder();
  await Promise.all([`${id}.bin`, `${id}.json`].map((name) => folder.removeEntry(name).catch(() => undefined)));
}
