/** Every code a {@link TapedeckError} can carry. */
export type TapedeckErrorCode =
  /** An option or argument has the wrong type or value; the message names the field. */
  | 'invalid-option'
  /** The encoder is known but this browser (or this build) cannot record it. */
  | 'unsupported-encoder'
  /** The browser lacks something tapedeck needs (secure context, AudioWorklet, Worker). */
  | 'unsupported-browser'
  /** The user or the page's permissions policy refused the microphone. */
  | 'permission-denied'
  /** No input device matches (none at all, or the requested deviceId is gone). */
  | 'device-not-found'
  /** The device exists but cannot be opened (held by another app, hardware error). */
  | 'device-busy'
  /** The method cannot run in the recorder's current state, or the recorder was disposed. */
  | 'invalid-state'
  /** The source would record nothing (no audio track, ended, cross-origin media without CORS, …). */
  | 'source-unrecordable'
  /** The input ended mid-recording (device unplugged, track stopped); what came before is kept. */
  | 'source-ended'
  /** The browser keeps the AudioContext suspended (no user gesture yet), so nothing can be captured. */
  | 'context-suspended'
  /** The capture worklet could not be loaded (often a Content-Security-Policy `script-src`). */
  | 'worklet-load-failed'
  /** The encoder worker could not start or failed while encoding. */
  | 'encoder-failed'
  /** The upload to the tus server failed for good (a refusal such as HTTP 403, or retries used up); the recording is kept. */
  | 'upload-failed';

/** The one error type tapedeck throws: a stable `code`, a message that says what to do, and the original `cause`. */
export class TapedeckError extends Error {
  /** A stable, machine-readable reason. */
  readonly code: TapedeckErrorCode;

  /** @param code the stable reason @param message what happened and what to do @param cause the original error, if any */
  constructor(code: TapedeckErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TapedeckError';
    this.code = code;
  }
}

/** True when `error` is a {@link TapedeckError}, optionally with the given code. */
export function isTapedeckError(error: unknown, code?: TapedeckErrorCode): error is TapedeckError {
  return error instanceof TapedeckError && (code === undefined || error.code === code);
}

/** `error` as a TapedeckError: itself if it is one, else wrapped as `encoder-failed` with it as the cause. */
export function asTapedeckError(error: unknown): TapedeckError {
  if (error instanceof TapedeckError) return error;
  return new TapedeckError('encoder-failed', error instanceof Error ? error.message : String(error), error);
}
