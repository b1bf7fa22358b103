/**
 * A recorder's level meter: the frames captured so far (timeLength) and the input level, from the worklet's level
 * reports; and how often those reports come (each is a task on the main thread).
 */

/** ms between level reports while no one listens to `amplitude` (they still keep timeLength current). */
const IDLE_METER_MS = 250;
/** The silence floor of levels, in dBFS. */
export const SILENCE_DB = -160;

const toDb = (linear: number) => (linear > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(linear)) : SILENCE_DB);

/** See the module comment. */
export class LevelMeter {
  /** Input frames captured in the take under way (context rate). */
  frames = 0;
  /** The level of the last report and the peak since the take began, in dBFS. */
  amplitude = { current: SILENCE_DB, max: SILENCE_DB };

  /** A new take begins. */
  reset(): void {
    this.frames = 0;
    this.amplitude = { current: SILENCE_DB, max: SILENCE_DB };
  }

  /** A level report: frames so far, and the linear peak since the last report. Returns the amplitude now. */
  report(frames: number, peak: number): { current: number; max: number } {
    this.frames = frames;
    const current = toDb(peak);
    this.amplitude = { current, max: Math.max(this.amplitude.max, current) };
    return { ...this.amplitude };
  }

  /** ms between reports: as often as asked (`askedMs`) while anyone listens to `amplitude`, else slowly. */
  static intervalMs(askedMs: number, listening: boolean): number {
    return listening ? askedMs : Math.max(IDLE_METER_MS, askedMs);
  }
}
