import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';

/** Milliseconds to wait for the worklet module before calling the load failed. */
const WORKLET_LOAD_TIMEOUT_MS = 10_000;

function workletLoadFailed(url: string, cause?: unknown): TapedeckError {
  return new TapedeckError(
    'worklet-load-failed',
    `The capture worklet could not be loaded from ${url}. Check that tapedeck's dist/runtime/ folder was deployed ` +
      `beside your bundle (with Rollup or esbuild, copy it: see the README's Install section), and that a ` +
      `Content-Security-Policy's script-src allows that URL; or host dist/runtime/ yourself and pass the URLs of its ` +
      `capture-worklet.js and encoder-worker.js as the workletUrl and workerUrl options.`,
    cause,
  );
}

/** Creates the real-time AudioContext a recorder captures in when its sources are not Web Audio nodes. */
export function createAudioContext(): AudioContext {
  if (typeof globalThis.AudioContext !== 'function' || typeof globalThis.AudioWorkletNode !== 'function') {
    throw new TapedeckError('unsupported-browser', 'This browser has no AudioWorklet; tapedeck needs Chrome 66+, Firefox 76+ or Safari 14.1+.');
  }
  return new AudioContext({ latencyHint: 'interactive' });
}

const loaded = new WeakMap<BaseAudioContext, Map<string, Promise<void>>>();

/**
 * Adds the capture processor to `context` once per worklet URL.
 *
 * The capture graph is native Web Audio. Quirk #2: standardized-audio-context's addModule() re-wraps the
 * module and loads it from a blob: URL (which a strict script-src forbids) and its wrapper allocates in every
 * process() call, so the capture processor is added to the native context directly.
 */
export function ensureCaptureModule(context: BaseAudioContext, workletUrl: string): Promise<void> {
  let byUrl = loaded.get(context);
  if (!byUrl) loaded.set(context, (byUrl = new Map()));
  let loading = byUrl.get(workletUrl);
  if (!loading) {
    loading = withTimeout(context.audioWorklet.addModule(workletUrl), WORKLET_LOAD_TIMEOUT_MS, () => workletLoadFailed(workletUrl)).catch(
      (error: unknown) => {
        byUrl.delete(workletUrl); // let a later start try again
        throw error instanceof TapedeckError ? error : workletLoadFailed(workletUrl, error);
      },
    );
    byUrl.set(workletUrl, loading);
  }
  return loading;
}
