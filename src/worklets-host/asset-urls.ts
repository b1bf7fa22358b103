/**
 * Where the capture worklet and the encoder worker are loaded from, unless the `workletUrl` / `workerUrl`
 * options say otherwise: from beside the bundle that is running.
 * - The ES module build (dist/tapedeck.js) finds dist/capture-worklet.js and dist/encoder-worker.js with
 *   `new URL('…', import.meta.url)`, which bundlers follow and copy along.
 * - The script-tag build (dist/tapedeck.iife.js) finds them beside its own <script src>. Quirk #6: a Worker must be
 *   same-origin with the page, and a CDN is not; so it starts a same-origin blob: module that imports the real file.
 *   The real file keeps its own URL, so the codec chunks it loads on demand resolve beside it.
 */
declare const __TAPEDECK_IIFE__: boolean;

// Read while the script-tag build runs its top level: document.currentScript is gone once it returns.
const scriptSrc = __TAPEDECK_IIFE__ ? (document.currentScript as HTMLScriptElement | null)?.src : undefined;

function besideScript(file: string): string {
  if (!scriptSrc) throw new Error('tapedeck could not tell where its script was loaded from: pass workletUrl and workerUrl.');
  const absolute = new URL(file, scriptSrc).href;
  return URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute)};`], { type: 'text/javascript' }));
}

/** The default URL of the capture worklet module. */
export function defaultWorkletUrl(): string {
  if (__TAPEDECK_IIFE__) return besideScript('capture-worklet.js');
  return new URL('./capture-worklet.js', import.meta.url).href;
}

/** The default URL of the encoder worker module. */
export function defaultWorkerUrl(): string {
  if (__TAPEDECK_IIFE__) return besideScript('encoder-worker.js');
  return new URL('./encoder-worker.js', import.meta.url).href;
}
