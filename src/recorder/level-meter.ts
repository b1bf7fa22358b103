/**
 * A recorder's level meter and take clock: the input level, and the frames captured so far (timeLength), from the
 * worklet's level reports. Each report is a task on the main thread (~0.15 ms on a 2-core machine), so they come
 * only as often as someone needs the level; between them the frame count runs on the audio clock, from the last
 * report's clock time, while the worklet said it was capturing (it reports at once on pause and on resume).
 */
import type { LevelReport } from '../../worklets/protocol';

/**
 * ms between level reports while no one listens to `amplitude` or polls getAmplitude(). Between reports the frame count
 * runs on the audio clock, which is exact while the worklet captures (it counts the same render quanta, and tells at
 * once when it pauses, resumes or ends); the reports only bound how far it runs on should the worklet fall silent. Each
 * one is a main-thread task: at 1 s these were half of an idle take's wake-ups (issue 18: main thread ≤ 1 ms/s).
 */
const IDLE_METER_MS = 5000;
/** getAmplitude() keeps the meter at its asked interval this long after each call, in ms (a UI polling it). */
export const POLLED_METER_MS = 2000;
/** The silence floor of levels, in dBFS. */
export const SILENCE_DB = -160;

const toDb = (linear: number) => (linear > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(linear)) : SILENCE_DB);

/** See the module comment. */
export class LevelMeter {
  /** The level of the last report and the peak since the take began, in dBFS. */
  amplitude = { current: SILENCE_DB, max: SILENCE_DB };
  private last: LevelReport | null = null;
  /** The most frames told so far (the count never runs backwards). */
  private told = 0;

  /** A new take begins. */
  reset(): void {
    this.last = null;
    this.told = 0;
    this.amplitude = { current: SILENCE_DB, max: SILENCE_DB };
  }

  /** A level report. Returns the amplitude now. */
  report(report: LevelReport): { current: number; max: number } {
    this.last = report; // a message's own clone: nothing else holds it
    const current = toDb(report.peak);
    this.amplitude = { current, max: Math.max(this.amplitude.max, current) };
    return { ...this.amplitude };
  }

  /**
   * Input frames captured by audio clock `now` (seconds) at `rate` Hz: the last report's, counted on while capturing
   * (at most one idle interval on, should reports stop).
   */
  framesAt(now: number, rate: number): number {
    const last = this.last;
    if (!last) return this.told;
    const since = last.capturing ? Math.min(Math.max(0, now - last.time), IDLE_METER_MS / 1000) : 0;
    this.told = Math.max(this.told, last.frames + Math.round(since * rate));
    return this.told;
  }

  /** ms between reports: as often as asked (`askedMs`) while anyone listens or polls, else every IDLE_METER_MS. */
  static intervalMs(askedMs: number, listening: boolean): number {
    return listening ? askedMs : Math.max(IDLE_METER_MS, askedMs);
  }
}
