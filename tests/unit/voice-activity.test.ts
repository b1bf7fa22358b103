// Voice activity in node: the segmenter's rule on made-up answers, then WebRTC's detector (the vad codec file, with
// its own .wasm) on espeak-ng phrases with known boundaries, fed as the worker is fed.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpeechSegmenter } from '../../src/worker/speech-segmenter';
import { VoiceActivity } from '../../src/worker/voice-activity';
import type { WorkerReport } from '../../src/worker/protocol';
import { publishedCodec } from '../../src/worker/codecs/publish';
import '../../src/worker/codecs/vad';
import { phraseTrack, roomNoise, SPEECH_RATE, type PhraseSpan } from '../support/speech-fixtures';

describe('SpeechSegmenter (the collector rule, 30 ms frames of 480 samples)', () => {
  function segment(answers: boolean[], afterSilence = 0) {
    const events: string[] = [];
    const segmenter = new SpeechSegmenter(480, afterSilence, {
      start: (at) => events.push(`start ${at / 480}`),
      end: (start, end) => events.push(`end ${start / 480}-${end / 480}`),
      silence: (at) => events.push(`silence ${at / 480}`),
    });
    answers.forEach((answer) => segmenter.push(answer));
    segmenter.finish();
    return events;
  }
  const run = (...parts: [boolean, number][]) => parts.flatMap(([answer, n]) => Array<boolean>(n).fill(answer));

  it('starts at the first frame of 10 that are all speech, and ends 2 frames (the hang-over) before the last speech', () => {
    expect(segment(run([false, 20], [true, 30], [false, 20]))).toEqual(['start 20', 'end 20-48']);
  });
  it('a short burst (9 frames, 270 ms) is no speech; a pause of 5 frames (150 ms, a comma) does not split a phrase', () => {
    expect(segment(run([false, 10], [true, 9], [false, 20]))).toEqual([]);
    expect(segment(run([false, 10], [true, 20], [false, 5], [true, 20], [false, 20]))).toEqual(['start 10', 'end 10-53']);
  });
  it('speech still going at the end is closed there', () => {
    expect(segment(run([false, 5], [true, 20]))).toEqual(['start 5', 'end 5-23']);
  });
  it('reports the silence once, when afterSilence samples have passed since the end, at the end plus afterSilence', () => {
    expect(segment(run([false, 5], [true, 20], [false, 60]), 30 * 480)).toEqual(['start 5', 'end 5-23', 'silence 53']);
    expect(segment(run([false, 60]), 10 * 480)).toEqual([]); // no speech, no silence after it
  });
});

describe('VoiceActivity with fvad (aggressiveness 3) on espeak-ng phrases', () => {
  const folder = 'tests/.generated';
  let track: { samples: Float32Array; phrases: PhraseSpan[] };
  let wasm: Uint8Array<ArrayBuffer>;
  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    track = phraseTrack(folder); // needs espeak-ng (npm test installs it)
    wasm = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@echogarden/fvad-wasm/fvad.wasm')));
  });

  /** Feeds `samples` (at SPEECH_RATE, as a 2-channel input) in worklet chunks; what the worker would report. */
  async function detect(samples: Float32Array, autoStopAfterMs = 0) {
    const classifier = await publishedCodec('vad').openClassifier(wasm, 3);
    const speech: Extract<WorkerReport, { type: 'speechend' }>[] = [];
    const silences: number[] = [];
    const vad = new VoiceActivity({ aggressiveness: 3, autoStopAfterMs, startOnSpeech: false }, SPEECH_RATE, classifier, (r) => r.type === 'speechend' && speech.push(r), (at) => silences.push(at));
    for (let at = 0; at < samples.length; at += 2048) {
      const chunk = samples.subarray(at, Math.min(at + 2048, samples.length));
      vad.push([chunk, chunk], chunk.length);
    }
    vad.finish();
    return { segments: speech.map(({ startMs, endMs }) => ({ startMs, endMs })), silences };
  }

  function expectNear(found: PhraseSpan[], truth: PhraseSpan[]) {
    expect(found.length).toBe(truth.length);
    found.forEach((segment, i) => {
      expect(Math.abs(segment.startMs - truth[i]!.startMs)).toBeLessThanOrEqual(150);
      expect(Math.abs(segment.endMs - truth[i]!.endMs)).toBeLessThanOrEqual(150);
    });
  }

  it('finds the three phrases within ±150 ms of their true boundaries, clean and in a quiet room', async () => {
    expectNear((await detect(track.samples)).segments, track.phrases);
    const inRoom = roomNoise(track.samples.length).map((n, i) => n + track.samples[i]!);
    expectNear((await detect(inRoom)).segments, track.phrases);
  });

  it('finds no speech in 5 s of the room alone', async () => {
    expect((await detect(roomNoise(5 * SPEECH_RATE))).segments).toEqual([]);
  });

  it('auto-stop: 1000 ms after the first phrase ends (the phrases are 1.5 s apart), at its end plus 1000 ms', async () => {
    const { segments, silences } = await detect(track.samples, 1000);
    expect(silences).toEqual([segments[0]!.endMs + 1000]);
    expect(Math.abs(silences[0]! - (track.phrases[0]!.endMs + 1000))).toBeLessThanOrEqual(200);
  });

  it('startOnSpeech: speech in the held frames is reported at its held frame, and once the file begins there less a pre-roll, in the file\'s time', async () => {
    const classifier = await publishedCodec('vad').openClassifier(wasm, 3);
    const reports: WorkerReport[] = [];
    const vad = new VoiceActivity({ aggressiveness: 3, autoStopAfterMs: 0, startOnSpeech: true }, SPEECH_RATE, classifier, (r) => reports.push(r), () => undefined);
    const samples = track.samples;
    let at = 0;
    // Held frames until the detector hears speech (as the worklet sends them, 2048 at a time).
    for (; at < samples.length && !reports.some((r) => r.type === 'armedspeech'); at += 2048) {
      const chunk = samples.subarray(at, Math.min(at + 2048, samples.length));
      vad.pushHeld([chunk], chunk.length, at);
    }
    const armed = reports.find((r) => r.type === 'armedspeech') as Extract<WorkerReport, { type: 'armedspeech' }>;
    expect(Math.abs((armed.heldFrame / SPEECH_RATE) * 1000 - track.phrases[0]!.startMs)).toBeLessThanOrEqual(150);
    expect(reports.filter((r) => r.type !== 'armedspeech')).toEqual([]); // nothing in file time before the file begins
    // The take begins 500 ms before the speech: the held frames from there to now are replayed, then the live input.
    const fileStart = armed.heldFrame - SPEECH_RATE / 2;
    vad.begin(fileStart, at - fileStart);
    for (let from = fileStart; from < samples.length; from += 2048) {
      const chunk = samples.subarray(from, Math.min(from + 2048, samples.length));
      vad.push([chunk], chunk.length);
    }
    vad.finish();
    const inFile = (ms: number) => ms - (fileStart / SPEECH_RATE) * 1000;
    const segments = reports.filter((r) => r.type === 'speechend') as Extract<WorkerReport, { type: 'speechend' }>[];
    expectNear(
      segments.map(({ startMs, endMs }) => ({ startMs, endMs })),
      track.phrases.map((p) => ({ startMs: inFile(p.startMs), endMs: inFile(p.endMs) })),
    );
    expect(reports.filter((r) => r.type === 'speechstart').map((r) => (r as { atMs: number }).atMs)).toEqual(segments.map((s) => s.startMs));
    expect(segments[0]!.startMs).toBeCloseTo(500, 0); // the file starts 500 ms before the speech the detector found
  });
});
