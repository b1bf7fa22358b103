/** What the voice-activity codec file and the worker that loads it agree on (types and constants only). */

/** The rate and frame the detector is run at: 30 ms frames of 16 kHz mono (its best-tested setting). */
export const VAD_RATE = 16_000;
export const VAD_FRAME = 480;

/** Says of each 30 ms frame whether it holds speech. */
export interface SpeechClassifier {
  /** `frame`: VAD_FRAME samples at VAD_RATE, 16-bit. */
  isSpeech(frame: Int16Array): boolean;
  dispose(): void;
}
