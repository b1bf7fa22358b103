/** Starting the encoder worker from a URL, on the page's origin or another (files.ts knows which URL). */
import { TapedeckError } from '../errors';

/** The options every encoder worker is started with. */
export const WORKER_OPTIONS: WorkerOptions = { type: 'module', name: 'tapedeck-encoder' };

/** What to check when the worker did not load, for error messages. */
export const WORKER_HELP =
  "Check that tapedeck's dist/runtime/ folder was deployed beside your bundle (with Rollup or esbuild, copy it: see " +
  "the README's Install section), and that a Content-Security-Policy's script-src / worker-src allows the worker; or " +
  'host dist/runtime/ yourself and pass the URL of its encoder-worker.js as the workerUrl option.';

/** The error for a worker that could not be started from `url`. */
export function cannotStart(url: string, cause: unknown): TapedeckError {
  return new TapedeckError(
    'encoder-failed',
    `The encoder worker could not be started from ${url}. If the page has a Content-Security-Policy, its script-src ` +
      `(or worker-src) must allow that URL; or pass the URL of a hosted dist/runtime/encoder-worker.js as the workerUrl option.`,
    cause,
  );
}

/** One same-origin bootstrap per worker URL for the page's lifetime (not one per take). */
const bootstraps = new Map<string, string>();

/**
 * Starts the module worker at `url`, which is on another origin. Quirk #6: a Worker must be same-origin with the
 * page, so a same-origin blob: module imports the real file (which keeps its own URL, so the codec files it loads
 * resolve beside it). Needs the file served with CORS, and a CSP that allows blob: workers.
 */
export function crossOriginWorker(url: string, options: WorkerOptions, cause: unknown): Worker {
  let bootstrap = bootstraps.get(url);
  if (!bootstrap) {
    bootstrap = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
    bootstraps.set(url, bootstrap);
  }
  try {
    return new Worker(bootstrap, options);
  } catch (error) {
    throw cannotStart(url, error ?? cause);
  }
}

/** Starts the module worker at `url`, whatever its origin, mapping a refusal to a TapedeckError. */
export function startWorker(url: string): Worker {
  const absolute = new URL(url, globalThis.location?.href).href;
  if (globalThis.location && new URL(absolute).origin !== globalThis.location.origin) return crossOriginWorker(absolute, WORKER_OPTIONS, null);
  try {
    return new Worker(absolute, WORKER_OPTIONS);
  } catch (error) {
    throw cannotStart(absolute, error);
  }
}
