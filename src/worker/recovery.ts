/**
 * Rebuilds takes that never finished (the tab crashed, reloaded or closed while recording) from their OPFS files
 * into playable files, each by its format's rebuild() (worker/formats.ts): WAV gets its header's sizes, raw PCM is
 * cut to whole frames, MP3 is cut at its last whole frame and gets a true Info frame, and containers (WebM, Ogg, FLAC)
 * are remuxed by mediabunny so they carry their duration. Runs in the encoder worker.
 */
import { keepAppendOnly, WORKER_FORMATS, type Rebuilt } from './formats';
import { takeLockName, type RecoveredTake } from './protocol';
import { discardFiles, opfsFolder, type Journal } from './sinks/opfs-store';

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

/** Every take in OPFS that never finished and is not live in any tab, rebuilt; finished leftovers are deleted. */
export async function recoverTakes(): Promise<{ takes: RecoveredTake[]; failures: string[] }> {
  const folder = await opfsFolder();
  const held = await heldLocks();
  const takes: RecoveredTake[] = [];
  const failures: string[] = [];
  for await (const [name, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (!name.endsWith('.json') || handle.kind !== 'file') continue;
    let journal: Journal;
    try {
      journal = JSON.parse(await (await (handle as FileSystemFileHandle).getFile()).text()) as Journal;
    } catch {
      continue; // a journal cut mid-write: its take is listed on the next update, or never existed
    }
    if (held.has(takeLockName(journal.id))) continue;
    if (journal.status === 'stopped') {
      await discardFiles(journal.id);
      continue;
    }
    try {
      const file = await (await folder.getFileHandle(`${journal.id}.bin`)).getFile();
      const rebuilt = await rebuild(journal, file);
      if (rebuilt) takes.push({ id: journal.id, startedAt: journal.startedAt, sampleRate: journal.sampleRate, channels: journal.channels, ...rebuilt });
      else failures.push(`${journal.id} (${journal.encoder}): nothing playable could be rebuilt`);
    } catch (error) {
      failures.push(`${journal.id} (${journal.encoder}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { takes, failures };
}
