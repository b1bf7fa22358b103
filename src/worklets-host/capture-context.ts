import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';

/** Milliseconds to wait for the worklet module before calling the load failed. */
const WORKLET_LOAD_TIMEOUT_MS = 10_000;

function workletLoadFailed(url: string, cause?: unknown): TapedeckError {
  return new TapedeckError(
    'worklet-load-failed',
    `The capture worklet could not be loaded from ${url}. If the page has a Content-Security-Policy, its script-src ` +
      `must allow that URL (blob: for the script-tag build); or host dist/capture-worklet.js and dist/encoder-worker.js ` +
      `yourself and pass their URLs as the workletUrl and workerUrl options.`,
    cause,
  );
}

/**
 * An AudioContext with the capture processor loaded. One per recorder; created on the first start.
 *
 * The capture graph is native Web Audio. Quirk #2: standardized-audio-context's addModule() re-wraps the
 * module and loads it from a blob: URL (which a strict script-src forbids) and its wrapper allocates in every
 * process() call, so the capture processor is added to the native context directly.
 */
export async function createCaptureContext(workletUrl: string): Promise<AudioContext> {
  if (typeof globalThis.AudioContext !== 'function' || typeof globalThis.AudioWorkletNode !== 'function') {
    throw new TapedeckError('unsupported-browser', 'This browser has no AudioWorklet; tapedeck needs Chrome 66+, Firefox 76+ or Safari 14.1+.');
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await withTimeout(context.audioWorklet.addModule(workletUrl), WORKLET_LOAD_TIMEOUT_MS, () => workletLoadFailed(workletUrl));
  } catch (error) {
    void context.close();
    throw error instanceof TapedeckError ? error : workletLoadFailed(workletUrl, error);
  }
  return context;
}

/** Starts a module worker and waits for its first message (`ready`), mapping failures to TapedeckErrors. */
export function startWorker(url: string): Worker {
  try {
    return new Worker(url, { type: 'module', name: 'tapedeck-encoder' });
  } catch (error) {
    throw new TapedeckError(
      'encoder-failed',
      `The encoder worker could not be started from ${url}. If the page has a Content-Security-Policy, its script-src ` +
        `(or worker-src) must allow that URL; or pass the URL of a hosted dist/encoder-worker.js as the workerUrl option.`,
      error,
    );
  }
}
