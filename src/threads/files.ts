/**
 * Where the capture worklet and the encoder worker come from unless the `workletUrl` / `workerUrl` options say
 * otherwise: the files shipped beside this module (dist/runtime/capture-worklet.js, dist/runtime/encoder-worker.js).
 *
 * Both are written in the literal forms bundlers recognise — `new URL('./x.js', import.meta.url)` and
 * `new Worker(new URL('./x.js', import.meta.url), { type: 'module' })` — so that a Vite, webpack or Parcel build of
 * the user's app copies the worklet and bundles the worker (which names its codec files the same way). Each form
 * appears once: a second `new URL('./runtime/encoder-worker.js', …)` would make bundlers copy the unbundled worker too.
 * The script-tag build uses files.iife.ts instead (chosen by the build).
 */
import { cannotStart, crossOriginWorker, startWorker, WORKER_OPTIONS } from './worker-start';

/** The URL of the capture worklet module shipped beside this module. */
export function defaultWorkletUrl(): string {
  return new URL('./runtime/capture-worklet.js', import.meta.url).href;
}

/** Starts the encoder worker: at `workerUrl` when given, else the one shipped beside this module. */
export function startEncoderWorker(workerUrl: string | undefined): Worker {
  if (workerUrl !== undefined) return startWorker(workerUrl);
  try {
    return new Worker(new URL('./runtime/encoder-worker.js', import.meta.url), { type: 'module', name: 'tapedeck-encoder' });
  } catch (error) {
    // Quirk #6: this module came from another origin (a CDN), and a Worker must be same-origin with the page.
    if (!(error instanceof DOMException && error.name === 'SecurityError')) throw cannotStart('the file beside tapedeck', error);
    return crossOriginWorker(`${import.meta.url.replace(/[^/]*$/, '')}runtime/encoder-worker.js`, WORKER_OPTIONS, error);
  }
}
