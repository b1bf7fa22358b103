// The level meter's take clock: between the worklet's reports the frame count runs on the audio clock, and with no one
// listening the reports come only every 5 s (each is a main-thread task), so that is how far it may run on alone.
import { describe, expect, it } from 'vitest';
import { LevelMeter } from '../../src/recorder/level-meter';

const RATE = 48000;
const report = (frames: number, time: number, capturing = true) => ({ type: 'level' as const, frames, peak: 0.5, time, capturing });

describe('LevelMeter', () => {
  it('reports as often as asked while anyone listens, else every 5 s', () => {
    expect(LevelMeter.intervalMs(50, true)).toBe(50);
    expect(LevelMeter.intervalMs(50, false)).toBe(5000);
  });

  it('counts frames on the audio clock between reports, up to one idle interval, never backwards', () => {
    const meter = new LevelMeter();
    meter.report(report(RATE, 1));
    expect(meter.framesAt(1, RATE)).toBe(RATE);
    expect(meter.framesAt(3.5, RATE)).toBe(RATE * 3.5); // 2.5 s after the report: counted on
    expect(meter.framesAt(20, RATE)).toBe(RATE * 6); // the worklet went quiet: at most 5 s on
    meter.report(report(RATE * 4, 4)); // it caught up with fewer frames than were told
    expect(meter.framesAt(4, RATE)).toBe(RATE * 6);
  });

  it('does not count on while the worklet said it was not capturing (paused)', () => {
    const meter = new LevelMeter();
    meter.report(report(RATE * 2, 2, false));
    expect(meter.framesAt(4, RATE)).toBe(RATE * 2);
  });
});
