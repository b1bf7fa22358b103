/** Media tracks: stopping a stream's, and watching them change (the one watcher the take, the session and TrackRecorder share). */

/**
 * Watched tracks are also read on a timer: `enabled` fires no event, and Quirk #4: by spec track.stop() fires no
 * 'ended' on that track, so a track the page stops is noticed only by reading it. Each watcher says how often it must
 * know (each timer task costs the main thread ~0.15 ms: a 50 ms poll for every take doubled its main-thread time);
 * watchers of one period share one timer (a page may watch dozens of tracks).
 */
const timers = new Map<number, { checks: Set<() => void>; id: ReturnType<typeof setInterval> }>();

function poll(check: () => void, periodMs: number): () => void {
  let timer = timers.get(periodMs);
  if (!timer) {
    const checks = new Set<() => void>();
    timer = { checks, id: setInterval(() => checks.forEach((f) => f()), periodMs) };
    timers.set(periodMs, timer);
  }
  timer.checks.add(check);
  const own = timer;
  return () => {
    if (!own.checks.delete(check) || own.checks.size > 0) return;
    clearInterval(own.id);
    timers.delete(periodMs);
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
 * Calls `onChange` when any of `tracks` may have changed (mute, unmute, ended, or a poll every `pollMs` for what
 * fires no event); the caller reads the tracks' state. `tracks` may grow while watched (polled only). Returns the
 * unwatcher.
 */
export function watchTracks(tracks: readonly MediaStreamTrack[], pollMs: number, onChange: (change: TrackChange) => void): () => void {
  if (tracks.length === 0) return () => undefined;
  const listeners = EVENTS.map((type) => [type, () => onChange(type)] as const);
  const watched = [...tracks];
  for (const track of watched) for (const [type, listener] of listeners) track.addEventListener(type, listener);
  const stopPolling = poll(() => onChange('poll'), pollMs);
  return () => {
    stopPolling();
    for (const track of watched) for (const [type, listener] of listeners) track.removeEventListener(type, listener);
  };
}

/** Calls `onEnded` once, when every track in `tracks` has ended (polled every `pollMs`); returns the unwatcher. */
export function whenAllEnded(tracks: readonly MediaStreamTrack[], pollMs: number, onEnded: () => void): () => void {
  let done = false;
  const stop = watchTracks(tracks, pollMs, () => {
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
