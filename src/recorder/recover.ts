import { TapedeckError } from '../errors';
import { askWorker } from '../threads/worker-job';
import { TakeUpload, type UploadProgress } from '../upload/take-upload';
import { checkUploadOptions, type UploadOptions } from '../upload/upload-options';
import { Recording } from './recording';
import { UrlLedger } from './url-ledger';

/** How long recovery may take (it reads, and for containers remuxes, every unfinished take). */
const RECOVERY_TIMEOUT_MS = 60_000;

/** A recording rebuilt after a crash or reload, from what `persist: 'opfs'` had written. */
export class RecoveredRecording extends Recording {
  /**
   * @internal Made by AudioRecorder.recover().
   * @param id pass to AudioRecorder.discardRecovered() to delete it
   * @param startedAt epoch ms when the take started
   */
  constructor(blob: Blob, url: string, durationMs: number, sampleRate: number, channels: number, readonly id: string, readonly startedAt: number) {
    super(blob, url, durationMs, sampleRate, channels);
  }

  /**
   * For a take that was being uploaded (the `upload` option with `persist: 'opfs'`): finishes its upload from the
   * server's offset, with the bytes recovered. Resolves with the upload's URL; rejects with `upload-failed` (e.g. when
   * this browser remembers no upload of the take).
   */
  resumeUpload(upload: UploadOptions, onProgress: (progress: UploadProgress) => void = () => undefined): Promise<string> {
    checkUploadOptions(upload);
    return TakeUpload.resume(this.blob, upload, { takeId: this.id, mimeType: this.mimeType, resumable: true }, { onProgress }).done;
  }
}

/** The URLs of recovered recordings, by take id, until discarded. */
const urls = new UrlLedger();
const urlOf = new Map<string, string>();

/** The takes that never finished, rebuilt (see AudioRecorder.recover). */
export async function recoverRecordings(workerUrl: string | undefined): Promise<RecoveredRecording[]> {
  const { takes, failures } = await askWorker(workerUrl, { type: 'recover' }, 'recovered', RECOVERY_TIMEOUT_MS, 'Recovery');
  // Nothing is lost silently: a take that could not be rebuilt stays in OPFS, and says so.
  for (const failure of failures) console.warn(`tapedeck: a take could not be recovered: ${failure}`);
  return takes.map((take) => {
    const url = urls.create(take.blob);
    urlOf.set(take.id, url);
    return new RecoveredRecording(take.blob, url, (take.frames / take.sampleRate) * 1000, take.sampleRate, take.channels, take.id, take.startedAt);
  });
}

/** Deletes a recovered take's files and revokes its URL. */
export async function discardRecovered(workerUrl: string | undefined, id: string): Promise<void> {
  if (typeof id !== 'string' || id.length === 0) {
    throw new TapedeckError('invalid-option', 'discardRecovered(id): id must be the id of a RecoveredRecording.');
  }
  await askWorker(workerUrl, { type: 'discard', id }, 'discarded', RECOVERY_TIMEOUT_MS, 'Discarding a recovered take');
  const url = urlOf.get(id);
  if (url) urls.revoke(url);
  urlOf.delete(id);
}
