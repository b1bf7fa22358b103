import type { DetailedError, Upload } from 'tus-js-client';
import { fileExtension } from '../formats/registry';
import { TapedeckError } from '../errors';
import { DEFAULT_RETRY_DELAYS_MS, type UploadOptions } from './upload-options';

/** How far an upload is. */
export interface UploadProgress {
  /** Bytes sent to the server so far (some may be in flight). */
  bytesSent: number;
  /** Bytes the server has confirmed storing. */
  bytesCommitted: number;
}

/** What a take's upload reports. */
export interface UploadHandlers {
  onProgress(progress: UploadProgress): void;
}

/** What identifies a take's upload, so that it can be resumed after a crash. */
export interface UploadIdentity {
  /** The take's id (its OPFS id when persisted). */
  takeId: string;
  mimeType: string;
  /** Remember the upload's URL (in localStorage) so a recovered take can resume it. */
  resumable: boolean;
}

const fingerprintOf = (takeId: string) => `tapedeck-take:${takeId}`;

/**
 * One take's tus upload, fed the take's bytes as they are encoded (tus-js-client reading a stream, the length
 * deferred until the end). Requests that fail are retried with backoff while the take goes on; bytes the server has
 * not confirmed stay in tus-js-client's buffer until it has.
 */
export class TakeUpload {
  /** Resolves with the upload's URL when the server has every byte; rejects with `upload-failed`. */
  readonly done: Promise<string>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private feeding: Promise<void> = Promise.resolve();
  private upload: Promise<Upload>;
  private ended = false;

  private constructor(options: UploadOptions, identity: UploadIdentity, handlers: UploadHandlers, source: ReadableStream<Uint8Array> | null, resume: boolean) {
    const stream = source ?? new ReadableStream<Uint8Array>({ start: (controller) => void (this.controller = controller) });
    let resolve!: (url: string) => void;
    let reject!: (error: TapedeckError) => void;
    this.done = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.done.catch(() => undefined); // the uploaderror event reports it; awaiting it is optional
    let committed = 0;
    this.upload = import('tus-js-client').then(async ({ Upload }) => {
      const upload: Upload = new Upload(stream.getReader() as unknown as Blob, {
        endpoint: new URL(options.endpoint, globalThis.location?.href).href,
        headers: options.headers,
        metadata: { filetype: identity.mimeType, filename: `${identity.takeId}.${fileExtension(identity.mimeType)}`, ...options.metadata },
        chunkSize: options.chunkSizeBytes ?? 65_536,
        uploadLengthDeferred: true,
        retryDelays: [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)],
        fingerprint: async () => fingerprintOf(identity.takeId),
        storeFingerprintForResuming: identity.resumable,
        removeFingerprintOnSuccess: true,
        onProgress: (bytesSent) => handlers.onProgress({ bytesSent, bytesCommitted: committed }),
        onChunkComplete: (_size, accepted) => {
          committed = accepted;
          handlers.onProgress({ bytesSent: accepted, bytesCommitted: accepted });
        },
        onSuccess: () => resolve(upload.url ?? ''),
        onError: (error) => {
          const status = (error as DetailedError).originalResponse?.getStatus();
          reject(
            new TapedeckError(
              'upload-failed',
              `The upload to ${options.endpoint} failed${status ? ` (HTTP ${status})` : ''}: ${error.message}. The recording itself is kept.`,
              Object.assign(error, { status }),
            ),
          );
        },
      });
      if (resume) {
        const [previous] = await upload.findPreviousUploads();
        if (!previous) throw new TapedeckError('upload-failed', `No upload of take ${identity.takeId} is remembered in this browser to resume.`);
        upload.resumeFromPreviousUpload(previous);
      }
      upload.start();
      return upload;
    });
    this.upload.catch((error: unknown) => reject(error instanceof TapedeckError ? error : new TapedeckError('upload-failed', `The upload could not start: ${String(error)}`, error)));
  }

  /** Starts uploading a take that is being recorded; feed it with push() and end(). */
  static start(options: UploadOptions, identity: UploadIdentity, handlers: UploadHandlers): TakeUpload {
    return new TakeUpload(options, identity, handlers, null, false);
  }

  /** Resumes the upload of a finished file (a recovered take) from the server's offset. */
  static resume(blob: Blob, options: UploadOptions, identity: UploadIdentity, handlers: UploadHandlers): TakeUpload {
    return new TakeUpload(options, identity, handlers, blob.stream(), true);
  }

  /** Queues the next bytes of the take. */
  push(blob: Blob): void {
    if (this.ended) return;
    this.feeding = this.feeding.then(async () => this.controller.enqueue(new Uint8Array(await blob.arrayBuffer())));
  }

  /** The take is over: once the last bytes are sent, the upload completes with its length. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.feeding = this.feeding.then(() => this.controller.close());
  }

  /** Stops uploading and deletes the upload from the server (a cancelled take). */
  abort(): void {
    this.ended = true;
    void this.upload.then((upload) => upload.abort(true)).catch(() => undefined);
  }
}
