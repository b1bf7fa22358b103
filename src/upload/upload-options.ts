import { checkOptions, rules, type Field } from '../validate';

/** Where and how a take is uploaded while it records (a tus server: tusd, @tus/server, …). */
export interface UploadOptions {
  /** The tus endpoint uploads are created at, e.g. `https://example.com/files/`. */
  endpoint: string;
  /** Extra request headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** tus metadata for the upload; tapedeck adds `filetype` (the MIME type) and `filename` unless given. */
  metadata?: Record<string, string>;
  /** Bytes per PATCH request (default 65536): the server gets the take in pieces of this size as it records. */
  chunkSizeBytes?: number;
  /** Waits before each retry of a failed request, in ms (default 0, 0.5, 1, 2, 4, 8 s, then every 15 s for 5 min). */
  retryDelaysMs?: number[];
  /**
   * A request in flight that neither sends nor receives anything for this long (a server or proxy that accepts it and never
   * answers) is abandoned and the upload carries on from the server's offset (default 30000 ms). Time spent waiting
   * for the take's next bytes does not count.
   */
  stallTimeoutMs?: number;
}

/** How long a request may go without progress by default. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/** The retry schedule by default: quick retries first, then every 15 s for about five minutes. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [0, 500, 1000, 2000, 4000, 8000, ...Array<number>(20).fill(15_000)];

/** The upload option's fields (see validate.ts). */
export const UPLOAD_FIELDS: Record<keyof UploadOptions, Field> = {
  endpoint: { rule: rules.httpUrl('the http(s) URL of a tus server'), required: true },
  headers: rules.stringRecord,
  metadata: rules.stringRecord,
  chunkSizeBytes: rules.integerIn(1024, Number.MAX_SAFE_INTEGER),
  stallTimeoutMs: rules.integerIn(100, 3_600_000),
  retryDelaysMs: (value) => (Array.isArray(value) && value.every((d) => typeof d === 'number' && d >= 0) ? null : 'an array of delays in ms (numbers ≥ 0)'),
};

/** Checks `upload` (the `upload` option, or resumeUpload()'s), throwing `invalid-option` that names the field. */
export function checkUploadOptions(upload: unknown, path = 'upload'): UploadOptions {
  return checkOptions<UploadOptions>(upload, path, 'an upload option', UPLOAD_FIELDS);
}
