/** Recovery's main side: the takes a crash (or a closed tab) left in OPFS, as recordings (AudioRecorder.recover()). */
import { TapedeckError } from '../errors';
import { askWorker } from '../threads/worker-job';
import type { RecoveredTake } from '../worker/protocol';
import { Recording } from './recording';
import { UrlLedger } from './url-ledger';

/** How long recovery may go without news: each take has this long to be rebuilt (a long WebM is remuxed). */
const RECOVERY_IDLE_TIMEOUT_MS = 45_000;
/** How long deleting a recovered take's files may take. */
const DISCARD_TIMEOUT_MS = 10_000;

/**
 * A recording rebuilt after a crash or reload, from what `persist: 'opfs'` had written. One that could not be made
 * playable is still offered, with its bytes as they were written and `problem` saying why: nothing is lost silently.
 */
export class RecoveredRecording extends Recording {
  /** Pass to AudioRecorder.discardRecovered() to delete it. */
  readonly id: string;
  /** Epoch ms when the take started (0 when its journal was lost). */
  readonly startedAt: number;
  /** Why it could not be made playable (its blob is then the bytes as written), or null. */
  readonly problem: string | null;
  /** True when its upload had not finished: resumeUpload() carries it on from the server's offset. */
  readonly uploadPending: boolean;

  /** @internal Made by AudioRecorder.recover(). */
  constructor(take: RecoveredTake, url: string) {
    const durationMs = take.sampleRate > 0 ? (take.frames / take.sampleRate) * 1000 : 0;
    super(take.blob, url, durationMs, take.sampleRate, take.channels);
    this.id = take.id;
    this.startedAt = take.startedAt;
    this.problem = take.problem;
    this.uploadPending = take.uploading;
    // Its upload, if it had one, is remembered in localStorage under the take's id and the endpoint.
    this.upload = { takeId: take.id, url: () => null, resumable: true };
  }
}

/** The URLs of recovered recordings, by take id, until discarded. */
const urls = new UrlLedger();
const urlOf = new Map<string, string>();

/** The takes that never finished (or whose upload was not confirmed), as recordings (see AudioRecorder.recover). */
export async function recoverRecordings(workerUrl: string | undefined): Promise<RecoveredRecording[]> {
  const { takes } = await askWorker(workerUrl, { type: 'recover' }, 'recovered', RECOVERY_IDLE_TIMEOUT_MS, 'Recovery', 'recovering');
  return takes.map((take) => {
    const url = urls.create(take.blob);
    urlOf.set(take.id, url);
    return new RecoveredRecording(take, url);
  });
}

/** Deletes a recovered take's files and revokes its URL. */
export async function discardRecovered(workerUrl: string | undefined, id: string): Promise<void> {
  if (typeof id !== 'string' || id.length === 0) {
    throw new TapedeckError('invalid-option', 'discardRecovered(id): id must be the id of a RecoveredRecording.');
  }
  await askWorker(workerUrl, { type: 'discard', id }, 'discarded', DISCARD_TIMEOUT_MS, 'Discarding a recovered take');
  const url = urlOf.get(id);
  if (url) urls.revoke(url);
  urlOf.delete(id);
}
