/** The public shapes of TrackRecorder: its options, files, events (named as VideoSDK's webhooks) and references. */
import type { TapedeckError } from '../errors';
import type { EncoderId } from '../formats/built-in';
import type { UploadOptions } from '../upload/upload-options';
import type { WebhookFailure } from './webhook';

/** What a participant's track carries (VideoSDK's kinds). */
export type TrackKind = 'audio' | 'video' | 'screen_audio' | 'screen_video';


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
  /**
   * Upload every segment to a tus server (as AudioRecorder's `upload` option): audio as it records, video when its
   * segment ends. Each upload's `filename` metadata is the file's path, under `bucketDirPath` when given (VideoSDK's
   * bucket directory). The `stopped` event then waits for the uploads, and its fileDetails give the server's URLs.
   */
  upload?: UploadOptions & { bucketDirPath?: string };
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
  /** With the `upload` option: the file's URL on the server, once it has all of it (else null). */
  uploadUrl: string | null;
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
