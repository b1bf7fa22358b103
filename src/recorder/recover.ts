import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import { startWorker } from '../worklets-host/capture-context';
import type { WorkerCommand, WorkerReport } from '../worklets-host/protocol';
import { Recording } from './recording';

/** How long recovery may take (it reads, and for containers remuxes, every unfinished take). */
const RECOVERY_TIMEOUT_MS = 60_000;

/** A recording rebuilt after a crash or reload, from what `persist: 'opfs'` had written. */
export class RecoveredRecording extends Recording {
  /**
   * @param id pass to AudioRecorder.discardRecovered() to delete it
   * @param startedAt epoch ms when the take started
   */
  constructor(blob: Blob, url: string, durationMs: number, sampleRate: number, channels: number, readonly id: string, readonly startedAt: number) {
    super(blob, url, durationMs, sampleRate, channels);
  }
}

const urls = new Map<string, string>();

/** Sends `command` to a fresh encoder worker and waits for the report of `type`. */
async function ask<T extends WorkerReport['type']>(workerUrl: string, command: WorkerCommand, type: T): Promise<Extract<WorkerReport, { type: T }>> {
  const worker = startWorker(workerUrl);
  try {
    const reply = new Promise<Extract<WorkerReport, { type: T }>>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WorkerReport>) => {
        if (event.data.type === type) resolve(event.data as Extract<WorkerReport, { type: T }>);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new TapedeckError('encoder-failed', `The encoder worker could not start from ${workerUrl} (${event.message || 'no message'}); pass workerUrl.`));
      };
    });
    worker.postMessage(command);
    return await withTimeout(reply, RECOVERY_TIMEOUT_MS, () => new TapedeckError('encoder-failed', `Recovery did not finish within ${RECOVERY_TIMEOUT_MS / 1000} s.`));
  } finally {
    worker.terminate();
  }
}

/** The takes that never finished, rebuilt (see AudioRecorder.recover). */
export async function recoverRecordings(workerUrl: string): Promise<RecoveredRecording[]> {
  const { takes, failures } = await ask(workerUrl, { type: 'recover' }, 'recovered');
  // Nothing is lost silently: a take that could not be rebuilt stays in OPFS, and says so.
  for (const failure of failures) console.warn(`tapedeck: a take could not be recovered: ${failure}`);
  return takes.map((take) => {
    const url = URL.createObjectURL(take.blob);
    urls.set(take.id, url);
    return new RecoveredRecording(take.blob, url, (take.frames / take.sampleRate) * 1000, take.sampleRate, take.channels, take.id, take.startedAt);
  });
}

/** Deletes a recovered take's files and revokes its URL. */
export async function discardRecovered(workerUrl: string, id: string): Promise<void> {
  if (typeof id !== 'string' || id.length === 0) {
    throw new TapedeckError('invalid-option', 'discardRecovered(id): id must be the id of a RecoveredRecording.');
  }
  await ask(workerUrl, { type: 'discard', id }, 'discarded');
  const url = urls.get(id);
  if (url) URL.revokeObjectURL(url);
  urls.delete(id);
}
