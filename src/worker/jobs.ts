/** The encoder worker's jobs besides takes: recovering crashed takes, deleting a take's files, remuxing a WebM. */
import { importCodec } from './codec-files';
import type { WorkerReport } from './protocol';
import { recoverTakes } from './recovery';
import { discardFiles, opfsFolder, readJournal, rewriteJournal } from './sinks/opfs-store';

/** Every unfinished take in OPFS, rebuilt (a failure is reported, never thrown); `report` hears each take begin. */
export async function recoverJob(report: (message: WorkerReport) => void): Promise<Extract<WorkerReport, { type: 'recovered' }>> {
  try {
    return { type: 'recovered', ...(await recoverTakes((id) => report({ type: 'recovering', id }))) };
  } catch (error) {
    return { type: 'recovered', takes: [], failures: [String(error)] };
  }
}

/** Deletes a persisted take's files. */
export async function discardJob(id: string): Promise<Extract<WorkerReport, { type: 'discarded' }>> {
  await discardFiles(id).catch(() => undefined);
  return { type: 'discarded' };
}

/** A persisted take's upload is done: its journal says 'stopped', so recovery no longer offers it. */
export async function settleJob(id: string): Promise<Extract<WorkerReport, { type: 'settled' }>> {
  const folder = await opfsFolder();
  const journal = await readJournal(folder, id);
  if (journal && journal.status !== 'stopped') await rewriteJournal(folder, { ...journal, status: 'stopped' }).catch(() => undefined);
  return { type: 'settled' };
}

/** Rewrites a WebM (MediaRecorder's, for track recording) so that it states its duration. */
export async function remuxJob(blob: Blob): Promise<Extract<WorkerReport, { type: 'remuxed' }>> {
  try {
    const remuxed = await (await importCodec('media')).remux(blob, blob.type);
    return { type: 'remuxed', blob: remuxed?.blob ?? null, durationS: remuxed?.durationS ?? 0, error: remuxed ? null : `cannot remux ${blob.type}` };
  } catch (error) {
    return { type: 'remuxed', blob: null, durationS: 0, error: String(error) };
  }
}
