/**
 * Voice activity of a take, in the encoder worker (options.vad): the captured frames, the same the file is encoded
 * from, mixed to mono, resampled to 16 kHz and cut into 30 ms frames for the detector (codecs/vad.ts); its answers
 * become speech segments (speech-segmenter.ts), reported to the main thread as they are found, in ms of the file.
 *
 * With startOnSpeech the detector first hears the worklet's held frames, while the take waits: speech there is
 * reported at once as 'armedspeech' (the main thread resumes the take, reaching back to it), and the rest waits for
 * the file to begin, to be told in the file's own time.
 */
import { VAD_FRAME, VAD_RATE, type SpeechClassifier } from './codecs/vad-frames';
import { floatToInt16, mixToMono } from './dsp/pcm';
import { Resampler } from './dsp/resampler';
import { SpeechSegmenter } from './speech-segmenter';
import type { VadConfig, WorkerReport } from './protocol';

type SpeechReport = Extract<WorkerReport, { type: 'speechstart' | 'speechend' | 'armedspeech' }>;

/** ms of a sample at the detector's rate, from the start of what it heard. */
const ms = (sample: number) => (sample * 1000) / VAD_RATE;

export class VoiceActivity {
  private readonly resampler: Resampler;
  private readonly segmenter: SpeechSegmenter;
  private readonly frame = new Int16Array(VAD_FRAME);
  private fill = 0;
  /** The auto-stop's silence has passed: the file ends there, and nothing after it is judged. */
  private done = false;
  /** Waiting for the take to begin (startOnSpeech); what was found meanwhile, in the detector's time. */
  private armed: boolean;
  private readonly waiting: Extract<SpeechReport, { type: 'speechstart' | 'speechend' }>[] = [];
  /** Held frames heard, and where in the detector's time the file begins (ms). */
  private heldHeard = 0;
  private fileStartMs = 0;
  /** Frames still to come that the detector heard already, as held frames (a resume's reach back). */
  private skip = 0;
  private disposed = false;

  /**
   * @param report speech found (in ms of the file), or, while armed, the held frame where speech began
   * @param onSilence the auto-stop's silence has passed: the file should end at `atMs`
   */
  constructor(
    config: VadConfig,
    private readonly inputRate: number,
    private readonly classifier: SpeechClassifier,
    private readonly report: (report: SpeechReport) => void,
    onSilence: (atMs: number) => void,
  ) {
    this.armed = config.startOnSpeech;
    this.resampler = new Resampler(inputRate, VAD_RATE, 1);
    const afterSilence = Math.round((config.autoStopAfterMs * VAD_RATE) / 1000);
    this.segmenter = new SpeechSegmenter(VAD_FRAME, afterSilence, {
      start: (at) => {
        if (this.armed) this.report({ type: 'armedspeech', heldFrame: Math.round((ms(at) * inputRate) / 1000) });
        this.tell({ type: 'speechstart', atMs: ms(at) });
      },
      end: (start, end) => this.tell({ type: 'speechend', startMs: ms(start), endMs: ms(end) }),
      silence: (at) => {
        if (this.armed) return; // the file has not begun: nothing to end
        this.done = true;
        onSilence(ms(at) - this.fileStartMs);
      },
    });
  }

  /** `frames` captured frames, planar at the input's rate, in file order. */
  push(planar: readonly Float32Array[], frames: number): void {
    const skipped = Math.min(this.skip, frames);
    this.skip -= skipped;
    if (skipped < frames) this.hear(planar.map((channel) => channel.subarray(skipped, frames)), frames - skipped);
  }

  /** Held frames (startOnSpeech, before the take begins); `at` is the first one's place among them. */
  pushHeld(planar: readonly Float32Array[], frames: number, at: number): void {
    if (!this.armed) return;
    if (at > this.heldHeard) this.hear([new Float32Array(at - this.heldHeard)], at - this.heldHeard); // a dry pool's jump
    this.hear(planar, frames);
    this.heldHeard = at + frames;
  }

  /** The take began: the file starts at held frame `heldFrame`, and the next `replayFrames` frames are held ones. */
  begin(heldFrame: number, replayFrames: number): void {
    if (!this.armed) return;
    this.armed = false;
    // Heard less than where the file starts (the held pool ran dry): silence up to it keeps the detector's time.
    if (this.heldHeard < heldFrame) this.hear([new Float32Array(heldFrame - this.heldHeard)], heldFrame - this.heldHeard);
    this.heldHeard = Math.max(this.heldHeard, heldFrame);
    this.fileStartMs = (heldFrame * 1000) / this.inputRate;
    this.skip = Math.min(replayFrames, this.heldHeard - heldFrame);
    // Silence is timed from speech in the file; speech over before the file began is not told at all.
    this.segmenter.forgetSilence();
    const waiting = this.waiting.splice(0);
    waiting.forEach((report, i) => {
      const end = waiting.slice(i).find((r) => r.type === 'speechend') as { endMs: number } | undefined;
      if (report.type === 'speechstart' && end && end.endMs <= this.fileStartMs) return;
      this.tell(report);
    });
  }

  /** The input has ended: the resampler's last samples are judged (a partial frame is not), and an open segment ends. */
  finish(): void {
    this.take(this.resampler.flush()[0] ?? new Float32Array(0));
    this.segmenter.finish();
    this.dispose();
  }

  /** Lets the detector go (finish() does it; a failed or cancelled take calls it). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.classifier.dispose();
  }

  /** Reports speech in the file's time; while armed it waits, and speech over before the file began is dropped. */
  private tell(report: Extract<SpeechReport, { type: 'speechstart' | 'speechend' }>): void {
    if (this.armed) {
      this.waiting.push(report);
      return;
    }
    const at = (t: number) => Math.max(0, t - this.fileStartMs);
    if (report.type === 'speechstart') this.report({ type: 'speechstart', atMs: at(report.atMs) });
    else if (report.endMs > this.fileStartMs) this.report({ type: 'speechend', startMs: at(report.startMs), endMs: at(report.endMs) });
  }

  private hear(planar: readonly Float32Array[], frames: number): void {
    this.take(this.resampler.process([mixToMono(planar, frames)], frames)[0]!);
  }

  private take(samples: Float32Array): void {
    for (let i = 0; i < samples.length && !this.done; i++) {
      this.frame[this.fill++] = floatToInt16(samples[i]!);
      if (this.fill === VAD_FRAME) {
        this.fill = 0;
        this.segmenter.push(this.classifier.isSpeech(this.frame));
      }
    }
  }
}
