import { openMicrophone, type MicrophoneRequest } from '../sources/microphone';
import { stopTracks, watchTracks } from '../sources/tracks';

/** A microphone stream lent to one recorder: the recorder's own clone of the page's one stream for that device. */
export interface MicrophoneLease {
  /** The recorder's stream (a clone: stopping it leaves the others running). */
  readonly stream: MediaStream;
  /** The id of the device the stream comes from, as the browser reports it. */
  readonly deviceId: string;
  /** Gives the lease back; the device is released when the last lease is. */
  release(): void;
  /**
   * Called when the device is lost (unplugged, or its stream stopped by the page) instead of ending the lease's stream
   * at once: the holder moves to another device and resolves true, or resolves false and the stream is ended.
   */
  onLost: (() => Promise<boolean>) | null;
}

/** What the pool reports about a shared device, for the session to turn into interruptions. */
export interface DeviceSignal {
  /** The device went quiet (its track muted) or came back, or was lost (begins when lost, ends when holders have moved). */
  reason: 'track-muted' | 'device-lost';
  begin: boolean;
  deviceId: string;
}

/** How soon a microphone stream the page stops (no 'ended' event: Quirk #4) is noticed, in ms: its clones play on meanwhile. */
const TRACK_POLL_MS = 1000;

const isLive = (stream: MediaStream) => stream.getAudioTracks().some((t) => t.readyState === 'live');

interface SharedMicrophone {
  opening: Promise<MediaStream>;
  leases: Set<MicrophoneLease>;
  /** Stops watching the shared stream (set once it is open). */
  unwatch: () => void;
}

/**
 * The page's microphones: each device (with each processing) is opened once, every recorder gets its own clone, and
 * the device is released when the last lease is given back. Watches each shared stream for mute and loss.
 */
export class MicrophonePool {
  private readonly shared = new Map<string, SharedMicrophone>();

  constructor(private readonly signal: (signal: DeviceSignal) => void) {}

  /** A new lease on the microphone `request` asks for (opening it if no one holds it yet). */
  async lease(request: MicrophoneRequest): Promise<MicrophoneLease> {
    const key = JSON.stringify([request.deviceId ?? '', request.channels, request.autoGain, request.cancelEcho, request.suppressNoise]);
    let entry = this.shared.get(key);
    if (entry && !(await entry.opening.then(isLive, () => false))) entry = undefined;
    if (!entry) {
      entry = { opening: openMicrophone(request), leases: new Set(), unwatch: () => undefined };
      this.shared.set(key, entry);
    }
    const shared = entry;
    let original: MediaStream;
    try {
      original = await shared.opening;
    } catch (error) {
      if (this.shared.get(key) === shared) this.shared.delete(key);
      throw error;
    }
    if (shared.leases.size === 0) shared.unwatch = this.watch(key, shared, original);
    const stream = original.clone();
    let released = false;
    const lease: MicrophoneLease = {
      stream,
      deviceId: original.getAudioTracks()[0]?.getSettings().deviceId ?? '',
      onLost: null,
      release: () => {
        if (released) return;
        released = true;
        stopTracks(stream);
        shared.leases.delete(lease);
        if (shared.leases.size > 0) return;
        shared.unwatch();
        stopTracks(original);
        if (this.shared.get(key) === shared) this.shared.delete(key);
      },
    };
    shared.leases.add(lease);
    return lease;
  }

  /** Reports the shared stream's mute and unmute, and hands its loss to the lease holders; returns the unwatcher. */
  private watch(key: string, shared: SharedMicrophone, original: MediaStream): () => void {
    const track = original.getAudioTracks()[0];
    if (!track) return () => undefined;
    const deviceId = track.getSettings().deviceId ?? '';
    let lost = false;
    // Its clones still play while a page-stopped stream waits to be noticed (Quirk #4), so a poll costs no audio.
    const unwatch = watchTracks([track], TRACK_POLL_MS, (change) => {
      if (change === 'mute' || change === 'unmute') this.signal({ reason: 'track-muted', begin: change === 'mute', deviceId });
      if (lost || isLive(original)) return;
      lost = true;
      unwatch();
      if (this.shared.get(key) === shared) this.shared.delete(key);
      void this.lose(shared, deviceId);
    });
    return unwatch;
  }

  /** The device of `shared` is gone: each holder moves elsewhere, or its stream is ended so that its take stops. */
  private async lose(shared: SharedMicrophone, deviceId: string): Promise<void> {
    this.signal({ reason: 'device-lost', begin: true, deviceId });
    await Promise.all(
      [...shared.leases].map(async (lease) => {
        const moved = lease.onLost ? await lease.onLost().catch(() => false) : false;
        if (!moved) stopTracks(lease.stream);
      }),
    );
    this.signal({ reason: 'device-lost', begin: false, deviceId });
  }
}
