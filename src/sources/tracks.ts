/** Media tracks: stopping a stream's, and watching them change (the one watcher the take, the session and TrackRecorder share). */

/**
 * How often watched tracks are read, in ms: `enabled` fires no event, and Quirk #4: by spec track.stop() fires no
 * 'ended' on that track, so a track the page stops is noticed only by reading it. One shared timer for every track.
 */
const POLL_MS = 50;

/** The checks the shared timer runs (a page may watch dozens of tracks: one timer for all). */
const polled = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function poll(check: () => void): () => void {
  polled.add(check);
  timer ??= setInterval(() => polled.forEach((f) => f()), POLL_MS);
  return () => {
    if (!polled.delete(check) || polled.size > 0) return;
    clearInterval(timer);
    timer = undefined;
  };
}

/** Ends every track of `stream`. */
export function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Why a watcher is called: a track's event, or the poll. */
export type TrackChange = 'mute' | 'unmute' | 'ended' | 'poll';

const EVENTS = ['mute', 'unmute', 'ended'] as const;

/**
 * Calls `onChange` when any of `tracks` may have changed (mute, unmute, ended, or a poll for what fires no event);
 * the caller reads the tracks' state. `tracks` may grow while watched (polled only). Returns the unwatcher.
 */
export function watchTracks(tracks: readonly MediaStreamTrack[], onChange: (change: TrackChange) => void): () => void {
  if (tracks.length === 0) return () => undefined;
  const listeners = EVENTS.map((type) => [type, () => onChange(type)] as const);
  const watched = [...tracks];
  for (const track of watched) for (const [type, listener] of listeners) track.addEventListener(type, listener);
  const stopPolling = poll(() => onChange('poll'));
  return () => {
    stopPolling();
    for (const track of watched) for (const [type, listener] of listeners) track.removeEventListener(type, listener);
  };
}

/** Calls `onEnded` once, when every track in `tracks` has ended; returns a function that stops watching. */
export function whenAllEnded(tracks: readonly MediaStreamTrack[], onEnded: () => void): () => void {
  let done = false;
  const stop = watchTracks(tracks, () => {
    if (done || !tracks.every((t) => t.readyState === 'ended')) return;
    done = true;
    stop();
    onEnded();
  });
  return () => {
    done = true;
    stop();
  };
}
