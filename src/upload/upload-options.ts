import { TapedeckError } from '../errors';

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
}

/** The retry schedule by default: quick retries first, then every 15 s for about five minutes. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [0, 500, 1000, 2000, 4000, 8000, ...Array<number>(20).fill(15_000)];

const isStringRecord = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** Checks `upload` (the `upload` option), throwing `invalid-option` that names the field. */
export function checkUploadOptions(upload: unknown, field = 'upload'): void {
  const bad = (rule: string): never => {
    throw new TapedeckError('invalid-option', `${field}${rule}`);
  };
  if (typeof upload !== 'object' || upload === null) bad(', when provided, must be an object such as { endpoint: "https://example.com/files/" }.');
  const { endpoint, headers, metadata, chunkSizeBytes, retryDelaysMs, ...rest } = upload as UploadOptions;
  for (const key of Object.keys(rest)) bad(`.${key} is not an upload option; they are endpoint, headers, metadata, chunkSizeBytes and retryDelaysMs.`);
  let url: URL | null = null;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint, globalThis.location?.href) : null;
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol)) bad(`.endpoint must be the http(s) URL of a tus server (got ${JSON.stringify(endpoint)}).`);
  if (headers !== undefined && !isStringRecord(headers)) bad('.headers, when provided, must be an object of strings.');
  if (metadata !== undefined && !isStringRecord(metadata)) bad('.metadata, when provided, must be an object of strings.');
  if (chunkSizeBytes !== undefined && !(Number.isInteger(chunkSizeBytes) && chunkSizeBytes >= 1024)) bad('.chunkSizeBytes, when provided, must be a whole number ≥ 1024.');
  if (retryDelaysMs !== undefined && !(Array.isArray(retryDelaysMs) && retryDelaysMs.every((d) => typeof d === 'number' && d >= 0))) {
    bad('.retryDelaysMs, when provided, must be an array of delays in ms (numbers ≥ 0).');
  }
}
