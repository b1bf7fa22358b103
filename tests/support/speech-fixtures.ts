// Speech fixtures with known boundaries, for the voice-activity, denoise and auto-gain tests: espeak-ng's phrases,
// trimmed and placed with exact silences between them, a quiet room's noise (pink noise and mains hum), white noise, a
// crowd's babble (espeak-ng talkers), and mixing at an SNR; all written here, deterministic.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Resampler } from '../../src/worker/dsp/resampler';
import { parseWav, writeMonoWav } from './wav-file';

export const PHRASES = ['The quick brown fox jumps over the lazy dog.', 'Then it sleeps under the old tree.', 'A voice note, recorded in the page.'];
/** espeak-ng's rate. */
export const SPEECH_RATE = 22_050;
/** Silence before the first phrase, between two, and after the last, in ms. */
export const LEAD_MS = 1000;
export const BETWEEN_MS = 1500;
export const TAIL_MS = 2500;

/** A phrase's place in a fixture, in ms. */
export interface PhraseSpan {
  startMs: number;
  endMs: number;
}

/** `text` spoken by espeak-ng with `options` (its command-line flags), at SPEECH_RATE. */
function espeak(text: string, folder: string, options: string[]): Float32Array {
  const path = `${folder}/phrase.tmp.wav`;
  execFileSync('espeak-ng', [...options, '-w', path, text]);
  const samples = parseWav(new Uint8Array(readFileSync(path))).samples[0]!;
  rmSync(path);
  return samples;
}

/** One phrase spoken by espeak-ng, its leading and trailing silence cut off (below 0.1 % of full scale). */
function speak(text: string, folder: string): Float32Array {
  const samples = espeak(text, folder, ['-s', '160']);
  let first = 0;
  let last = samples.length - 1;
  while (first < last && Math.abs(samples[first]!) <= 0.001) first++;
  while (last > first && Math.abs(samples[last]!) <= 0.001) last--;
  return samples.slice(first, last + 1);
}

/** The three phrases with their silences (see LEAD_MS…), and where each phrase is. */
export function phraseTrack(folder: string): { samples: Float32Array; phrases: PhraseSpan[] } {
  const spoken = PHRASES.map((text) => speak(text, folder));
  const frames = (ms: number) => Math.round((ms * SPEECH_RATE) / 1000);
  const total = frames(LEAD_MS) + spoken.reduce((n, p) => n + p.length, 0) + frames(BETWEEN_MS) * (spoken.length - 1) + frames(TAIL_MS);
  const samples = new Float32Array(total);
  const phrases: PhraseSpan[] = [];
  let at = frames(LEAD_MS);
  for (const phrase of spoken) {
    samples.set(phrase, at);
    phrases.push({ startMs: (at * 1000) / SPEECH_RATE, endMs: ((at + phrase.length) * 1000) / SPEECH_RATE });
    at += phrase.length + frames(BETWEEN_MS);
  }
  return { samples, phrases };
}

/** A quiet room: pink noise at −45 dBFS RMS and a 50 Hz hum at −50 dBFS RMS (seeded: the same every run). */
export function roomNoise(frames: number, rate = SPEECH_RATE): Float32Array {
  const white = uniformNoise(12345);
  // Paul Kellet's pink filter.
  let [b0, b1, b2, b3, b4, b5, b6] = [0, 0, 0, 0, 0, 0, 0];
  const pink = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const w = white();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    pink[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  let power = 0;
  for (const s of pink) power += s * s;
  const scale = 10 ** (-45 / 20) / Math.sqrt(power / frames);
  const hum = 10 ** (-50 / 20) * Math.SQRT2;
  for (let i = 0; i < frames; i++) pink[i] = pink[i]! * scale + hum * Math.sin((2 * Math.PI * 50 * i) / rate);
  return pink;
}

/** Uniform noise in [-1, 1) from a 32-bit LCG (Numerical Recipes' constants) started at `seed`. */
function uniformNoise(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

/** White noise at −20 dBFS RMS (seeded: the same every run). */
export function whiteNoise(frames: number, seed = 777): Float32Array {
  const white = uniformNoise(seed);
  // Uniform noise in [-1, 1) has an RMS of 1/√3.
  const scale = 10 ** (-20 / 20) * Math.sqrt(3);
  return Float32Array.from({ length: frames }, () => white() * scale);
}

/** What the babble's talkers say: Harvard sentences, none of them the phrases'. */
const BABBLE_TEXT = [
  'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background.',
  'It is easy to tell the depth of a well. These days a chicken leg is a rare dish.',
  'Rice is often served in round bowls. The juice of lemons makes fine punch.',
  'The box was thrown beside the parked truck. The hogs were fed chopped corn and garbage.',
  'Four hours of steady work faced us. A large size in stockings is hard to sell.',
  'The boy was there when the sun rose. A rod is used to catch pink salmon.',
];
/** The babble's talkers: espeak-ng voice variant, pitch (0–99) and words per minute, all different. */
const TALKERS = [
  ['en-us', '35', '150'],
  ['en+f3', '70', '175'],
  ['en-gb+m3', '45', '165'],
  ['en+f2', '60', '140'],
  ['en-us+m7', '25', '185'],
  ['en-gb-x-rp+f4', '80', '155'],
];

/**
 * A crowd of six espeak-ng talkers (voices, pitches and speeds apart, each at the same level, each looped from its own
 * seeded start) at −20 dBFS RMS: speech-like noise, the hardest kind for a noise suppressor.
 */
export function babbleNoise(folder: string, frames: number): Float32Array {
  const next = uniformNoise(4242);
  const babble = new Float32Array(frames);
  TALKERS.forEach(([voice, pitch, speed], t) => {
    const talk = espeak(BABBLE_TEXT[t]!, folder, ['-v', voice!, '-p', pitch!, '-s', speed!]);
    const gain = 1 / rms(talk);
    const start = Math.floor(((next() + 1) / 2) * talk.length);
    for (let i = 0; i < frames; i++) babble[i]! += talk[(start + i) % talk.length]! * gain;
  });
  const scale = 10 ** (-20 / 20) / rms(babble);
  return babble.map((s) => s * scale);
}

/** Root mean square of `samples`. */
export function rms(samples: Float32Array): number {
  let power = 0;
  for (const s of samples) power += s * s;
  return Math.sqrt(power / samples.length);
}

/**
 * `speech` plus `noise` scaled so that the speech's power over its whole length is `snrDb` above the noise's (pauses
 * included: the SNR the denoise test measures on both sides).
 */
export function mixAtSnr(speech: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const scale = rms(speech) / rms(noise.subarray(0, speech.length)) / 10 ** (snrDb / 20);
  return speech.map((s, i) => s + noise[i]! * scale);
}

export const PHRASES_FILE = 'phrases.wav';
export const PHRASES_IN_ROOM_FILE = 'phrases-in-room.wav';
export const ROOM_NOISE_FILE = 'room-noise.wav';
/** The phrases at 44.1 kHz, and in white noise over that whole band at 5 dB SNR (the denoise test's reference and input). */
export const PHRASES_44K_FILE = 'phrases-44k.wav';
export const PHRASES_WHITE_5DB_FILE = 'phrases-white-5db.wav';
/** The phrases with their speech at −35 dBFS RMS (the software auto gain test's input). */
export const QUIET_PHRASES_FILE = 'phrases-quiet.wav';

/** RMS of `samples` over the phrases only, in dBFS. */
export function speechLevelDb(samples: Float32Array, phrases: readonly PhraseSpan[], rate = SPEECH_RATE): number {
  let power = 0;
  let count = 0;
  for (const { startMs, endMs } of phrases) {
    for (let i = Math.round((startMs * rate) / 1000); i < Math.round((endMs * rate) / 1000); i++) power += samples[i]! ** 2;
    count += Math.round((endMs * rate) / 1000) - Math.round((startMs * rate) / 1000);
  }
  return 10 * Math.log10(power / count);
}

/** Writes the three fixtures under `folder` (when espeak-ng is there) and returns the phrases' places. */
export function writeSpeechFixtures(folder: string): PhraseSpan[] | null {
  if (!existsSync('/usr/bin/espeak-ng')) return null;
  const { samples, phrases } = phraseTrack(folder);
  writeMonoWav(`${folder}/${PHRASES_FILE}`, samples, SPEECH_RATE);
  const noisy = roomNoise(samples.length).map((n, i) => n + samples[i]!);
  writeMonoWav(`${folder}/${PHRASES_IN_ROOM_FILE}`, noisy, SPEECH_RATE);
  writeMonoWav(`${folder}/${ROOM_NOISE_FILE}`, roomNoise(5 * SPEECH_RATE), SPEECH_RATE);
  // Upsampled band-limited (a fixture's making, not a check of tapedeck: its resampler is tested on its own), so that the
  // white noise can fill the band a microphone's would, to 22 kHz.
  const wide = new Resampler(SPEECH_RATE, 44_100, 1);
  const at44k = [wide.process([samples], samples.length)[0]!, wide.flush()[0]!];
  const speech44k = new Float32Array(at44k[0]!.length + at44k[1]!.length);
  speech44k.set(at44k[0]!);
  speech44k.set(at44k[1]!, at44k[0]!.length);
  writeMonoWav(`${folder}/${PHRASES_44K_FILE}`, speech44k, 44_100);
  writeMonoWav(`${folder}/${PHRASES_WHITE_5DB_FILE}`, mixAtSnr(speech44k, whiteNoise(speech44k.length), 5), 44_100);
  const quiet = 10 ** ((-35 - speechLevelDb(samples, phrases)) / 20);
  writeMonoWav(`${folder}/${QUIET_PHRASES_FILE}`, samples.map((v) => v * quiet), SPEECH_RATE);
  return phrases;
}
