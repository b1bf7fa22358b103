import { TapedeckError } from '../errors';
import { stopTracks } from './tracks';

/** What the microphone is asked for. */
export interface MicrophoneRequest {
  deviceId?: string;
  channels: number;
  autoGain: boolean;
  cancelEcho: boolean;
  suppressNoise: boolean;
}

/** What the browser actually applied to the microphone track (from `getSettings()`). */
/** What the browser says of a microphone track (undefined where it does not say, and for other sources). */
export interface TrackSettings {
  /** The device in use. */
  deviceId: string | undefined;
  /** Hz, where the browser says. */
  sampleRate: number | undefined;
  /** Channels the track delivers, where the browser says. */
  channelCount: number | undefined;
  /** Whether the browser's automatic gain control is on. */
  autoGain: boolean | undefined;
  /** Whether the browser's echo cancellation is on. */
  cancelEcho: boolean | undefined;
  /** Whether the browser's noise suppression is on. */
  suppressNoise: boolean | undefined;
}

/** The input of a take: the microphone track's settings, and which processing the recorded audio went through, and whose. */
export interface InputSettings extends TrackSettings {
  /** Who processed the audio that is recorded. */
  processing: InputProcessing;
}

/** Which processing a take's audio went through: the browser's on the microphone track, and tapedeck's own. */
export interface InputProcessing {
  /** The browser's, as the track says it is (all false for sources other than a microphone). */
  browser: { autoGain: boolean; cancelEcho: boolean; suppressNoise: boolean };
  /** tapedeck's, in the encoder worker, for any source (options.denoise, options.autoGain 'software'). */
  tapedeck: { denoise: 'rnnoise' | null; autoGain: boolean };
}

/** An audio input device. */
export interface InputDevice {
  /** Pass as `deviceId`. */
  id: string;
  /** Human-readable name; empty until the page has microphone permission. */
  label: string;
}

/** The getUserMedia constraints for `request`. */
export function microphoneConstraints(request: MicrophoneRequest): MediaStreamConstraints {
  // Quirk #1: Chromium silently switches to the raw, processing-off mode when sampleRate is
  // constrained (even as ideal), so the rate is never asked for: the worker resamples instead.
  return {
    audio: {
      deviceId: request.deviceId === undefined ? undefined : { exact: request.deviceId },
      channelCount: { ideal: request.channels },
      autoGainControl: request.autoGain,
      echoCancellation: request.cancelEcho,
      noiseSuppression: request.suppressNoise,
    },
    video: false,
  };
}

/**
 * Turns a getUserMedia rejection into a TapedeckError that keeps its meaning, with the original as
 * `cause` (so callers can still tell NotAllowedError from NotFoundError).
 */
export function mapGetUserMediaError(error: unknown): TapedeckError {
  const name = (error as { name?: unknown } | null)?.name;
  const detail = error instanceof Error && error.message ? ` (${error.name}: ${error.message})` : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new TapedeckError(
        'permission-denied',
        `Microphone permission was denied${detail}. Ask the user to allow the microphone for this site, or check the page's Permissions-Policy.`,
        error,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new TapedeckError(
        'device-not-found',
        `No matching microphone was found${detail}. Connect one, or pick an id from getInputDevices().`,
        error,
      );
    case 'NotReadableError':
    case 'AbortError':
      return new TapedeckError(
        'device-busy',
        `The microphone could not be opened${detail}; another application may be using it.`,
        error,
      );
    default:
      return new TapedeckError(
        'unsupported-browser',
        `getUserMedia failed${detail}. Microphone capture needs a secure context (https or localhost).`,
        error,
      );
  }
}

function mediaDevices(): MediaDevices {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getUserMedia) {
    throw new TapedeckError(
      'unsupported-browser',
      'navigator.mediaDevices.getUserMedia is not available: serve the page over https (or localhost) in a browser with microphone support.',
    );
  }
  return devices;
}

/** Opens the microphone; rejects with a mapped TapedeckError. */
export async function openMicrophone(request: MicrophoneRequest): Promise<MediaStream> {
  const devices = mediaDevices();
  try {
    return await devices.getUserMedia(microphoneConstraints(request));
  } catch (error) {
    throw mapGetUserMediaError(error);
  }
}

/** What the browser applied to `track`. */
export function readInputSettings(track: MediaStreamTrack): TrackSettings {
  const s = track.getSettings();
  return {
    deviceId: s.deviceId,
    sampleRate: s.sampleRate,
    channelCount: s.channelCount,
    autoGain: s.autoGainControl,
    cancelEcho: s.echoCancellation,
    suppressNoise: s.noiseSuppression,
  };
}

/**
 * Whether the page may use the microphone. Without `request` it never prompts: it asks the Permissions
 * API, and answers false while the answer would be a prompt. With `request: true` it prompts if needed.
 */
export async function hasMicrophonePermission(request: boolean): Promise<boolean> {
  try {
    const status = await globalThis.navigator?.permissions?.query({ name: 'microphone' as PermissionName });
    if (status?.state === 'granted') return true;
    if (status?.state === 'denied') return false;
  } catch {
    // Some browsers do not know the 'microphone' permission name: fall through.
  }
  if (!request) return false;
  try {
    stopTracks(await mediaDevices().getUserMedia({ audio: true }));
    return true;
  } catch (error) {
    if (error instanceof TapedeckError) throw error;
    const mapped = mapGetUserMediaError(error);
    if (mapped.code === 'permission-denied') return false;
    throw mapped;
  }
}

/** The audio input devices. Labels are empty until the page has microphone permission. */
export async function listInputDevices(): Promise<InputDevice[]> {
  const devices = await mediaDevices().enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput').map((d) => ({ id: d.deviceId, label: d.label }));
}
