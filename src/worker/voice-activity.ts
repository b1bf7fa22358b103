/**
 * Voice activity of a take, in the encoder worker (options.vad): the captured frames, the same the file is encoded
 * from, mixed to mono, resampled to 16 kHz and cut into 30 ms frames for the detector (codecs/vad.ts); its answers
 * become speech segments (speech-segmenter.ts), reported to the main thread as they are found, in ms of the file.
 */
import { VAD_FRAME, VAD_RATE, type SpeechClassifier } from './codecs/vad-frames';
import { floatToInt16, mixToMono } from './dsp/pcm';
import { Resampler } from './dsp/resampler';
import { SpeechSegmenter } from './speech-segmenter';
import type { VadConfig, WorkerReport } from './protocol';

type SpeechReport = Extract<WorkerReport, { type: 'speechstart' | 'speechend' }>;

/** The file's position in ms of a sample at the detector's rate. */
const ms = (sample: number) => (sample * 1000) / VAD_RATE;

export class VoiceActivity {
  private readonly resampler: Resampler;
  private readonly segmenter: SpeechSegmenter;
  private readonly frame = new Int16Array(VAD_FRAME);
  private fill = 0;
  /** The auto-stop's silence has passed: the file ends there, and nothing after it is judged. */
  private done = false;

  /**
   * @param onSpeech each segment's start and end, as found
   * @param onSilence the auto-stop's silence has passed: the file should end at `atMs`
   */
  constructor(
    config: VadConfig,
    inputRate: number,
    private readonly classifier: SpeechClassifier,
    onSpeech: (report: SpeechReport) => void,
    onSilence: (atMs: number) => void,
  ) {
    this.resampler = new Resampler(inputRate, VAD_RATE, 1);
    const afterSilence = Math.round((config.autoStopAfterMs * VAD_RATE) / 1000);
    this.segmenter = new SpeechSegmenter(VAD_FRAME, afterSilence, {
      start: (at) => onSpeech({ type: 'speechstart', atMs: ms(at) }),
      end: (start, end) => onSpeech({ type: 'speechend', startMs: ms(start), endMs: ms(end) }),
      silence: (at) => {
        this.done = true;
        onSilence(ms(at));
      },
    });
  }

  /** `frames` captured frames, planar at the input's rate. */
  push(planar: readonly Float32Array[], frames: number): void {
    this.take(this.resampler.process([mixToMono(planar, frames)], frames)[0]!);
  }

  /** The input has ended: the resampler's last samples are judged (a partial frame is not), and an open segment ends. */
  finish(): void {
    this.take(this.resampler.flush()[0] ?? new Float32Array(0));
    this.segmenter.finish();
    this.classifier.dispose();
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
