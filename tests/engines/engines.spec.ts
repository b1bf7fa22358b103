/**
 * tapedeck in Firefox (ESR, WebDriver BiDi) and WebKit (WebKitGTK's MiniBrowser under WebKitWebDriver): every encoder
 * from the fake microphone, an <audio> element, an AudioNode, pause and resume, the speech stages, the script-tag build, and (Firefox)
 * a crash mid-take recovered from OPFS. Each file is decoded by ffmpeg and judged on the audio clock: its length
 * against the take's own frame count, its content against the input's tone. Run with `npm run test:engines`.
 */
import { expect, test } from '@playwright/test';
import { longestSilence } from '../../src/testing/analysis';
import { decodeWithFfmpeg } from '../support/ffmpeg-decode';
import { ELEMENT_TONE } from '../support/fake-microphone';
import { PORT } from '../support/ports';
import { launchFirefox, launchWebKit, type EngineDriver } from './drivers';

const PAGES = `http://127.0.0.1:${PORT}/tests/engines/pages`;
/** Each microphone take is this long, on the audio clock (maxDurationMs). */
const TAKE_MS = 1500;
/** Firefox's fake microphone plays this (set through the testing kit's pref); WebKit's mock one hums at 150 Hz. */
const FIREFOX_MIC_HZ = 880;
const MIC_HZ = { firefox: FIREFOX_MIC_HZ, webkit: 150 };

/** Decoded length against the take's length: exact for PCM, FLAC and gapless MP3; Opus and AAC carry codec delay. */
const ENCODERS = [
  { encoder: 'wav', codec: 'pcm_s16le', toleranceMs: 1 },
  { encoder: 'pcm16', codec: 'pcm_s16le', toleranceMs: 1 },
  { encoder: 'mp3', codec: 'mp3', toleranceMs: 1 },
  { encoder: 'opus', codec: 'opus', toleranceMs: 25 },
  { encoder: 'aac', codec: 'aac', toleranceMs: 50 },
  { encoder: 'flac', codec: 'flac', toleranceMs: 1 },
];

interface Take {
  ok: boolean;
  code?: string;
  message?: string;
  supported?: boolean;
  errors?: string[];
  mimeType: string;
  durationMs: number;
  bytes: string;
}

const decode = (take: Take) => decodeWithFfmpeg(Buffer.from(take.bytes, 'base64'), take.mimeType);

async function open(driver: EngineDriver, page: string): Promise<void> {
  await driver.goto(`${PAGES}/${page}`);
  await driver.call('whenReady');
}

for (const engine of ['firefox', 'webkit'] as const) {
  test.describe(engine, () => {
    test.describe.configure({ mode: 'serial' });
    let driver: EngineDriver;

    test.beforeAll(async () => {
      test.setTimeout(60_000);
      driver = engine === 'firefox' ? await launchFirefox(FIREFOX_MIC_HZ) : await launchWebKit();
      await open(driver, 'engine.html');
    });
    test.afterAll(async () => driver?.close());

    test(`${engine}, every encoder records the microphone: the file decodes to the take's length and holds its tone`, async () => {
      test.setTimeout(120_000);
      for (const { encoder, codec, toleranceMs } of ENCODERS) {
        const take = await driver.call<Take>('take', { encoder, ms: TAKE_MS });
        expect(take, `${encoder}: ${take.code} ${take.message}`).toMatchObject({ ok: true, supported: true, errors: [] });
        expect(take.durationMs, encoder).toBeCloseTo(TAKE_MS, 0);
        const decoded = decode(take);
        expect(decoded.codec, encoder).toBe(codec);
        expect(decoded.decodeErrors, encoder).toBe('');
        expect(Math.abs(decoded.decodedMs - TAKE_MS), `${encoder} decoded to ${decoded.decodedMs.toFixed(1)} ms`).toBeLessThanOrEqual(toleranceMs);
        expect(Math.abs(decoded.frequency - MIC_HZ[engine]), `${encoder} at ${decoded.frequency} Hz`).toBeLessThan(5);
        expect(decoded.rms, encoder).toBeGreaterThan(0.05);
      }
    });

    test(`${engine}, an <audio> element: recorded where the engine routes it into Web Audio, refused where it cannot`, async () => {
      const source = { kind: 'element', url: '/tests/.generated/tone-1000.wav' };
      const take = await driver.call<Take>('take', { encoder: 'wav', ms: TAKE_MS, source });
      if (engine === 'firefox') {
        expect(take, `${take.code} ${take.message}`).toMatchObject({ ok: true, errors: [] });
        const decoded = decode(take);
        expect(decoded.decodedMs).toBeCloseTo(TAKE_MS, 0);
        expect(Math.abs(decoded.frequency - ELEMENT_TONE.frequency)).toBeLessThan(5);
        expect(decoded.rms).toBeGreaterThan(0.2); // the 0.4 sine (rms 0.28), not silence
      } else {
        // Quirk #10: WebKitGTK's MediaElementAudioSourceNode gives silence, even in a bare AudioContext: tapedeck says so
        // before recording instead of writing a silent file. (If this probe ever hears the tone, lift the quirk.)
        expect(take).toMatchObject({ ok: false, code: 'source-unrecordable', message: expect.stringMatching(/engine-unsupported/) });
        const bare = await driver.call<{ peak: number; playing: boolean }>('bareElementPeak', source.url);
        expect(bare).toEqual({ peak: 0, playing: true });
      }
    });

    test(`${engine}, an AudioNode (an oscillator in the session's context) records at its frequency`, async () => {
      const take = await driver.call<Take>('take', { encoder: 'wav', ms: TAKE_MS, source: { kind: 'oscillator', frequency: 660 } });
      expect(take, `${take.code} ${take.message}`).toMatchObject({ ok: true, errors: [] });
      const decoded = decode(take);
      expect(decoded.decodedMs).toBeCloseTo(TAKE_MS, 0);
      expect(Math.abs(decoded.frequency - 660)).toBeLessThan(5);
      expect(decoded.rms).toBeGreaterThan(0.3); // a 0.5 sine: rms 0.354
    });

    test(`${engine}, pause and resume: nothing is captured while paused, and the file is the frames captured`, async () => {
      const take = await driver.call<Take & { atPause: number; afterPause: number }>('pauseResumeTake', { seconds: 0.8, pauseSeconds: 0.6 });
      expect(take, `${take.code} ${take.message}`).toMatchObject({ ok: true });
      // Measured on the audio clock: 0.6 s of context time passed while paused, and not one frame was captured.
      expect(take.afterPause).toBe(take.atPause);
      expect(take.atPause).toBeGreaterThanOrEqual(0.8);
      const decoded = decode(take);
      expect(Math.abs(decoded.decodedMs - take.durationMs)).toBeLessThanOrEqual(1);
      expect(take.durationMs / 1000).toBeGreaterThanOrEqual(take.atPause + 0.8);
      expect(Math.abs(decoded.frequency - MIC_HZ[engine])).toBeLessThan(5);
      // The take runs on across the pause with no hole of its own; WebKit's mock microphone breaks by itself
      // (BROWSER-NOTES), so there the content check above stands alone.
      if (engine === 'firefox') expect(longestSilence(decoded.samples, 0, 0.005).length / decoded.sampleRate).toBeLessThan(0.005);
    });

    test(`${engine}, the speech stages (vad, RNNoise, software auto gain, pre-roll) load and run: the file is the take's length to the frame`, async () => {
      const options = { vad: true, denoise: 'rnnoise', autoGain: 'software', preRollMs: 500 };
      const take = await driver.call<Take>('take', { encoder: 'wav', ms: TAKE_MS, options });
      expect(take, `${take.code} ${take.message}`).toMatchObject({ ok: true, errors: [] });
      const decoded = decode(take);
      // RNNoise's frames and its resampling to 48 kHz and back neither add nor lose a frame.
      expect(Math.abs(decoded.decodedMs - TAKE_MS)).toBeLessThanOrEqual(1);
      expect(decoded.rms).toBeGreaterThan(0); // audio came through the worker's stages
    });

    test(`${engine}, the script-tag build (window.Tapedeck) records the microphone`, async () => {
      await open(driver, 'engine-iife.html');
      const take = await driver.call<Take>('take', { encoder: 'mp3', ms: TAKE_MS });
      await open(driver, 'engine.html');
      expect(take, `${take.code} ${take.message}`).toMatchObject({ ok: true, errors: [] });
      const decoded = decode(take);
      expect(decoded.codec).toBe('mp3');
      expect(Math.abs(decoded.decodedMs - TAKE_MS)).toBeLessThanOrEqual(1);
      expect(Math.abs(decoded.frequency - MIC_HZ[engine])).toBeLessThan(5);
    });
  });
}

test('firefox, a take persisted to OPFS survives the browser being killed mid-take: recover() gives back its audio', async () => {
  test.setTimeout(120_000);
  const first = await launchFirefox(FIREFOX_MIC_HZ);
  await open(first, 'engine.html');
  const started = await first.call<{ warnings: string[] }>('startPersistedTake', { encoder: 'wav', seconds: 1.5 });
  expect(started.warnings).toEqual([]); // OPFS was used, not the memory fallback
  await first.crash();

  const second = await launchFirefox(FIREFOX_MIC_HZ, first.profile);
  try {
    await open(second, 'engine.html');
    const takes = await second.call<Array<Take & { id: string }>>('recoverTakes');
    expect(takes).toHaveLength(1);
    const decoded = decode(takes[0]!);
    expect(decoded.codec).toBe('pcm_s16le');
    // At least what was captured before the last journal write; the file holds every frame written before the kill.
    expect(decoded.decodedMs).toBeGreaterThanOrEqual(1500);
    expect(Math.abs(decoded.decodedMs - takes[0]!.durationMs)).toBeLessThanOrEqual(1);
    expect(Math.abs(decoded.frequency - FIREFOX_MIC_HZ)).toBeLessThan(5);
    // Recovered once: discardRecovered() deleted it.
    expect(await second.call<unknown[]>('recoverTakes')).toEqual([]);
  } finally {
    await second.close();
  }
});
