/**
 * Speech segments from a detector's frame-by-frame answers, by py-webrtcvad's "collector" rule: speech starts when
 * more than 90 % of the last 10 frames (300 ms) are speech, at the first of them that is; it ends when more than
 * 90 % are not, at the end of the last frame that was. One frame's answer is noise; 300 ms of them is a phrase, and
 * a comma's pause (~170 ms) does not split it.
 *
 * Measured on espeak-ng phrases with fvad at aggressiveness 3 (three phrases, 1.5 s apart, clean, in room noise at
 * −45 dBFS, in white noise at 10 dB SNR): starts −10…+20 ms from the truth; ends +29…+119 ms, because fvad goes on
 * saying "speech" for a few frames after it stops (its hang-over). Two frames are taken off each end for it.
 * Times are in samples of the detector's input, so they follow the recording's own clock, not the wall clock.
 */

/** Frames in the window the rule looks at, and the share of them that decides. */
const WINDOW = 10;
const RATIO = 0.9;
/** Frames taken off each segment's end for the detector's hang-over (see the module comment). */
const HANG_OVER = 2;

/** What the segmenter reports, in samples from the start of its input. */
export interface SegmenterEvents {
  start(atSample: number): void;
  end(startSample: number, endSample: number): void;
  /** `afterSilence` samples have passed since a segment ended, with no new one: the first time only (the take ends there). */
  silence(atSample: number): void;
}

export class SpeechSegmenter {
  /** The last WINDOW answers, as a ring. */
  private readonly window: boolean[] = [];
  /** Sample at which the frame being pushed begins. */
  private at = 0;
  private speaking = false;
  private segmentStart = 0;
  /** End (sample) of the last frame that was speech. */
  private lastSpeechEnd = 0;
  /** End of the last segment, or -1 before the first. */
  private lastEnd = -1;
  private silenceReported = false;

  /**
   * @param frameLength samples per frame
   * @param afterSilence samples of silence after speech that make `silence` (0 for never)
   */
  constructor(
    private readonly frameLength: number,
    private readonly afterSilence: number,
    private readonly events: SegmenterEvents,
  ) {}

  /** The detector's answer for the next frame. */
  push(speech: boolean): void {
    this.window.push(speech);
    if (this.window.length > WINDOW) this.window.shift();
    if (speech) this.lastSpeechEnd = this.at + this.frameLength;
    const voiced = this.window.reduce((n, s) => n + (s ? 1 : 0), 0);
    if (!this.speaking && voiced > RATIO * WINDOW) {
      const first = this.window.indexOf(true);
      this.speaking = true;
      this.segmentStart = this.at - (this.window.length - 1 - first) * this.frameLength;
      this.window.length = 0;
      this.events.start(this.segmentStart);
    } else if (this.speaking && this.window.length - voiced > RATIO * WINDOW) {
      this.window.length = 0;
      this.close();
    }
    this.at += this.frameLength;
    if (!this.speaking && this.lastEnd >= 0 && this.afterSilence > 0 && !this.silenceReported && this.at - this.lastEnd >= this.afterSilence) {
      this.silenceReported = true;
      this.events.silence(this.lastEnd + this.afterSilence);
    }
  }

  /** Silence is measured again from the next segment's end (a take that began after its speech had ended). */
  forgetSilence(): void {
    this.lastEnd = -1;
    this.silenceReported = false;
  }

  /** The input has ended: a segment still open ends at its last speech. */
  finish(): void {
    if (this.speaking) this.close();
  }

  private close(): void {
    this.speaking = false;
    const end = Math.max(this.segmentStart + this.frameLength, this.lastSpeechEnd - HANG_OVER * this.frameLength);
    this.lastEnd = end;
    this.events.end(this.segmentStart, end);
  }
}
