// The public surface of tapedeck. Everything a user may import is listed here by name.
export { AudioRecorder } from './recorder/audio-recorder';
export type { Amplitude, AudioRecorderEvents, RecorderState, StartRecordingOptions } from './recorder/recorder-events';
export { Recording, type RecordingGap, type SpeechSegment, type RecordingStages } from './recorder/recording';
export { RecoveredRecording } from './recorder/recover';
export { DEFAULT_OPTIONS } from './recorder/options';
export type { AudioRecorderOptions, TapOptions, VadOptions } from './recorder/options';
export { AudioSession } from './session/audio-session';
export type { AudioInterruption, AudioSessionConfig, AudioSessionEvents } from './session/audio-session';
export type { AudioDevice } from './session/device-watch';
export { TapedeckError, isTapedeckError } from './errors';
export type { TapedeckErrorCode } from './errors';
export { KNOWN_ENCODERS, CONTAINERS } from './formats/built-in';
export type { Container, EncoderId } from './formats/built-in';
export { registerEncoder, fromExtendableMediaRecorder } from './formats/plugins';
export type { EncoderPlugin, EncoderPluginConfig, EncoderPluginWorker, ExtendableMediaRecorderEncoder, PluginBytes } from './formats/plugins';
export type { InputDevice, InputProcessing, InputSettings } from './sources/microphone';
export type { RecordableSource, RecordingSource, UnrecordableReason, UnrecordableSource } from './sources/sources';
export type { Listener } from './events';
export { TrackRecorder } from './tracks/track-recorder';
export type {
  StartTrackRecordingOptions,
  TrackEventData,
  TrackFile,
  TrackFileTree,
  TrackKind,
  TrackRecorderEvents,
  TrackRecorderOptions,
  TrackRecordingEvent,
  TrackRef,
} from './tracks/track-types';
export type { WebhookFailure } from './tracks/webhook';
export type { UploadOptions } from './upload/upload-options';
export type { UploadProgress } from './upload/take-upload';
