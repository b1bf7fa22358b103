/**
 * A recorder following the session's interruptions (the `handleInterruptions` option): it pauses when one begins
 * and resumes when the last one that paused it ends. A device's interruption concerns the recorders on that device;
 * a hidden or frozen page, only those with `pauseWhenHidden`.
 */
import type { AudioInterruption } from './audio-session';

/** What following needs of a recorder. */
export interface Follower {
  readonly state: 'stopped' | 'recording' | 'paused';
  /** Whether it pauses while the page is hidden or frozen too (pauseWhenHidden). */
  readonly pausesWhenHidden: boolean;
  /** The device the recorder's microphone take uses, if it records a microphone. */
  deviceId(): string | undefined;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** Where interruptions come from (the session). */
export interface InterruptionSource {
  on(event: 'interruption', listener: (interruption: AudioInterruption) => void): () => void;
}

/** Makes `recorder` follow `session`'s interruptions; returns a function that stops following. */
export function followInterruptions(session: InterruptionSource, recorder: Follower): { stop(): void; reset(): void } {
  /** Interruptions that paused the recorder and have not ended yet. */
  const pausedBy = new Set<string>();
  const stop = session.on('interruption', ({ begin, type, reason, deviceId }) => {
    // A hidden page goes on capturing unless asked (browsers keep capturing in hidden tabs).
    if ((reason === 'page-hidden' || reason === 'page-frozen') && !recorder.pausesWhenHidden) return;
    if (deviceId !== undefined && begin && recorder.deviceId() !== deviceId) return;
    const key = `${reason}:${deviceId ?? ''}`;
    if (begin && type === 'pause' && recorder.state === 'recording') {
      pausedBy.add(key);
      recorder.pause().catch(() => undefined);
    } else if (!begin && pausedBy.delete(key) && pausedBy.size === 0 && recorder.state === 'paused') {
      recorder.resume().catch(() => undefined);
    }
  });
  return { stop, reset: () => pausedBy.clear() };
}
