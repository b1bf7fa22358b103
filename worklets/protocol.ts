/**
 * Messages of the audio thread: main ↔ capture worklet (node.port), and worklet → encoder worker (the frame port).
 * Types only (and the processor's name, and the size of its pre-roll ring): the worklet imports nothing else.
 *
 *   main ──node.port──► worklet ──frame port──► encoder worker
 *
 * PCM travels only on the frame port; the main thread sees levels and the end.
 */

/** Name under which the capture processor registers itself. */
export const CAPTURE_PROCESSOR_NAME = 'tapedeck-capture';

/**
 * Chunks the pre-roll ring may hold at once, which the pool must have on top of the capture's: enough full ones to
 * cover `ringFrames`, one more (the oldest goes only once the rest cover it), and the one being filled.
 */
export function ringChunks(ringFrames: number, chunkFrames: number): number {
  return ringFrames > 0 ? Math.ceil(ringFrames / chunkFrames) + 2 : 0;
}

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
  /**
   * While paused, keep the last this-many input frames (0 for none) in a ring, for resume() to put at the head of what
   * follows: the pre-roll, plus, with startOnSpeech, the reach back to where speech began. The pool holds its chunks too.
   */
  ringFrames: number;
  /** Frames a resume with pre-roll puts back (options.preRollMs at the context rate). */
  preRollFrames: number;
  /** While paused before the first capture, send the input to the worker as 'held' frames (startOnSpeech's detector). */
  sendHeld: boolean;
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
  /**
   * Take frames again. With `preRoll`, the frames kept while paused go first: the last `preRollFrames`, or, with
   * `speechAtHeldFrame` (startOnSpeech), those from `preRollFrames` before that held frame on.
   */
  | { type: 'resume'; preRoll: boolean; speechAtHeldFrame?: number }
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

/**
 * worklet → worker, on the frame port. `data` is planar: channel c at [c * chunkFrames, c * chunkFrames + frames).
 * - frames: the take's input, in file order (a resume's pre-roll included);
 * - held: input while the take waits for speech (startOnSpeech), for the detector only; `at` is its first frame's
 *   place among the held frames (a gap from a dry pool shows as a jump);
 * - begin: the take began; the file starts at held frame `heldFrame`, and the next `replayFrames` frames are held
 *   ones (already seen by the detector);
 * - end: the take's input has ended.
 */
export type FrameMessage =
  | { type: 'frames'; data: Float32Array; frames: number }
  | { type: 'held'; data: Float32Array; frames: number; at: number }
  | { type: 'begin'; heldFrame: number; replayFrames: number }
  | { type: 'end'; droppedFrames: number };

/** worker → worklet, on the frame port: a chunk handed back to its pool (the held frames' own pool, for `held`). */
export interface ReturnMessage {
  type: 'return';
  data: Float32Array;
  held?: boolean;
}
