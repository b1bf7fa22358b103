/**
 * keepAwake: the Screen Wake Lock while a take records, so a phone does not lock (and its browser stop the
 * microphone) in the middle of it. The browser lets the lock go when the page is hidden; it is taken again when the
 * page is shown. Where the API is missing or refuses, `onRefused` says so and the take goes on.
 */
interface WakeLockSentinel {
  release(): Promise<void>;
}

/** Holds the screen awake until the returned function is called. */
export function keepScreenAwake(onRefused: (message: string) => void): () => void {
  const wakeLock = (globalThis.navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinel> } } | undefined)?.wakeLock;
  if (!wakeLock) {
    onRefused('keepAwake: this browser has no Screen Wake Lock; the screen may lock while recording.');
    return () => undefined;
  }
  let sentinel: Promise<WakeLockSentinel | null> = Promise.resolve(null);
  let held = true;
  const take = () => {
    sentinel = wakeLock.request('screen').catch((error: unknown) => {
      onRefused(`keepAwake: the Screen Wake Lock was refused (${error instanceof Error ? error.message : String(error)}); the screen may lock while recording.`);
      return null;
    });
  };
  const shown = () => {
    if (held && document.visibilityState === 'visible') take();
  };
  take();
  document.addEventListener('visibilitychange', shown);
  return () => {
    held = false;
    document.removeEventListener('visibilitychange', shown);
    void sentinel.then((lock) => lock?.release()).catch(() => undefined);
  };
}
