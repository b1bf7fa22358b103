/**
 * Software auto gain of a take, in the encoder worker (options.autoGain = 'software'): brings speech to TARGET_DB
 * without pumping up the room between phrases. The gain is judged on 10 ms blocks of the timeline and applied with no
 * delay: each written stretch ramps linearly to the latest decision, and never above what keeps its own peak below
 * PEAK_CEILING (the stretch is known before it is written: a look-ahead that costs no latency). A stretch whose
 * ceiling is below the gain the last one ended with starts at its ceiling: a loud onset is a step down, as with any
 * limiter that adds no delay; everywhere else the gain is a continuous ramp.
 */

/** Long enough for a steady RMS, short enough that a loud onset is limited within its first syllable. */
const BLOCK_MS = 10;
/** Where speech is brought: loud and clear, with room for peaks (speech's crest factor is ~15–20 dB). */
const TARGET_DB = -20;
/** Below this a block is never speech, however quiet the room: no gain is learned from a dead input. */
const GATE_DB = -55;
/** Speech stands at least this far above the room's noise floor; what does not is the room. */
const ABOVE_FLOOR_DB = 10;
/** The gain's range: a shouting talker is brought down 12 dB at most, a far one up 30 dB at most (noise comes too). */
const MIN_GAIN_DB = -12;
const MAX_GAIN_DB = 30;
/** Slow up (an audible swell is worse than a quiet word), faster down (a loud talker must not stay too loud). */
const UP_DB_PER_S = 6;
const DOWN_DB_PER_S = 20;
/** The loudest a written sample may be: just under full scale, so rounding to 16 bits never clips. */
const PEAK_CEILING = 0.98;
/** The speech level is an RMS over about this much speech: a phrase, not a syllable, so words are not levelled. */
const LEVEL_TIME_MS = 2000;
/** The floor follows a quieter room within ~50 ms (the gaps between words), a louder one at only 4 dB/s. */
const FLOOR_FALL_MS = 50;
const FLOOR_RISE_DB_PER_S = 4;
/** The level given to digital silence (whose log is −∞). */
const SILENCE_DB = -120;

const fromDb = (db: number) => 10 ** (db / 20);

/** Levels speech on planar frames at any rate, the same gain on every channel, in place, with no delay. */
export class AutoGain {
  private readonly blockFrames: number;
  private readonly blockSeconds: number;
  /** The current block of the timeline: frames seen, and the sum of their squares (all channels). */
  private blockFill = 0;
  private blockPower = 0;
  private floorDb: number | null = null;
  /** Mean square of speech-level blocks, and how many there have been. */
  private speechPower = 0;
  private speechBlocks = 0;
  /** The gain decided at the last speech block, and the gain the last written sample got (lower after a peak). */
  private appliedDb = 0;
  private lastGain = 1;

  /** @param sampleRate the frames' rate, Hz */
  constructor(sampleRate: number) {
    this.blockFrames = Math.max(1, Math.round((sampleRate * BLOCK_MS) / 1000));
    this.blockSeconds = this.blockFrames / sampleRate;
  }

  /** The gain decided so far, in dB (what speech gets now; the room between phrases keeps the last phrase's). */
  get gainDb(): number {
    return this.appliedDb;
  }

  /** Applies the gain to `frames` frames of `planar` (one array per channel), in place. */
  process(planar: readonly Float32Array[], frames: number): void {
    for (let at = 0; at < frames; ) {
      const n = Math.min(frames - at, this.blockFrames - this.blockFill);
      let peak = 0;
      for (const channel of planar) {
        for (let i = at; i < at + n; i++) {
          const sample = channel[i]!;
          this.blockPower += sample * sample;
          const magnitude = Math.abs(sample);
          if (magnitude > peak) peak = magnitude; // NaN is never greater: it does not lower the ceiling for good
        }
      }
      this.blockFill += n;
      if (this.blockFill === this.blockFrames) this.judge(this.blockPower / (this.blockFrames * planar.length));
      const ceiling = peak > 0 ? PEAK_CEILING / peak : Infinity;
      const end = Math.min(fromDb(this.appliedDb), ceiling);
      for (const channel of planar) ramp(channel, at, n, this.lastGain, end, ceiling);
      this.lastGain = end;
      at += n;
    }
  }

  /** One whole block's mean square: tracks the floor, and moves the gain if the block is speech. */
  private judge(meanSquare: number): void {
    this.blockFill = 0;
    this.blockPower = 0;
    // A NaN or an infinity would stay in the averages for the rest of the take.
    if (!Number.isFinite(meanSquare)) return;
    const levelDb = meanSquare > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(meanSquare)) : SILENCE_DB;
    const floorDb = this.floorDb ?? levelDb;
    const speech = levelDb > GATE_DB && levelDb > floorDb + ABOVE_FLOOR_DB;
    this.floorDb =
      levelDb < floorDb
        ? floorDb + (levelDb - floorDb) * (1 - Math.exp((-this.blockSeconds * 1000) / FLOOR_FALL_MS))
        : Math.min(levelDb, floorDb + FLOOR_RISE_DB_PER_S * this.blockSeconds);
    if (!speech) return; // held: the room between phrases is not brought up
    this.speechBlocks++;
    // A plain mean until LEVEL_TIME_MS of speech has been heard, so the first phrase is not judged on its first block.
    const weight = Math.max(1 / this.speechBlocks, (this.blockSeconds * 1000) / LEVEL_TIME_MS);
    this.speechPower += (meanSquare - this.speechPower) * weight;
    const wantedDb = Math.min(MAX_GAIN_DB, Math.max(MIN_GAIN_DB, TARGET_DB - 10 * Math.log10(this.speechPower)));
    const stepDb = wantedDb - this.appliedDb;
    this.appliedDb += Math.min(UP_DB_PER_S * this.blockSeconds, Math.max(-DOWN_DB_PER_S * this.blockSeconds, stepDb));
  }
}

/** Multiplies `n` samples from `at` by a gain going linearly from `from` to `to`, never above `ceiling`. */
function ramp(channel: Float32Array, at: number, n: number, from: number, to: number, ceiling: number): void {
  const step = (to - from) / n;
  for (let i = 0; i < n; i++) channel[at + i]! *= Math.min(from + step * (i + 1), ceiling);
}
