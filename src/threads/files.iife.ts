/**
 * files.ts for the script-tag build (dist/tapedeck.iife.js): the worklet and the worker are found beside its own
 * <script src>, which may be on a CDN. No bundler rebuilds this build, so it needs no literal forms.
 */
import { startWorker } from './worker-start';

// Read while the script runs its top level: document.currentScript is gone once it returns.
const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src;

function besideScript(file: string): string {
  if (!scriptSrc) throw new Error('tapedeck could not tell where its script was loaded from: pass workletUrl and workerUrl.');
  return new URL(file, scriptSrc).href;
}

/** The URL of the capture worklet module beside the script. */
export function defaultWorkletUrl(): string {
  return besideScript('runtime/capture-worklet.js');
}

/** Starts the encoder worker: at `workerUrl` when given, else the one beside the script. */
export function startEncoderWorker(workerUrl: string | undefined): Worker {
  return startWorker(workerUrl ?? besideScript('runtime/encoder-worker.js'));
}
