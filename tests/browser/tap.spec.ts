// The tap (options.tap): a live 16 kHz PCM stream of the take beside its file, from the same capture.
import { expect, test, type Page } from '@playwright/test';
import { SPEECH_FILE } from '../support/fake-microphone';
import { correlation, envelope, relativeLevelDb, rms } from '../support/signal';
import { createRecorder, openHarness, readRecording, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

interface TapTake {
  /** The tap's samples (mono f32), joined, as base64. */
  tap: string;
  chunks: number;
  contextRate: number;
  stages: { receivedFrames: number; droppedFrames: number } | null | undefined;
  warnings: string[];
}

/** Records `setup`'s source (evaluated in the page) for `seconds` of audio clock, reading recorder.tapStream as it goes. */
async function tapTake(page: Page, setup: string, seconds: number): Promise<TapTake & { samples: Float32Array }> {
  const take = await page.evaluate(
    async ({ setup, seconds }) => {
      const w = window as unknown as HarnessWindow;
      const warnings: string[] = [];
      w.recorder.on('warning', ({ message }) => warnings.push(message));
      const source = await (0, eval)(`(async () => { ${setup} })()`);
      await w.recorder.startRecording({ source });
      const reader = w.recorder.tapStream!.getReader();
      const chunks: Float32Array[] = [];
      const reading = (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value as Float32Array);
      })();
      await w.audioClock.wait(seconds * 1000);
      await w.recorder.stopRecording();
      await reading; // the stream closes after the take's last chunk
      const joined = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (joined.set(c, at), at + c.length), 0);
      const context = w.Tapedeck.AudioSession.instance().context;
      return { tap: await w.base64Of(new Blob([joined])), chunks: chunks.length, contextRate: context.sampleRate, stages: w.recorder.getTemporaryContent()?.stages, warnings };
    },
    { setup, seconds },
  );
  const bytes = Buffer.from(take.tap, 'base64');
  return { ...take, samples: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

test('tap, 10 s of speech: the 16 kHz stream holds the file\'s speech, one frame per captured frame at its rate, none dropped', async ({ page }) => {
  await createRecorder(page, { channels: 1, tap: {} });
  const take = await tapTake(
    page,
    `const audio = new Audio('/tests/.generated/${SPEECH_FILE}');
     audio.loop = true;
     await audio.play();
     return audio;`,
    10,
  );
  expect(take.warnings.filter((m) => /tap's stream/.test(m))).toEqual([]);
  expect(take.stages!.droppedFrames).toBe(0); // the worklet's pool holds 1.5 s: only a worker stalled longer drops
  // Exactly the frames the worker received, at 16 kHz (the resampler's length rule), in 100 ms chunks.
  expect(take.samples.length).toBe(Math.ceil((take.stages!.receivedFrames * 16000) / take.contextRate));
  expect(take.chunks).toBe(Math.ceil(take.samples.length / 1600));
  expect(take.samples.length / 16000).toBeGreaterThanOrEqual(10);

  const rec = await readRecording(page);
  const file = rec.decoded!.data[0]!;
  const [tapEnvelope, fileEnvelope] = [envelope(take.samples, 16000), envelope(file, rec.decoded!.sampleRate)];
  // It is speech: loud words and quiet pauses, in both.
  expect(Math.max(...fileEnvelope)).toBeGreaterThan(0.05);
  expect(fileEnvelope.filter((v) => v < 0.005).length).toBeGreaterThan(50);
  expect(correlation(tapEnvelope, fileEnvelope)).toBeGreaterThanOrEqual(0.95);
});

test('tap, a 9 kHz tone (above the tap\'s 8 kHz Nyquist) does not fold back into it: its alias is over 60 dB down, a 1 kHz tone passes', async ({ page }) => {
  await createRecorder(page, { channels: 1, tap: {} });
  const take = await tapTake(
    page,
    `const context = window.Tapedeck.AudioSession.instance().context;
     const mix = new GainNode(context);
     for (const frequency of [1000, 9000]) {
       const oscillator = new OscillatorNode(context, { frequency });
       const level = new GainNode(context, { gain: 0.25 });
       oscillator.connect(level).connect(mix);
       oscillator.start();
     }
     return mix;`,
    1.5,
  );
  const middle = take.samples.subarray(1600, take.samples.length - 1600); // away from the take's edges
  expect(rms(middle)).toBeCloseTo(0.25 / Math.SQRT2, 2); // the 1 kHz tone, at its level; nothing of the 9 kHz one
  expect(relativeLevelDb(middle, 16000, 1000)).toBeGreaterThan(-1);
  expect(relativeLevelDb(middle, 16000, 16000 - 9000)).toBeLessThan(-60);
  // The file, at 44.1 kHz, has both.
  const rec = await readRecording(page);
  expect(relativeLevelDb(rec.decoded!.data[0]!, rec.decoded!.sampleRate, 9000)).toBeGreaterThan(-3);
});

test('tap, without the option there is no stream; an option it cannot do is refused before the microphone opens', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    let error: { code?: string; message?: string } = {};
    try {
      new w.Tapedeck.AudioRecorder({ tap: { format: 'f64' as never } });
    } catch (e) {
      error = e as typeof error;
    }
    const gumCallsAfterRefusal = w.gum.calls;
    const plain = new w.Tapedeck.AudioRecorder({ channels: 1 });
    await plain.startRecording();
    const stream = plain.tapStream;
    await plain.stopRecording();
    plain.dispose();
    return { stream, code: error.code, message: error.message, gumCallsAfterRefusal };
  });
  expect(out.stream).toBeNull();
  expect(out.code).toBe('invalid-option');
  expect(out.message).toMatch(/options\.tap\.format, when provided, must be one of 'f32', 's16'/);
  expect(out.gumCallsAfterRefusal).toBe(0);
});

test('tap, s16 chunks from a tone; a cancelled take errors its stream, and the next take has a new one', async ({ page }) => {
  await createRecorder(page, { channels: 1, tap: { format: 's16', chunkMs: 50 } });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const context = w.Tapedeck.AudioSession.instance().context;
    const oscillator = new OscillatorNode(context, { frequency: 440 });
    const level = new GainNode(context, { gain: 0.5 });
    oscillator.connect(level);
    oscillator.start();
    await w.recorder.startRecording({ source: level });
    const first = w.recorder.tapStream!;
    const reader = first.getReader();
    const chunk = (await reader.read()).value!;
    const second = (await reader.read()).value!;
    await w.recorder.cancelRecording();
    const afterCancel = await reader.read().then(
      () => 'read',
      (error: { code?: string }) => `error ${error.code}`,
    );
    await w.recorder.startRecording({ source: level });
    const next = w.recorder.tapStream;
    await w.recorder.stopRecording();
    oscillator.stop();
    let peak = 0;
    for (const c of [chunk, second]) for (const v of c as Int16Array) peak = Math.max(peak, Math.abs(v));
    return { isInt16: chunk instanceof Int16Array, length: chunk.length, peak, afterCancel, newStream: next !== null && next !== first };
  });
  expect(out).toMatchObject({ isInt16: true, length: 800, afterCancel: 'error invalid-state', newStream: true });
  expect(Math.abs(out.peak - 0.5 * 32767)).toBeLessThan(400); // the tone's 0.5 peak, at 16 bits
});
