// Software auto gain in node: espeak-ng phrases far too quiet and far too loud, in a quiet room, and a steady tone,
// fed in chunks as the worker is fed; every level is measured on the audio that comes out.
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoGain } from '../../src/worker/auto-gain';
import { phraseTrack, roomNoise, SPEECH_RATE, type PhraseSpan } from '../support/speech-fixtures';

const folder = 'tests/.generated';
const BLOCK = Math.round(SPEECH_RATE / 100); // 10 ms
let track: { samples: Float32Array; phrases: PhraseSpan[] };
/** The start of each 10 ms block of the track that is voiced: inside a phrase, within 30 dB of the loudest block. */
let voiced: number[];
beforeAll(() => {
  mkdirSync(folder, { recursive: true });
  track = phraseTrack(folder); // needs espeak-ng (npm test installs it)
  const starts = track.phrases.flatMap(({ startMs, endMs }) => {
    const [from, to] = [Math.ceil((startMs * SPEECH_RATE) / 1000 / BLOCK), Math.floor((endMs * SPEECH_RATE) / 1000 / BLOCK)];
    return Array.from({ length: to - from }, (_, b) => (from + b) * BLOCK);
  });
  const loudest = Math.max(...starts.map((at) => rmsDb(track.samples.subarray(at, at + BLOCK))));
  voiced = starts.filter((at) => rmsDb(track.samples.subarray(at, at + BLOCK)) >= loudest - 30);
});

const dbOf = (meanSquare: number) => 10 * Math.log10(meanSquare);
const rmsDb = (samples: Float32Array) => dbOf(samples.reduce((sum, s) => sum + s * s, 0) / samples.length);
/** RMS in dBFS over the voiced blocks that start in [fromMs, toMs), of one channel or of several (their mean square). */
function voicedDb(samples: Float32Array | Float32Array[], fromMs = 0, toMs = Infinity): number {
  const channels = Array.isArray(samples) ? samples : [samples];
  const blocks = voiced.filter((at) => at >= (fromMs * SPEECH_RATE) / 1000 && at < (toMs * SPEECH_RATE) / 1000);
  const sum = (channel: Float32Array) => blocks.reduce((all, at) => all + channel.subarray(at, at + BLOCK).reduce((s, x) => s + x * x, 0), 0);
  return dbOf(channels.reduce((all, channel) => all + sum(channel), 0) / (blocks.length * BLOCK * channels.length));
}
/** The track scaled so that its voiced RMS is `db` dBFS. */
function speechAt(db: number): Float32Array {
  const scale = 10 ** ((db - voicedDb(track.samples)) / 20);
  return track.samples.map((s) => s * scale);
}

/** A copy of `planar`, through an AutoGain at `rate` in chunks of `chunk` frames. */
function level(planar: Float32Array[], rate = SPEECH_RATE, chunk = 2048): Float32Array[] {
  const out = planar.map((channel) => channel.slice());
  const autoGain = new AutoGain(rate);
  for (let at = 0; at < out[0]!.length; at += chunk) {
    const frames = Math.min(chunk, out[0]!.length - at);
    autoGain.process(out.map((channel) => channel.subarray(at, at + frames)), frames);
  }
  return out;
}
const peakOf = (samples: Float32Array) => samples.reduce((peak, s) => Math.max(peak, Math.abs(s)), 0);
/** The gain over [fromMs, toMs), from what went in and what came out, dB. */
const gainDb = (input: Float32Array, output: Float32Array, fromMs: number, toMs: number) => {
  const [from, to] = [Math.round((fromMs * SPEECH_RATE) / 1000), Math.round((toMs * SPEECH_RATE) / 1000)];
  return rmsDb(output.subarray(from, to)) - rmsDb(input.subarray(from, to));
};

describe('AutoGain on espeak-ng phrases', () => {
  it('brings speech at −35 and at −8 dBFS to −20 ± 2 dBFS from the second phrase on, never above full scale', () => {
    for (const db of [-35, -8]) {
      const [output] = level([speechAt(db)]);
      const [second, third] = track.phrases.slice(1);
      const after = voicedDb(output!, second!.startMs);
      const each = [voicedDb(output!, second!.startMs, third!.startMs), voicedDb(output!, third!.startMs)].map((v) => v.toFixed(2));
      console.log(`auto gain, speech at ${db} dBFS: phrases 2 and 3 at ${after.toFixed(2)} dBFS (${each.join(', ')}); peak ${peakOf(output!).toFixed(3)}`);
      expect(Math.abs(after - -20)).toBeLessThanOrEqual(2);
      expect(peakOf(output!)).toBeLessThanOrEqual(1);
    }
  });

  it('gives both channels the same gain, judged on both: a right channel at half the left keeps that ratio sample by sample', () => {
    const input = speechAt(-35);
    const [left, right] = level([input, input.map((s) => s * 0.5)]);
    // The level is the channels' mean square (the left alone is 10·log10(2 / 1.25) = 2.04 dB above it).
    const after = voicedDb([left!, right!], track.phrases[1]!.startMs);
    console.log(`auto gain, stereo (right at half the left): phrases 2 and 3 at ${after.toFixed(2)} dBFS over both channels`);
    expect(Math.abs(after - -20)).toBeLessThanOrEqual(2);
    expect(left!.reduce((worst, s, i) => Math.max(worst, Math.abs(right![i]! - s * 0.5)), 0)).toBeLessThanOrEqual(1e-7);
  });

  it('does not pump up the room: in each pause the gain is at most 1 dB above the one the phrase before it ended with', () => {
    const speech = speechAt(-35);
    const input = roomNoise(speech.length).map((n, i) => n + speech[i]!);
    const [output] = level([input]);
    const { phrases } = track;
    // Before the first phrase there is no speech yet: the gain stays where it started.
    const lead = gainDb(input, output!, 50, phrases[0]!.startMs - 50);
    console.log(`auto gain in a quiet room: ${lead.toFixed(2)} dB before the first phrase`);
    expect(lead).toBeLessThanOrEqual(1);
    phrases.forEach((phrase, i) => {
      const ended = gainDb(input, output!, phrase.endMs - 150, phrase.endMs);
      const pause = gainDb(input, output!, phrase.endMs + 50, (phrases[i + 1]?.startMs ?? input.length / (SPEECH_RATE / 1000)) - 50);
      console.log(`auto gain in a quiet room: phrase ${i + 1} ended at ${ended.toFixed(2)} dB, the pause after it got ${pause.toFixed(2)} dB`);
      expect(pause - ended).toBeLessThanOrEqual(1);
    });
    expect(peakOf(output!)).toBeLessThanOrEqual(1);
  });

  it('limits a loud onset after long quiet speech (gain near +30 dB) within full scale, whatever the chunks', () => {
    const quiet = speechAt(-52).subarray(0, Math.round(8 * SPEECH_RATE)); // the gain climbs toward +30 dB
    const loud = speechAt(-8);
    const input = new Float32Array(quiet.length + loud.length);
    input.set(quiet);
    input.set(loud, quiet.length);
    for (const chunk of [1, 127, 2048, 4801]) {
      const [output] = level([input], SPEECH_RATE, chunk);
      expect(output!.length).toBe(input.length);
      expect(peakOf(output!)).toBeLessThanOrEqual(1);
    }
  });

  it('holds a steady tone steady: after it has settled, its gain varies by < 0.5 dB from one second to the next', () => {
    for (const rate of [44_100, 48_000]) {
      const input = new Float32Array(12 * rate);
      const amplitude = 10 ** (-40 / 20) * Math.SQRT2; // −40 dBFS RMS
      for (let i = rate / 2; i < input.length; i++) input[i] = amplitude * Math.sin((2 * Math.PI * 440 * i) / rate);
      const [output] = level([input], rate);
      const seconds = Array.from({ length: 8 }, (_, s) => rmsDb(output!.subarray((4 + s) * rate, (5 + s) * rate)) - rmsDb(input.subarray((4 + s) * rate, (5 + s) * rate)));
      console.log(`auto gain, 440 Hz at −40 dBFS, ${rate} Hz: gain per second from 4 s: ${seconds.map((g) => g.toFixed(2)).join(' ')} dB`);
      expect(Math.max(...seconds) - Math.min(...seconds)).toBeLessThan(0.5);
      expect(Math.abs(seconds.at(-1)! - 20)).toBeLessThanOrEqual(1); // settled at the target, −20 dBFS
    }
  });
});
