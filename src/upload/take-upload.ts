/**
 * One take's tus upload (tus-js-client), sent as the take records and finished when it ends, the length deferred.
 * It never gives up while the take records: a failed request is retried with backoff, after the retries it starts
 * again from the server's offset (waiting for the browser's `online` event when it is offline), and only a refusal
 * (a 4xx other than 409/423/429) ends it. A take that ends while its upload waits gets one more round of retries
 * (from the end, whether or not the network is back), then `upload-failed`: the file stays (on disk when persisted),
 * and Recording.resumeUpload() carries on from the server's offset.
 */
import type { DetailedError, HttpRequest, HttpResponse, Upload } from 'tus-js-client';
import { TapedeckError } from '../errors';
import { fileExtension } from '../formats/registry';
import { GrowingFile, type RangeReader } from './growing-file';
import { DEFAULT_RETRY_DELAYS_MS, DEFAULT_STALL_TIMEOUT_MS, type UploadOptions } from './upload-options';

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

/** What identifies a take's upload, so that it can be resumed (after a crash, or later). */
export interface UploadIdentity {
  /** The take's id (its OPFS id when persisted). */
  takeId: string;
  mimeType: string;
  /** Remember the upload's URL (in localStorage) so a take recovered after a crash can resume it. */
  resumable: boolean;
  /** The upload's URL on the server when known (a take of this page), to resume without asking localStorage. */
  uploadUrl?: string | null;
  /** Its `filename` metadata, asked when the upload is created (TrackRecorder's paths); `${takeId}.${ext}` by default. */
  fileName?: () => string;
}


/** The fingerprint tus-js-client stores a take's upload URL under: the endpoint is part of it (issue: a URL of another origin must not be resumed). */
const fingerprintOf = (endpoint: string, takeId: string) => `tapedeck:${endpoint}:${takeId}`;

/** Whether a failed request is worth retrying: not a refusal (4xx other than conflict, locked, too many requests). */
function retryable(error: Error): boolean {
  const status = (error as DetailedError).originalResponse?.getStatus() ?? 0;
  return !(status >= 400 && status < 500 && ![409, 423, 429].includes(status));
}

/** What of a tus error may reach users and logs: no request headers (they carry credentials). */
function sanitized(error: Error): { name: string; message: string; status: number | undefined; method: string | undefined; url: string | undefined } {
  const detailed = error as DetailedError & { originalRequest?: HttpRequest; originalResponse?: HttpResponse };
  return {
    name: error.name,
    message: error.message,
    status: detailed.originalResponse?.getStatus(),
    method: detailed.originalRequest?.getMethod(),
    url: detailed.originalRequest?.getURL(),
  };
}

/**
 * tus-js-client 4.3 resumes a deferred-length upload as still deferred even when the server already knows its length
 * (the last PATCH declared it and was cut off): it would declare it again and the server refuses (400). So when a
 * HEAD answers with the length, the upload is told it (its private fields: the version is pinned in package.json for it).
 */
function learnDeclaredLength(upload: Upload, request: HttpRequest, response: HttpResponse): void {
  const length = Number.parseInt(response.getHeader('Upload-Length') ?? '', 10);
  const internals = upload as unknown as { options: { uploadLengthDeferred: boolean; uploadSize: number | null }; _size: number | null };
  if (request.getMethod() !== 'HEAD' || Number.isNaN(length) || !internals.options.uploadLengthDeferred) return;
  internals.options.uploadLengthDeferred = false;
  internals.options.uploadSize = length; // for a later start()
  internals._size = length;
}

let tus: Promise<typeof import('tus-js-client')> | null = null;

/**
 * tus-js-client, loaded on first use (pages that do not upload never fetch it); the take loads it as it starts, so
 * that a network lost later does not keep it from loading. A failed load is tried again next time.
 */
export function loadTus(): Promise<typeof import('tus-js-client')> {
  tus ??= import('tus-js-client').catch((error: unknown) => {
    tus = null;
    throw error;
  });
  return tus;
}

/** Resolves once the browser says it is online again (or `signal` aborts, which removes the listener). */
function online(signal: AbortSignal): Promise<void> {
  if (typeof globalThis.addEventListener !== 'function') return Promise.resolve();
  return new Promise((resolve) => globalThis.addEventListener('online', () => resolve(), { once: true, signal }));
}

/** See the module comment. */
export class TakeUpload {
  /** Resolves with the upload's URL when the server has every byte; rejects with `upload-failed`. */
  readonly done: Promise<string>;
  /** True until done settles. */
  pending = true;
  private readonly source: GrowingFile;
  private upload: Upload | null = null;
  /** The upload's URL on the server once known (given, or created), to start again from the server's offset. */
  private serverUrl: string | null;
  private stopped = false;
  /** A request is in flight (the stall watch applies only then, not while tus-js-client waits for bytes). */
  private inFlight = false;
  /** Bytes the server has confirmed. */
  private committed = 0;
  private resolve!: (url: string) => void;
  private reject!: (error: TapedeckError) => void;

  private constructor(
    private readonly options: UploadOptions,
    private readonly identity: UploadIdentity,
    private readonly handlers: UploadHandlers,
    read: RangeReader | null,
  ) {
    this.source = new GrowingFile(read);
    this.serverUrl = identity.uploadUrl ?? null;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // The uploaderror event reports a failure; awaiting done is optional.
    this.done.then(
      () => (this.pending = false),
      () => (this.pending = false),
    );
  }

  /**
   * Uploads a take that is being recorded, reading its file with `read`; feed it with grew() and end(). The upload is
   * created on the server with the take's first bytes (a take armed and never resumed leaves none).
   */
  static start(options: UploadOptions, identity: UploadIdentity, handlers: UploadHandlers, read: RangeReader): TakeUpload {
    const upload = new TakeUpload(options, identity, handlers, read);
    upload.created = false;
    return upload;
  }

  /** False until the upload is created (start(): with the first bytes). */
  private created = true;

  /**
   * Uploads a finished file: from the server's offset when its upload is known (by URL, or remembered in this
   * browser for the same endpoint), else from the start.
   */
  static resume(file: Blob, options: UploadOptions, identity: UploadIdentity, handlers: UploadHandlers): TakeUpload {
    const upload = new TakeUpload(options, identity, handlers, null);
    upload.source.end(file);
    void upload.begin(true);
    return upload;
  }

  /** The take this upload is of. */
  get takeId(): string {
    return this.identity.takeId;
  }

  /** The upload's URL on the server, once it was created. */
  get url(): string | null {
    return this.upload?.url ?? this.serverUrl;
  }

  /** The take's file now holds `bytes` bytes. */
  grew(bytes: number): void {
    this.source.grew(bytes);
    if (bytes > 0) this.create();
  }

  /** The take is over and `file` is all of it: once the last bytes are sent, the upload completes with its length. */
  end(file: Blob): void {
    this.source.end(file);
    this.create();
  }

  private create(): void {
    if (this.created || this.stopped) return;
    this.created = true;
    void this.begin(false);
  }

  /** Stops uploading, leaving what the server has (a take that ended without its file: dispose, a crashed worker). */
  giveUp(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatch();
    void this.upload?.abort(false).catch(() => undefined);
    this.reject(new TapedeckError('upload-failed', 'The take ended without its file: its upload was left as the server has it.'));
  }

  /** Stops uploading and deletes the upload from the server (a cancelled take). */
  abort(): void {
    this.stopped = true;
    this.unwatch();
    void this.upload?.abort(true).catch(() => undefined);
    this.reject(new TapedeckError('upload-failed', 'The take was cancelled: its upload was deleted.'));
  }

  /**
   * Creates the tus upload and starts it: at the known server URL, else (`resume`) at one remembered in this browser
   * for the endpoint, else as a new upload. Every restart is a new tus Upload, so each gets its own round of retries.
   */
  private async begin(resume: boolean): Promise<void> {
    try {
      const { Upload } = await loadTus();
      if (this.stopped) return;
      const endpoint = new URL(this.options.endpoint, globalThis.location?.href).href;
      const known = this.knownUrl(endpoint);
      const upload: Upload = new Upload(this.source as unknown as Blob, {
        endpoint,
        uploadUrl: known,
        headers: this.options.headers,
        metadata: {
          filetype: this.identity.mimeType,
          filename: this.identity.fileName?.() ?? `${this.identity.takeId}.${fileExtension(this.identity.mimeType)}`,
          ...this.options.metadata,
        },
        chunkSize: this.options.chunkSizeBytes ?? 65_536,
        uploadLengthDeferred: true,
        retryDelays: [...(this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)],
        // Retried whatever navigator.onLine says (tus-js-client's default gives up while it is false).
        onShouldRetry: (error) => {
          this.inFlight = false;
          this.unwatch();
          return retryable(error);
        },
        fileReader: { openFile: async () => this.source as never },
        fingerprint: async () => fingerprintOf(endpoint, this.identity.takeId),
        storeFingerprintForResuming: this.identity.resumable,
        removeFingerprintOnSuccess: true,
        // A request with no progress for stallTimeoutMs is abandoned (tus-js-client has no timeout of its own).
        onBeforeRequest: () => {
          this.inFlight = true;
          this.watch(upload);
        },
        onAfterResponse: (request, response) => {
          this.inFlight = false;
          this.unwatch();
          learnDeclaredLength(upload, request, response);
        },
        onUploadUrlAvailable: () => void (this.serverUrl = upload.url ?? this.serverUrl),
        onProgress: (bytesSent) => {
          if (this.inFlight) this.watch(upload);
          this.handlers.onProgress({ bytesSent, bytesCommitted: this.committed });
        },
        onChunkComplete: (_size, accepted) => {
          this.committed = accepted;
          this.handlers.onProgress({ bytesSent: accepted, bytesCommitted: accepted });
        },
        onSuccess: () => {
          this.unwatch();
          this.resolve(upload.url ?? '');
        },
        onError: (error) => void this.failed(error),
      });
      if ((resume && !known) || (known && this.identity.resumable)) {
        // Only an upload on the endpoint's own origin is resumed: a URL remembered for another would get the audio
        // and the headers (credentials) of this one. A known URL is looked up too, so that its remembered entry is
        // the one removed on success (not left behind in localStorage).
        const origin = new URL(endpoint).origin;
        const previous = (await upload.findPreviousUploads()).find((p) => p.uploadUrl && (known ? p.uploadUrl === known : new URL(p.uploadUrl, endpoint).origin === origin));
        if (previous) upload.resumeFromPreviousUpload(previous);
        if (this.stopped) return;
      }
      this.upload = upload;
      upload.start();
    } catch (error) {
      // tus-js-client could not be loaded (offline): while the take records, try again once back online.
      if (!this.stopped && !this.source.ended) {
        await this.waitForNetwork();
        if (!this.stopped) return this.begin(resume);
      }
      this.reject(new TapedeckError('upload-failed', `The upload could not start: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? sanitized(error) : error));
    }
  }

  /**
   * Waits for the browser's `online` event when it is offline, else for the retry schedule's longest wait (at least
   * a second, so an empty schedule does not spin); either way no longer than until the take ends.
   */
  private async waitForNetwork(): Promise<void> {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new AbortController();
    const wait = globalThis.navigator?.onLine === false ? online(waited.signal) : new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(1000, ...delays))));
    await Promise.race([wait, this.source.whenEnded]);
    clearTimeout(timer);
    waited.abort();
  }

  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests abandoned for stalling since the take ended: as many as the retry schedule allows, then upload-failed. */
  private stallsAfterEnd = 0;

  /**
   * (Re)starts the stall watch of the request in flight: without progress in time, it is sent again; once the take
   * has ended, only as often as a failed request would be retried (so that `done` settles).
   */
  private watch(upload: Upload): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (this.stopped || !this.inFlight) return;
      this.inFlight = false;
      if (this.source.ended && ++this.stallsAfterEnd > Math.max(1, (this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS).length)) {
        void upload.abort(false).catch(() => undefined);
        return void this.failed(new Error(`no answer from the server for ${this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS} ms`));
      }
      void upload
        .abort(false)
        .catch(() => undefined)
        .then(() => this.stopped || upload.start());
    }, this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS);
  }

  private unwatch(): void {
    clearTimeout(this.stallTimer);
  }

  /** The upload URL given in the identity, if it is on the endpoint's origin (none of another gets these bytes). */
  private knownUrl(endpoint: string): string | undefined {
    const url = this.serverUrl;
    return url && new URL(url, endpoint).origin === new URL(endpoint).origin ? url : undefined;
  }

  /** tus-js-client gave up: start again while the take records (or refuse for good), else report upload-failed. */
  private async failed(error: Error): Promise<void> {
    this.unwatch();
    this.inFlight = false;
    if (this.stopped) return;
    if (retryable(error) && !this.source.ended) {
      await this.waitForNetwork();
      if (!this.stopped) return this.begin(false);
    }
    const status = sanitized(error).status;
    this.reject(
      new TapedeckError(
        'upload-failed',
        `The upload to ${this.options.endpoint} failed${status ? ` (HTTP ${status})` : ''}: ${error.message}. The recording itself is kept; recording.resumeUpload() carries on.`,
        sanitized(error),
      ),
    );
  }
}
