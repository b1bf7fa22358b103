/**
 * Messages of the audio thread: main ↔ capture worklet (node.port), and worklet → encoder worker (the frame port).
 * Types only (and the processor's name): the worklet imports nothing else.
 *
 *   main ──node.port──► worklet ──frame port──► encoder worker
 *
 * PCM travels only on the frame port; the main thread sees levels and the end.
 */

/** Name under which the capture processor registers itself. */
export const CAPTURE_PROCESSOR_NAME = 'tapedeck-capture';

/** `processorOptions` of the capture AudioWorkletNode. */
export interface CaptureProcessorOptions {
  /** Channels delivered to the encoder (the node's channelCount). */
  channels: number;
  /** Frames per transferred chunk. */
  chunkFrames: number;
  /** Chunks allocated up front; the worker hands each back after reading it. */
  poolSize: number;
  /** Linear gain. */
  gain: number;
  /** Stop by itself after this many frames (at the context rate); 0 for no limit. */
  limitFrames: number;
  /** Frames between two level reports to the main thread. */
  levelIntervalFrames: number;
  /**
   * Report runs of exact digital silence in the input (≥ 10 ms, after audio was heard) as gaps: a microphone never
   * delivers them, so they are frames the device or the browser did not deliver.
   */
  reportSilentInput: boolean;
}

/**
 * Audio the take knows it did not get, at `atFrame` input frames (context rate) into the file: frames captured and
 * kept before it, paused time and dropped frames excluded.
 * - input-silent: the input delivered exact zeros (a device or browser glitch; microphone takes only);
 * - audio-thread-late: the audio thread did not run for `frames` worth of time (an overloaded machine): the
 *   input of that time is lost or zero-filled;
 * - encoder-behind: the worker fell behind and the worklet's pool ran dry, so `frames` were dropped.
 */
export interface CaptureGap {
  atFrame: number;
  frames: number;
  cause: 'input-silent' | 'audio-thread-late' | 'encoder-behind';
}

/** main → worklet. */
export type WorkletCommand =
  | { type: 'connect'; port: MessagePort }
  | { type: 'start'; paused: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Report the level every `intervalFrames` from now on. */
  | { type: 'meter'; intervalFrames: number }
  | { type: 'stop' };

/** worklet → main. */
export type WorkletReport =
  | { type: 'started' }
  /**
   * Frames captured so far and the peak since the last report; `time` is the audio clock (context time) after the
   * last frame counted, and `capturing` whether frames are being taken from then on (false from a pause). Sent every
   * `intervalFrames`, and at once on pause and on resume, so that the main thread can count on between reports.
   */
  | { type: 'level'; frames: number; peak: number; time: number; capturing: boolean }
  | ({ type: 'gap' } & CaptureGap)
  | { type: 'ended'; frames: number; reason: 'stop' | 'limit' };

/** A level report. */
export type LevelReport = Extract<WorkletReport, { type: 'level' }>;

/** worklet → worker, on the frame port. `data` is planar: channel c at [c * chunkFrames, c * chunkFrames + frames). */
export type FrameMessage = { type: 'frames'; data: Float32Array; frames: number } | { type: 'end'; droppedFrames: number };

/** worker → worklet, on the frame port: a chunk handed back to the pool. */
export interface ReturnMessage {
  type: 'return';
  data: Float32Array;
}
