/**
 * Where the capture worklet and the encoder worker are loaded from, unless the `workletUrl` / `workerUrl`
 * options say otherwise:
 * - the script-tag build (IIFE) carries both inline and loads them from Blob URLs;
 * - the ES module build finds them beside itself (dist/capture-worklet.js, dist/encoder-worker.js), and
 *   bundlers that follow `new URL('…', import.meta.url)` copy them along.
 */
declare const __TAPEDECK_INLINE_WORKLET__: string | null;
declare const __TAPEDECK_INLINE_WORKER__: string | null;

let inlineUrls: { worklet: string; worker: string } | null = null;

function inline(): { worklet: string; worker: string } | null {
  if (__TAPEDECK_INLINE_WORKLET__ === null || __TAPEDECK_INLINE_WORKER__ === null) return null;
  const url = (source: string) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  inlineUrls ??= { worklet: url(__TAPEDECK_INLINE_WORKLET__), worker: url(__TAPEDECK_INLINE_WORKER__) };
  return inlineUrls;
}

/** The default URL of the capture worklet module. */
export function defaultWorkletUrl(): string {
  const inlined = inline();
  if (inlined) return inlined.worklet;
  return new URL('./capture-worklet.js', import.meta.url).href;
}

/** The default URL of the encoder worker module. */
export function defaultWorkerUrl(): string {
  const inlined = inline();
  if (inlined) return inlined.worker;
  return new URL('./encoder-worker.js', import.meta.url).href;
}
