import { expect, test } from '@playwright/test';
import { ELEMENT_TONE } from '../support/fake-microphone';
import { OTHER_ORIGIN_PORT } from '../support/ports';
import { dominantFrequency, relativeLevelDb } from '../support/signal';
import { parseWav } from '../support/wav-file';
import { createRecorder, openHarness, readRecording, rejectionOf, type HarnessWindow, expectOnAudioClock } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** Records `window.source` (set up by `setup`, evaluated in the page) for `ms`; returns page-side facts. */
async function recordSource(page: import('@playwright/test').Page, setup: string, ms: number) {
  return page.evaluate(
    async ({ setup, ms }) => {
      const w = window as unknown as HarnessWindow & { source: unknown };
      w.source = await (0, eval)(`(async () => { ${setup} })()`);
      // The audio clock of the context the take captures in: a node's own, else the session's.
      const first = (Array.isArray(w.source) ? w.source[0] : w.source) as unknown;
      const context = first instanceof AudioNode ? first.context : w.Tapedeck.AudioSession.instance().context;
      const now = () => context.currentTime * 1000;
      const called = now();
      await w.recorder.startRecording({ source: w.source as never });
      const started = now();
      while (now() < started + ms) await new Promise((r) => setTimeout(r, 10));
      const stopping = now();
      await w.recorder.stopRecording();
      return { clock: { minMs: stopping - started, maxMs: now() - called }, gumCalls: w.gum.calls };
    },
    { setup, ms },
  );
}

const PLAY_ELEMENT = `
  const audio = new Audio('/tests/.generated/tone-1000.wav');
  audio.loop = true;
  await audio.play();
  window.audio = audio;
  return audio;`;

test('sources, an <audio> element records as its 1 kHz tone and keeps playing', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const { clock, gumCalls } = await recordSource(page, PLAY_ELEMENT, 1000);
  expect(gumCalls).toBe(0); // the microphone was not opened
  const rec = await readRecording(page);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - ELEMENT_TONE.frequency)).toBeLessThan(5);
  expectOnAudioClock(rec.durationMs, clock);
  const playing = await page.evaluate(async () => {
    const audio = (window as unknown as { audio: HTMLAudioElement }).audio;
    const before = audio.currentTime;
    await new Promise((r) => setTimeout(r, 200));
    return { paused: audio.paused, muted: audio.muted, advanced: audio.currentTime !== before };
  });
  expect(playing).toEqual({ paused: false, muted: false, advanced: true });
});

test('sources, a mix of the microphone and an <audio> element holds both tones', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  await recordSource(
    page,
    `const mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
     ${PLAY_ELEMENT.replace('return audio;', 'return [mic, audio];')}`,
    1500,
  );
  const rec = await readRecording(page);
  const samples = rec.decoded!.data[0]!;
  expect(relativeLevelDb(samples, 44100, 440)).toBeGreaterThan(-6);
  expect(relativeLevelDb(samples, 44100, 1000)).toBeGreaterThan(-6);
  expect(relativeLevelDb(samples, 44100, 700)).toBeLessThan(-40); // and nothing between them
});

test('sources, a MediaStream from an OscillatorNode records its frequency', async ({ page }) => {
  await createRecorder(page, { channels: 1, sampleRate: 16000 });
  await recordSource(
    page,
    `const context = new AudioContext();
     const oscillator = new OscillatorNode(context, { frequency: 660 });
     const destination = context.createMediaStreamDestination();
     oscillator.connect(destination);
     oscillator.start();
     return destination.stream;`,
    800,
  );
  const rec = await readRecording(page);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 16000) - 660)).toBeLessThan(5);
});

test('sources, an AudioNode records in its own context, which the recorder leaves open', async ({ page }) => {
  await createRecorder(page, { channels: 2, sampleRate: 48000 });
  await recordSource(
    page,
    `const context = new AudioContext();
     window.userContext = context;
     const oscillator = new OscillatorNode(context, { frequency: 880 });
     const gain = new GainNode(context, { gain: 0.5 });
     oscillator.connect(gain);
     oscillator.start();
     return gain;`,
    800,
  );
  const rec = await readRecording(page);
  expect(rec.channels).toBe(2);
  for (const channel of rec.decoded!.data) expect(Math.abs(dominantFrequency(channel, 48000) - 880)).toBeLessThan(5);
  const state = await page.evaluate(() => {
    const w = window as unknown as HarnessWindow & { userContext: AudioContext };
    w.recorder.dispose();
    return w.userContext.state;
  });
  expect(state).toBe('running');
});

test('sources, cross-origin media is unrecordable without CORS and recordable with it', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const other = `http://127.0.0.1:${OTHER_ORIGIN_PORT}/tests/.generated/tone-1000.wav`;
  const outcome = await page.evaluate(async (other) => {
    const w = window as unknown as HarnessWindow;
    const audio = new Audio(other);
    audio.loop = true;
    await audio.play();
    const found = await w.recorder.getUnrecordableSources(audio);
    let code = '';
    try {
      await w.recorder.startRecording({ source: audio });
    } catch (error) {
      code = (error as { code: string }).code;
    }
    audio.pause();
    return { reasons: found.map((f) => f.reason), same: found[0]?.source === audio, message: found[0]?.message, code, canRecord: w.recorder.canRecord(audio) };
  }, other);
  expect(outcome).toMatchObject({ reasons: ['cross-origin'], same: true, code: 'source-unrecordable', canRecord: false });
  expect(outcome.message).toMatch(/Access-Control-Allow-Origin.*crossorigin/);

  // The same file served with CORS and requested with crossorigin="anonymous" records.
  await recordSource(
    page,
    `const audio = new Audio();
     audio.crossOrigin = 'anonymous';
     audio.src = '${other}?cors';
     audio.loop = true;
     await audio.play();
     return audio;`,
    800,
  );
  const rec = await readRecording(page);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - ELEMENT_TONE.frequency)).toBeLessThan(5);
});

test('sources, every kind of unrecordable source is reported with its reason, before any prompt', async ({ page }) => {
  await createRecorder(page);
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const context = new AudioContext();
    const other = new AudioContext();
    const closed = new AudioContext();
    await closed.close();
    const offline = new OfflineAudioContext(1, 128, 44100);
    const oscillator = new OscillatorNode(context);
    const ended = context.createMediaStreamDestination().stream.getAudioTracks()[0]!;
    ended.stop();
    const videoOnly = document.createElement('canvas').captureStream();
    const cases: Array<[string, unknown]> = [
      ['ended track', ended],
      ['stream of an ended track', new MediaStream([ended])],
      ['video-only stream', videoOnly],
      ['video track', videoOnly.getVideoTracks()[0]],
      ['element without media', new Audio()],
      ['node of a closed context', new GainNode(closed)],
      ['node of an offline context', new GainNode(offline)],
      ['nodes of two contexts', [oscillator, new GainNode(other)]],
    ];
    const reasons: Record<string, string[]> = {};
    const codes: Record<string, string> = {};
    for (const [name, source] of cases) {
      reasons[name] = (await w.recorder.getUnrecordableSources(source as never)).map((f) => f.reason);
      codes[name] = await w.recorder.startRecording({ source: source as never }).then(
        () => 'started',
        (e: { code: string }) => e.code,
      );
    }
    const wrongType = await w.recorder.startRecording({ source: 'mic' as never }).then(
      () => 'started',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    );
    return { reasons, codes, wrongType, gumCalls: w.gum.calls, fine: (await w.recorder.getUnrecordableSources(oscillator)).length };
  });
  expect(outcome.reasons).toEqual({
    'ended track': ['track-ended'],
    'stream of an ended track': ['track-ended'],
    'video-only stream': ['no-audio-track'],
    'video track': ['no-audio-track'],
    'element without media': ['no-media'],
    'node of a closed context': ['context-closed'],
    'node of an offline context': ['offline-context'],
    'nodes of two contexts': ['other-context'],
  });
  expect(new Set(Object.values(outcome.codes))).toEqual(new Set(['source-unrecordable']));
  expect(outcome.wrongType).toMatch(/^invalid-option: options\.source must be a MediaStream/);
  expect(outcome.gumCalls).toBe(0);
  expect(outcome.fine).toBe(0);
});

test('limits, maxDurationMs: 1500 stops by itself at 1.500 s with one limitreached', async ({ page }) => {
  await createRecorder(page, { maxDurationMs: 1500 });
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    let limits = 0;
    w.recorder.on('limitreached', ({ reason, recording }) => {
      limits++;
      w.events.push({ type: `limit:${reason}:${recording!.durationMs}` });
    });
    await w.recorder.startRecording();
    await new Promise<void>((resolve) => w.recorder.once('statechange', () => resolve()));
    const timeLength = w.recorder.timeLength;
    await new Promise((r) => setTimeout(r, 300)); // no second event comes
    const url = await w.recorder.stopRecording(); // hands over the take that ended by itself
    return { limits, timeLength, url, content: w.recorder.getTemporaryContent()!.url, canRecord: w.recorder.canRecord() };
  });
  expect(outcome.limits).toBe(1);
  expect(outcome.url).toBe(outcome.content);
  expect(outcome.canRecord).toBe(true);
  const rec = await readRecording(page);
  expect(Math.abs(rec.durationMs - 1500)).toBeLessThan(3);
  expect(Math.abs(outcome.timeLength * 1000 - rec.durationMs)).toBeLessThan(3);
  expect(Math.abs((rec.decoded!.length / 44100) * 1000 - 1500)).toBeLessThan(3);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});

test('memory, arrayBuffer() is the WAV file and pcm() its samples', async ({ page }) => {
  await createRecorder(page, { channels: 2, sampleRate: 22050 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    await w.recorder.startRecording();
    await new Promise((r) => setTimeout(r, 700));
    await w.recorder.stopRecording();
    const rec = w.recorder.getTemporaryContent()!;
    const buffer = new Uint8Array(await rec.arrayBuffer());
    const blob = new Uint8Array(await rec.blob.arrayBuffer());
    const pcm = await rec.pcm();
    const same = buffer.length === blob.length && buffer.every((b, i) => b === blob[i]);
    return { same, bytes: Array.from(buffer), pcm: pcm.map((c) => Array.from(c.subarray(0, 4000))), lengths: pcm.map((c) => c.length), durationMs: rec.durationMs };
  });
  expect(out.same).toBe(true);
  const wav = parseWav(Uint8Array.from(out.bytes));
  expect(wav).toMatchObject({ channels: 2, sampleRate: 22050 });
  expect(out.lengths).toEqual([wav.samples[0]!.length, wav.samples[0]!.length]);
  expect(Math.abs((out.lengths[0]! / 22050) * 1000 - out.durationMs)).toBeLessThan(0.1);
  for (let c = 0; c < 2; c++) expect(out.pcm[c]).toEqual(Array.from(wav.samples[c]!.subarray(0, 4000)));
  expect(Math.abs(dominantFrequency(Float32Array.from(out.pcm[0]!), 22050) - 440)).toBeLessThan(5);
});

test('memory, maxBufferBytes stops with reason memory and keeps a playable file within the bound', async ({ page }) => {
  const maxBufferBytes = 100_000; // ~0.57 s of 44.1 kHz stereo WAV
  await createRecorder(page, { maxBufferBytes });
  const reasons = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const seen: string[] = [];
    w.recorder.on('limitreached', ({ reason }) => seen.push(reason));
    await w.recorder.startRecording();
    await new Promise<void>((resolve) => w.recorder.once('statechange', () => resolve()));
    return seen;
  });
  expect(reasons).toEqual(['memory']);
  const rec = await readRecording(page);
  expect(rec.size).toBeLessThanOrEqual(maxBufferBytes);
  expect(rec.size).toBeGreaterThan(maxBufferBytes - 4); // filled to the last whole frame
  expect(parseWav(rec.bytes).dataSize).toBe(rec.size - 44);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
  expect(await rejectionOf(page, 'pause')).toMatchObject({ code: 'invalid-state' });
});

test('memory, clear() drops the last recording and revokes its URL; the one before stays valid', async ({ page }) => {
  await createRecorder(page);
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const take = async () => {
      await w.recorder.startRecording();
      await new Promise((r) => setTimeout(r, 300));
      return w.recorder.stopRecording();
    };
    const loads = (url: string) => fetch(url).then(() => true, () => false);
    const first = await take();
    const second = await take();
    w.recorder.clear();
    return { content: w.recorder.getTemporaryContent(), first: await loads(first), second: await loads(second), timeLength: w.recorder.timeLength };
  });
  expect(outcome).toEqual({ content: null, first: true, second: false, timeLength: 0 });
});
