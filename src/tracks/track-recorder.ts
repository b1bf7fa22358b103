import { asTapedeckError, TapedeckError } from '../errors';
import { checkOptions, describe, invalidOption, rules, type Field, type Rule } from '../validate';
import { Emitter } from '../events';
import { fileExtension, formatOf } from '../formats/registry';
import { UPLOAD_FIELDS, type UploadOptions } from '../upload/upload-options';
import { resolveOptions } from '../recorder/options';
import { ParticipantTrack, type TimedSegment } from './participant-track';
import { AudioSegmentRecorder, VideoSegmentRecorder } from './segment-recorders';
import type { StartTrackRecordingOptions, TrackFile, TrackFileTree, TrackKind, TrackRecorderEvents, TrackRecorderOptions, TrackRef } from './track-types';
import { WebhookQueue } from './webhook';
import { zipFiles } from './zip';

const KINDS: readonly TrackKind[] = ['audio', 'video', 'screen_audio', 'screen_video'];
const isVideoKind = (kind: TrackKind) => kind === 'video' || kind === 'screen_video';

/** A name that becomes a folder of the file paths. */
const pathPartRule: Rule = (value) =>
  typeof value === 'string' && value.length > 0 && !/[/\\]/.test(value) && value !== '.' && value !== '..'
    ? null
    : "a non-empty string without '/' or '\\' (it names a folder of the file paths)";

function pathPart(value: unknown, name: string): string {
  const must = pathPartRule(value);
  if (must) invalidOption(`${name} must be ${must} (got ${describe(value)}).`);
  return value as string;
}

function kindOf(value: unknown): TrackKind {
  const must = rules.oneOf(KINDS)(value);
  if (must) invalidOption(`kind must be ${must} (got ${describe(value)}).`);
  return value as TrackKind;
}

/** The options' rules (see validate.ts). */
const FIELDS: Record<keyof TrackRecorderOptions, Field> = {
  sessionId: { rule: pathPartRule, required: true },
  fileFormat: rules.nonEmptyString,
  audio: rules.object('options.audio', 'an audio option', { bitRate: () => null, sampleRate: () => null, channels: () => null }),
  webhookUrl: rules.httpUrl('an http(s) URL'),
  webhookRetries: rules.integerIn(0, 1000),
  webhookBackoffMs: rules.numberIn(0, 3_600_000),
  workletUrl: rules.nonEmptyString,
  workerUrl: rules.nonEmptyString,
  upload: rules.object('options.upload', 'an upload option', { ...UPLOAD_FIELDS, bucketDirPath: rules.nonEmptyString }),
};

interface Entry {
  track: ParticipantTrack;
  files: TrackFile[];
  /** Set once stopping began, so that it happens once. */
  stopping: Promise<void> | null;
  /** Its files in which every sample is zero. */
  silent: Set<TrackFile>;
  /** Its files' uploads (the `upload` option), settled once each is done or has failed. */
  uploads: Map<TrackFile, Promise<unknown>>;
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
  /** The `upload` option, less its bucketDirPath (the AudioRecorders' upload). */
  private readonly upload: UploadOptions | undefined;
  private readonly bucketDirPath: string = '';

  /** Validates `options` (throwing `invalid-option` naming the field); touches no browser API. */
  constructor(private readonly options: TrackRecorderOptions) {
    super();
    checkOptions<TrackRecorderOptions>(options, 'options', 'an option of TrackRecorder', FIELDS);
    this.sessionId = options.sessionId;
    if (options.upload) {
      const { bucketDirPath, ...upload } = options.upload;
      this.upload = upload;
      this.bucketDirPath = bucketDirPath?.replace(/\/+$/, '') ?? '';
    }
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
      upload: this.upload,
    });
    this.webhook =
      options.webhookUrl === undefined
        ? null
        : new WebhookQueue(new URL(options.webhookUrl, globalThis.location?.href).href, options.webhookRetries ?? 5, options.webhookBackoffMs ?? 1000, (failure) =>
            this.emit('webhook-failed', failure),
          );
  }

  /**
   * Starts recording a participant's track. Resolves once it is recording (or waiting, if the track is off); rejects
   * with a TapedeckError (and emits `participant-track-recording-failed`) if it cannot start.
   */
  async startTrackRecording(options: StartTrackRecordingOptions): Promise<void> {
    checkOptions<StartTrackRecordingOptions>(options, 'options', 'an option of startTrackRecording()', {
      participantId: { rule: pathPartRule, required: true },
      kind: { rule: rules.oneOf(KINDS), required: true },
      track: () => null,
      stream: () => null,
      receiver: (value) => (value instanceof RTCRtpReceiver ? null : 'the RTCRtpReceiver of the track'),
    });
    const participantId = pathPart(options.participantId, 'participantId');
    const kind = kindOf(options.kind);
    const track = this.trackOf(options, kind);
    const key = JSON.stringify([participantId, kind]);
    if (this.entries.has(key)) throw new TapedeckError('invalid-state', `${participantId}'s ${kind} track is being recorded already; stopTrackRecording() it first, or replaceTrack().`);
    const ref = { participantId, kind };
    const recorder = isVideoKind(kind) ? new VideoSegmentRecorder(this.options.workerUrl, this.upload) : new AudioSegmentRecorder(this.audioOptions);
    const extension = isVideoKind(kind) ? 'webm' : fileExtension(this.audioMimeType());
    recorder.onError = (error) => this.emit('error', { ...ref, error });
    const entry: Entry = {
      files: [],
      stopping: null,
      silent: new Set(),
      uploads: new Map(),
      track: new ParticipantTrack(track, options.receiver, recorder, {
        onSegment: (segment) => this.addFile(entry, ref, segment),
        onEnded: () => void this.finish(key, entry, ref),
        onError: (error) => this.emit('error', { ...ref, error: asTapedeckError(error) }),
        pathOf: (startedAt) => this.uploadPath(this.filePath(ref, startedAt, entry.files.length + 1, extension)),
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

  /** The audio files' MIME type (for their extension). */
  private audioMimeType(): string {
    const o = this.audioOptions;
    return formatOf(o.encoder)!.mimeType({ sampleRate: o.sampleRate, channels: o.channels, container: o.container ?? '' });
  }

  /** `${sessionId}/${participantId}/${kind}/${fileName}`: the segment's start (UTC, ':' as '-') and number. */
  private filePath(ref: TrackRef, startedAt: number, number: number, extension: string): string {
    const stamp = new Date(startedAt).toISOString().replace(/:/g, '-');
    return `${this.sessionId}/${ref.participantId}/${ref.kind}/${stamp}_${String(number).padStart(3, '0')}.${extension}`;
  }

  /** A file's path on the upload server: under bucketDirPath. */
  private uploadPath(filePath: string): string {
    return this.bucketDirPath ? `${this.bucketDirPath}/${filePath}` : filePath;
  }

  private addFile(entry: Entry, ref: TrackRef, segment: TimedSegment): void {
    const filePath = this.filePath(ref, segment.startedAt, entry.files.length + 1, fileExtension(segment.blob.type));
    const file: TrackFile = {
      filePath,
      fileUrl: segment.url,
      fileName: filePath.slice(filePath.lastIndexOf('/') + 1),
      uploadUrl: null,
      participantId: ref.participantId,
      kind: ref.kind,
      startedAt: segment.startedAt,
      durationMs: segment.durationMs,
      size: segment.blob.size,
      mimeType: segment.blob.type,
      blob: segment.blob,
    };
    entry.files.push(file);
    if (segment.upload) entry.uploads.set(file, segment.upload.then((url) => (file.uploadUrl = url), (error: unknown) => this.emit('error', { ...ref, error: asTapedeckError(error) })));
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
      // With `upload`, the event waits for the segments' uploads: its fileUrls are then the server's (or, for one that
      // failed, the local file's, with the failure as an `error` event).
      await Promise.all(entry.uploads.values());
      this.report('participant-track-recording-stopped', ref, { fileDetails: entry.files.map(({ filePath, fileUrl, uploadUrl }) => ({ filePath, fileUrl: uploadUrl ?? fileUrl })) });
    })();
    return entry.stopping;
  }

  private report<T extends keyof TrackRecorderEvents & `participant-track-recording-${string}`>(type: T, ref: TrackRef, extra: object): void {
    const payload = { webhookType: type, data: { sessionId: this.sessionId, participantId: ref.participantId, kind: ref.kind, ...extra } } as TrackRecorderEvents[T];
    this.emit(type, payload);
    void this.webhook?.send(payload);
  }
}
