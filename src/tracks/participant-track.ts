import { watchTrackActivity, type TrackActivity } from './track-activity';
import type { Segment, SegmentRecorder } from './segment-recorders';

/** A finished segment with the time it began. */
export interface TimedSegment extends Segment {
  /** Epoch ms when the segment began. */
  startedAt: number;
}

/** What a participant's track reports to its TrackRecorder. */
export interface ParticipantTrackHandlers {
  /** A segment was written. */
  onSegment(segment: TimedSegment): void;
  /** The track ended by itself (the participant left, the device went away). */
  onEnded(): void;
  /** A segment could not be started or finished; the track goes on with the next one. */
  onError(error: unknown): void;
  /** The path of a segment beginning at `startedAt` (epoch ms): its upload's `filename`. */
  pathOf(startedAt: number): string;
}

/**
 * One participant's track of one kind, recorded as segments: a file while the track is on, none while it is off,
 * a new file each time it comes back on or is replaced. Operations run one at a time, in order.
 */
export class ParticipantTrack {
  private activity: TrackActivity | null = null;
  private recording = false;
  private queue: Promise<unknown> = Promise.resolve();
  private segmentStartedAt = 0;
  private ended = false;

  constructor(
    private track: MediaStreamTrack,
    private readonly receiver: RTCRtpReceiver | undefined,
    private readonly recorder: SegmentRecorder,
    private readonly handlers: ParticipantTrackHandlers,
  ) {}

  /** True once the track ended by itself (and was not replaced since). */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** Starts following the track, and the first segment if it is on. Rejects if that segment cannot start. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      this.watch();
      if (this.activity?.on) await this.beginSegment();
      else this.recorder.arm(this.track);
    });
  }

  /** Ends the current segment and records `track` from now on (a new camera, a new sender track). */
  replace(track: MediaStreamTrack): Promise<void> {
    return this.enqueue(async () => {
      this.activity?.stop();
      await this.endSegment(false);
      await this.recorder.disarm();
      this.track = track;
      this.ended = false;
      this.watch();
      if (this.activity?.on) await this.beginSegment().catch((error: unknown) => this.handlers.onError(error));
      else this.recorder.arm(track);
    });
  }

  /** Ends the current segment and stops following the track. */
  stop(): Promise<void> {
    return this.enqueue(async () => {
      this.activity?.stop();
      this.activity = null;
      await this.endSegment(false);
      await this.recorder.disarm();
    });
  }

  /** Releases the recorder and revokes its segments' URLs. */
  dispose(): void {
    this.activity?.stop();
    this.recorder.dispose();
  }

  private watch(): void {
    this.activity = watchTrackActivity(this.track, this.receiver, {
      onChange: (on) => void this.enqueue(() => (on ? this.beginSegment() : this.endSegment())).catch((error: unknown) => this.handlers.onError(error)),
      onEnded: () => {
        this.ended = true;
        void this.enqueue(async () => {
          await this.endSegment(false);
          await this.recorder.disarm();
        })
          .catch((error: unknown) => this.handlers.onError(error))
          .then(() => this.ended && this.handlers.onEnded());
      },
    });
  }

  private async beginSegment(): Promise<void> {
    if (this.recording || this.track.readyState === 'ended') return;
    this.segmentStartedAt = Date.now();
    await this.recorder.start(this.track, this.handlers.pathOf(this.segmentStartedAt));
    this.recording = true;
  }

  /** Ends the segment under way, if any; with `rearm`, gets the next one ready. */
  private async endSegment(rearm = true): Promise<void> {
    if (!this.recording) return;
    this.recording = false;
    const segment = await this.recorder.stop();
    if (segment) this.handlers.onSegment({ ...segment, startedAt: this.segmentStartedAt });
    if (rearm && this.track.readyState !== 'ended') this.recorder.arm(this.track);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
