import { asTapedeckError, TapedeckError } from '../errors';
import { Emitter } from '../events';
import { fileExtension, type EncoderId } from '../encoders/formats';
import { resolveOptions } from '../recorder/options';
import { ParticipantTrack, type TimedSegment } from './participant-track';
import { AudioSegmentRecorder, VideoSegmentRecorder } from './segment-recorders';
import { WebhookQueue, type WebhookFailure } from './webhook';
import { zipFiles } from './zip';

/** What a participant's track carries (VideoSDK's kinds). */
export type TrackKind = 'audio' | 'video' | 'screen_audio' | 'screen_video';

const KINDS: readonly TrackKind[] = ['audio', 'video', 'screen_audio', 'screen_video'];
const isVideoKind = (kind: TrackKind) => kind === 'video' || kind === 'screen_video';

/** Options of a {@link TrackRecorder}. */
export interface TrackRecorderOptions {
  /** The call's id: the first part of every file's path. */
  sessionId: string;
  /**
   * Audio format: 'webm' (Opus in WebM, VideoSDK's default) or any encoder id tapedeck records ('wav', 'mp3', 'flac',
   * a registered plugin…). Video kinds are always WebM from the browser's MediaRecorder.
   */
  fileFormat?: 'webm' | EncoderId | (string & {});
  /** Audio settings for every audio track. Defaults: 48 kHz, mono, 64 kb/s for compressed formats. */
  audio?: { bitRate?: number; sampleRate?: number; channels?: 1 | 2 };
  /** Where to POST every lifecycle event's JSON as well. */
  webhookUrl?: string;
  /** How many times a failed webhook POST is retried (default 5). */
  webhookRetries?: number;
  /** The first retry's delay in ms, doubling each time (default 1000). */
  webhookBackoffMs?: number;
  /** As AudioRecorder's: where the worklet and the worker are loaded from. */
  workletUrl?: string;
  /** As AudioRecorder's: where the worklet and the worker are loaded from. */
  workerUrl?: string;
}

/** Which participant's track of which kind. */
export interface TrackRef {
  /** The participant, as the app names them (a folder of the paths). */
  participantId: string;
  /** Which of their tracks. */
  kind: TrackKind;
}

/** What startTrackRecording() records. */
export interface StartTrackRecordingOptions extends TrackRef {
  /** The track to record; or `stream`, whose first track of the kind is taken. */
  track?: MediaStreamTrack;
  /** A stream holding the track (the alternative to `track`). */
  stream?: MediaStream;
  /**
   * For a remote WebRTC track, its RTCRtpReceiver: a stop in the packet flow (the sender's replaceTrack(null), which
   * Chromium does not signal as `mute`) then ends the segment, and its return starts a new one.
   */
  receiver?: RTCRtpReceiver;
}

/** One file of a track recording. */
export interface TrackFile {
  /** `${sessionId}/${participantId}/${kind}/${fileName}`. */
  filePath: string;
  /** A Blob URL of the file. */
  fileUrl: string;
  /** The segment's start time (UTC, ':' as '-') and number: names sort in time order. */
  fileName: string;
  /** Whose track. */
  participantId: string;
  /** Which track. */
  kind: TrackKind;
  /** Epoch ms when the segment began. */
  startedAt: number;
  /** Length of the segment. */
  durationMs: number;
  /** Bytes. */
  size: number;
  /** The file's type, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  /** The file. */
  blob: Blob;
}

/** The ids every lifecycle event carries. */
export interface TrackEventData {
  /** The TrackRecorder's sessionId. */
  sessionId: string;
  /** Whose track. */
  participantId: string;
  /** Which track. */
  kind: TrackKind;
}

/** A lifecycle event (`T` its name, `D` its extra data): the same JSON that is POSTed to `webhookUrl`. */
export interface TrackRecordingEvent<T extends string, D = object> {
  /** The event's name, as VideoSDK's webhook types. */
  webhookType: T;
  /** Which track, and what the event tells. */
  data: TrackEventData & D;
}

/** The events of a {@link TrackRecorder}, named as VideoSDK's webhooks. */
export interface TrackRecorderEvents {
  /** startTrackRecording() was called. */
  'participant-track-recording-starting': TrackRecordingEvent<'participant-track-recording-starting'>;
  /** The track is being recorded (its first segment began, or it is off and the first begins when it comes on). */
  'participant-track-recording-started': TrackRecordingEvent<'participant-track-recording-started'>;
  /** stopTrackRecording() was called, or the track ended. */
  'participant-track-recording-stopping': TrackRecordingEvent<'participant-track-recording-stopping'>;
  /** Recording ended; every file of the track. */
  'participant-track-recording-stopped': TrackRecordingEvent<'participant-track-recording-stopped', { fileDetails: Array<{ filePath: string; fileUrl: string }> }>;
  /** Recording could not start, or the track ended before any media arrived. */
  'participant-track-recording-failed': TrackRecordingEvent<'participant-track-recording-failed', { reason: string; code: string }>;
  /** A segment was written (not a webhook). */
  segment: TrackFile;
  /**
   * Something went wrong with one track that did not end its recording (not a webhook): a segment that could not
   * start or finish, or audio lost to an overloaded machine (`encoder-failed`, saying how much).
   */
  error: TrackRef & { error: TapedeckError };
  /** A webhook POST failed for good (not a webhook); the recording is unaffected. */
  'webhook-failed': WebhookFailure;
}

/** The files of a session: participant → kind → files in time order. */
export type TrackFileTree = Record<string, Partial<Record<TrackKind, TrackFile[]>>>;

function pathPart(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || /[/\\]/.test(value) || value === '.' || value === '..') {
    throw new TapedeckError('invalid-option', `${name} must be a non-empty string without '/' or '\\' (it names a folder of the file paths); got ${JSON.stringify(value)}.`);
  }
  return value;
}

function kindOf(value: unknown): TrackKind {
  if (!KINDS.includes(value as TrackKind)) throw new TapedeckError('invalid-option', `kind must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}; got ${JSON.stringify(value)}.`);
  return value as TrackKind;
}

interface Entry {
  track: ParticipantTrack;
  files: TrackFile[];
  /** Set once stopping began, so that it happens once. */
  stopping: Promise<void> | null;
  /** Its files in which every sample is zero. */
  silent: Set<TrackFile>;
}

/**
 * Records many participants' tracks at once, each to its own files (VideoSDK's participant track recording): a new
 * file each time a track comes back on (unmuted, re-enabled, its packets flowing again, or replaced), nothing while
 * it is off, paths `${sessionId}/${participantId}/${kind}/${fileName}`, lifecycle events (also POSTed to a webhook).
 */
export class TrackRecorder extends Emitter<TrackRecorderEvents> {
  /** The session's id, the root of every path. */
  readonly sessionId: string;
  private readonly audioOptions: ReturnType<typeof resolveOptions>;
  private readonly webhook: WebhookQueue | null;
  private readonly entries = new Map<string, Entry>();
  private readonly files: TrackFile[] = [];
  private readonly recorders: ParticipantTrack[] = [];

  /** Validates `options` (throwing `invalid-option` naming the field); touches no browser API. */
  constructor(private readonly options: TrackRecorderOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new TapedeckError('invalid-option', 'new TrackRecorder(options): options must be an object with a sessionId.');
    this.sessionId = pathPart(options.sessionId, 'options.sessionId');
    const format = options.fileFormat ?? 'webm';
    const audio = options.audio ?? {};
    this.audioOptions = resolveOptions({
      encoder: format === 'webm' ? 'opus' : format,
      container: format === 'webm' ? 'webm' : undefined,
      sampleRate: audio.sampleRate ?? 48000,
      channels: audio.channels ?? 1,
      bitRate: audio.bitRate ?? 64000,
      // No one watches a participant's level meter: two reports a second instead of twenty, for many tracks at once.
      meterIntervalMs: 500,
      workletUrl: options.workletUrl,
      workerUrl: options.workerUrl,
    });
    if (options.webhookUrl !== undefined) {
      let url: URL;
      try {
        url = new URL(options.webhookUrl, globalThis.location?.href);
      } catch {
        throw new TapedeckError('invalid-option', `options.webhookUrl must be an http(s) URL; got ${JSON.stringify(options.webhookUrl)}.`);
      }
      if (!/^https?:$/.test(url.protocol)) throw new TapedeckError('invalid-option', `options.webhookUrl must be an http(s) URL; got ${JSON.stringify(options.webhookUrl)}.`);
      const retries = options.webhookRetries ?? 5;
      const backoff = options.webhookBackoffMs ?? 1000;
      if (!Number.isInteger(retries) || retries < 0) throw new TapedeckError('invalid-option', 'options.webhookRetries must be a whole number ≥ 0.');
      if (!(typeof backoff === 'number' && backoff >= 0)) throw new TapedeckError('invalid-option', 'options.webhookBackoffMs must be a number of ms ≥ 0.');
      this.webhook = new WebhookQueue(url.href, retries, backoff, (failure) => this.emit('webhook-failed', failure));
    } else {
      this.webhook = null;
    }
  }

  /**
   * Starts recording a participant's track. Resolves once it is recording (or waiting, if the track is off); rejects
   * with a TapedeckError (and emits `participant-track-recording-failed`) if it cannot start.
   */
  async startTrackRecording(options: StartTrackRecordingOptions): Promise<void> {
    if (typeof options !== 'object' || options === null) throw new TapedeckError('invalid-option', 'startTrackRecording(options): options must be { participantId, kind, track | stream }.');
    const participantId = pathPart(options.participantId, 'participantId');
    const kind = kindOf(options.kind);
    const track = this.trackOf(options, kind);
    const key = JSON.stringify([participantId, kind]);
    if (this.entries.has(key)) throw new TapedeckError('invalid-state', `${participantId}'s ${kind} track is being recorded already; stopTrackRecording() it first, or replaceTrack().`);
    if (options.receiver !== undefined && !(options.receiver instanceof RTCRtpReceiver)) throw new TapedeckError('invalid-option', 'receiver, when provided, must be the RTCRtpReceiver of the track.');
    const ref = { participantId, kind };
    const recorder = isVideoKind(kind) ? new VideoSegmentRecorder(this.options.workerUrl) : new AudioSegmentRecorder(this.audioOptions);
    recorder.onError = (error) => this.emit('error', { ...ref, error });
    const entry: Entry = {
      files: [],
      stopping: null,
      silent: new Set(),
      track: new ParticipantTrack(track, options.receiver, recorder, {
        onSegment: (segment) => this.addFile(entry, ref, segment),
        onEnded: () => void this.finish(key, entry, ref),
        onError: (error) => this.emit('error', { ...ref, error: asTapedeckError(error) }),
      }),
    };
    this.entries.set(key, entry);
    this.recorders.push(entry.track);
    this.report('participant-track-recording-starting', ref, {});
    try {
      if (track.readyState === 'ended') throw new TapedeckError('source-unrecordable', 'The track ended before any media arrived.');
      await entry.track.start();
    } catch (error) {
      this.entries.delete(key);
      entry.stopping = Promise.resolve();
      const failure = asTapedeckError(error);
      this.report('participant-track-recording-failed', ref, { reason: failure.message, code: failure.code });
      throw failure;
    }
    this.report('participant-track-recording-started', ref, {});
  }

  /** Stops recording a participant's track; resolves once its files are written (after the `stopped` event). */
  async stopTrackRecording(ref: TrackRef): Promise<void> {
    const key = JSON.stringify([pathPart(ref?.participantId, 'participantId'), kindOf(ref?.kind)]);
    const entry = this.entries.get(key);
    if (!entry) throw new TapedeckError('invalid-state', `${ref.participantId}'s ${ref.kind} track is not being recorded.`);
    await this.finish(key, entry, { participantId: ref.participantId, kind: ref.kind });
  }

  /** Records `track` in the place of a participant's current one (a new camera or sender track): a new segment. */
  async replaceTrack(options: TrackRef & { track: MediaStreamTrack }): Promise<void> {
    const kind = kindOf(options?.kind);
    const key = JSON.stringify([pathPart(options.participantId, 'participantId'), kind]);
    const entry = this.entries.get(key);
    if (!entry || entry.stopping) throw new TapedeckError('invalid-state', `${options.participantId}'s ${kind} track is not being recorded; startTrackRecording() it.`);
    await entry.track.replace(this.trackOf(options, kind));
  }

  /** Every file written so far (of tracks still recording too): participant → kind → files in time order. */
  getFiles(): TrackFileTree {
    const tree: TrackFileTree = {};
    for (const file of this.allFiles()) ((tree[file.participantId] ??= {})[file.kind] ??= []).push(file);
    return tree;
  }

  /** One zip of every file written so far, laid out by path. */
  zip(): Promise<Blob> {
    return zipFiles(this.allFiles().map((f) => ({ path: f.filePath, blob: f.blob, modified: f.startedAt })));
  }

  /** Makes the browser download zip() as `fileName` (default `${sessionId}.zip`); resolves with the zip. */
  async download(fileName = `${this.sessionId}.zip`): Promise<Blob> {
    const zip = await this.zip();
    const url = URL.createObjectURL(zip);
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return zip;
  }

  /** Resolves when every webhook POST queued so far was delivered or given up on. */
  webhooksSettled(): Promise<void> {
    return this.webhook?.settled() ?? Promise.resolve();
  }

  /** Stops every track (without events) and revokes every file's URL. */
  dispose(): void {
    for (const track of this.recorders) track.dispose();
    this.entries.clear();
    this.removeAll();
  }

  private allFiles(): TrackFile[] {
    return [...this.files].sort((a, b) => (a.filePath < b.filePath ? -1 : 1));
  }

  private trackOf(options: { track?: MediaStreamTrack; stream?: MediaStream }, kind: TrackKind): MediaStreamTrack {
    const want = isVideoKind(kind) ? 'video' : 'audio';
    const track = options.track ?? (options.stream instanceof MediaStream ? options.stream.getTracks().find((t) => t.kind === want) : undefined);
    if (!(track instanceof MediaStreamTrack)) throw new TapedeckError('invalid-option', `Pass the ${want} track to record as track (or a stream holding one as stream).`);
    if (track.kind !== want) throw new TapedeckError('invalid-option', `Kind '${kind}' needs ${want === 'audio' ? 'an audio' : 'a video'} track; this one is ${track.kind}.`);
    return track;
  }

  private addFile(entry: Entry, ref: TrackRef, segment: TimedSegment): void {
    const number = entry.files.length + 1;
    const stamp = new Date(segment.startedAt).toISOString().replace(/:/g, '-');
    const fileName = `${stamp}_${String(number).padStart(3, '0')}.${fileExtension(segment.blob.type)}`;
    const file: TrackFile = {
      filePath: `${this.sessionId}/${ref.participantId}/${ref.kind}/${fileName}`,
      fileUrl: segment.url,
      fileName,
      participantId: ref.participantId,
      kind: ref.kind,
      startedAt: segment.startedAt,
      durationMs: segment.durationMs,
      size: segment.blob.size,
      mimeType: segment.blob.type,
      blob: segment.blob,
    };
    entry.files.push(file);
    if (segment.silent) entry.silent.add(file);
    this.files.push(file);
    this.emit('segment', file);
  }

  /** Ends a track's recording once: stopping, then stopped with its files, or failed if it ended with none. */
  private finish(key: string, entry: Entry, ref: TrackRef): Promise<void> {
    entry.stopping ??= (async () => {
      this.report('participant-track-recording-stopping', ref, {});
      await entry.track.stop();
      if (this.entries.get(key) === entry) this.entries.delete(key);
      if (entry.track.hasEnded && entry.files.every((file) => entry.silent.has(file))) {
        // Files of nothing but zeros from a track that never delivered are not recordings: dropped, and said so.
        for (const file of entry.files) {
          this.files.splice(this.files.indexOf(file), 1);
          URL.revokeObjectURL(file.fileUrl);
        }
        this.report('participant-track-recording-failed', ref, { reason: 'The track ended before any media arrived.', code: 'source-ended' });
        return;
      }
      this.report('participant-track-recording-stopped', ref, { fileDetails: entry.files.map(({ filePath, fileUrl }) => ({ filePath, fileUrl })) });
    })();
    return entry.stopping;
  }

  private report<T extends keyof TrackRecorderEvents & `participant-track-recording-${string}`>(type: T, ref: TrackRef, extra: object): void {
    const payload = { webhookType: type, data: { sessionId: this.sessionId, participantId: ref.participantId, kind: ref.kind, ...extra } } as TrackRecorderEvents[T];
    this.emit(type, payload);
    void this.webhook?.send(payload);
  }
}
