// Speech fixtures with known boundaries, for the voice-activity tests: espeak-ng's phrases, trimmed and placed with
// exact silences between them, and a quiet room's noise (pink noise and mains hum), all written here, deterministic.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
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

/** One phrase spoken by espeak-ng, its leading and trailing silence cut off (below 0.1 % of full scale). */
function speak(text: string, folder: string): Float32Array {
  const path = `${folder}/phrase.tmp.wav`;
  execFileSync('espeak-ng', ['-s', '160', '-w', path, text]);
  const samples = parseWav(new Uint8Array(readFileSync(path))).samples[0]!;
  rmSync(path);
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
  let seed = 12345;
  const white = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
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

export const PHRASES_FILE = 'phrases.wav';
export const PHRASES_IN_ROOM_FILE = 'phrases-in-room.wav';
export const ROOM_NOISE_FILE = 'room-noise.wav';

/** Writes the three fixtures under `folder` (when espeak-ng is there) and returns the phrases' places. */
export function writeSpeechFixtures(folder: string): PhraseSpan[] | null {
  if (!existsSync('/usr/bin/espeak-ng')) return null;
  const { samples, phrases } = phraseTrack(folder);
  writeMonoWav(`${folder}/${PHRASES_FILE}`, samples, SPEECH_RATE);
  const noisy = roomNoise(samples.length).map((n, i) => n + samples[i]!);
  writeMonoWav(`${folder}/${PHRASES_IN_ROOM_FILE}`, noisy, SPEECH_RATE);
  writeMonoWav(`${folder}/${ROOM_NOISE_FILE}`, roomNoise(5 * SPEECH_RATE), SPEECH_RATE);
  return phrases;
}
