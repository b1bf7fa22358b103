import { watchTracks } from '../sources/tracks';

/** How often `enabled` (which fires no event) is read, in ms: a segment's edges are this precise. */
const TRACK_POLL_MS = 50;
/** How often a WebRTC receiver's packet count is read, in ms. */
const RTP_POLL_MS = 200;
/** A receiver with no new packet for this long (ms) is off: the sender stopped sending (replaceTrack(null)). */
const RTP_QUIET_MS = 500;

/** Follows whether a track is on (live, enabled, unmuted and, for a WebRTC receiver, receiving packets). */
export interface TrackActivity {
  /** Whether the track is on now. */
  readonly on: boolean;
  /** Stops following. */
  stop(): void;
}

/** What a track's activity reports. */
export interface ActivityHandlers {
  /** The track went off (false) or came back on (true). */
  onChange(on: boolean): void;
  /** The track ended; nothing more is reported. */
  onEnded(): void;
}

/**
 * Watches `track`: its `mute`/`unmute` events, `enabled` (polled) and, when `receiver` is given, the flow
 * of RTP packets (Chromium fires no `mute` on a remote track whose sender stops sending).
 */
export function watchTrackActivity(track: MediaStreamTrack, receiver: RTCRtpReceiver | undefined, handlers: ActivityHandlers): TrackActivity {
  let flowing = true;
  let on = track.readyState === 'live' && track.enabled && !track.muted;
  let stopped = false;
  const check = () => {
    if (stopped) return;
    if (track.readyState === 'ended') {
      stop();
      handlers.onEnded();
      return;
    }
    const next = track.enabled && !track.muted && flowing;
    if (next === on) return;
    on = next;
    handlers.onChange(next);
  };
  let packets = -1;
  let lastPacketAt = performance.now();
  const readPackets = async () => {
    let count = 0;
    (await receiver!.getStats()).forEach((report: { type: string; kind?: string; packetsReceived?: number }) => {
      if (report.type === 'inbound-rtp') count += report.packetsReceived ?? 0;
    });
    if (count !== packets) {
      packets = count;
      lastPacketAt = performance.now();
      flowing = true;
    } else if (performance.now() - lastPacketAt > RTP_QUIET_MS) {
      flowing = false;
    }
    check();
  };
  // `enabled` fires no event, nor does a track the page stops (Quirk #4): the shared watcher polls them.
  const unwatch = watchTracks([track], TRACK_POLL_MS, check);
  const rtpPoll = receiver ? setInterval(() => void readPackets().catch(() => undefined), RTP_POLL_MS) : undefined;
  function stop() {
    stopped = true;
    unwatch();
    clearInterval(rtpPoll);
  }
  return {
    get on() {
      return on;
    },
    stop,
  };
}
