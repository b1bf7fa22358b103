/** What the browser offers the formats: the capture pipeline's APIs, WebAssembly, and WebCodecs' encoders. */

/** True when the platform has what the worklet-and-worker pipeline needs. */
export function hasCapturePlatform(): boolean {
  return (
    typeof globalThis.AudioContext === 'function' &&
    typeof globalThis.AudioWorkletNode === 'function' &&
    typeof globalThis.Worker === 'function' &&
    typeof globalThis.MessageChannel === 'function'
  );
}

/** True where WebAssembly exists (a page's CSP may still forbid compiling it: the MP3 encoder then uses lamejs). */
export const hasWebAssembly = () => typeof globalThis.WebAssembly === 'object';

/** True where WebCodecs has an AudioEncoder at all. */
export const hasWebCodecs = () => typeof globalThis.AudioEncoder === 'function';

/** Whether the browser's WebCodecs encodes `codec` with these settings. */
export async function webCodecsEncodes(codec: string, sampleRate: number, channels: number, bitrate?: number): Promise<boolean> {
  if (!hasWebCodecs()) return false;
  try {
    return (await AudioEncoder.isConfigSupported({ codec, sampleRate, numberOfChannels: channels, bitrate })).supported === true;
  } catch {
    return false;
  }
}
