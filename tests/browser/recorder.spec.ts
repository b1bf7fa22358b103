import { expect, test } from '@playwright/test';
import { dominantFrequency, rms } from '../support/signal';
import { parseWav } from '../support/wav-file';
import { FAKE_MIC_TONE } from '../support/fake-microphone';
import { createRecorder, expectOnAudioClock, ffprobe, openHarness, readRecording, recordFor, rejectionOf, expectNoUnreportedHole, SWITCH_HOLE_SAMPLES, type HarnessWindow } from './helpers';

// Every take turns the browser's processing off: it would otherwise change the test tone's level (BROWSER-NOTES).
test.beforeEach(async ({ page }) => openHarness(page));

test('AudioRecorder, 2 s of the 440 Hz fake microphone to WAV: decodes, lasts 2 s, holds 440 Hz', async ({ page }) => {
  await createRecorder(page, { encoder: 'wav' });
  const { url, elapsedMs, clock } = await recordFor(page, 2000);
  expect(url).toMatch(/^blob:/);

  const rec = await readRecording(page);
  expect(rec.url).toBe(url);
  expect(rec.mimeType).toBe('audio/wav');
  expect(rec.size).toBe(rec.bytes.length);
  // As long as the audio clock ran between start and stop: nothing lost, nothing invented.
  expectOnAudioClock(rec.durationMs, clock);

  const decoded = rec.decoded!;
  expect(decoded.sampleRate).toBe(44100);
  expect(decoded.channels).toBe(2);
  expect(Math.abs((decoded.length / decoded.sampleRate) * 1000 - rec.durationMs)).toBeLessThan(1);
  const frequency = dominantFrequency(decoded.data[0]!, decoded.sampleRate);
  expect(Math.abs(frequency - FAKE_MIC_TONE.frequency)).toBeLessThan(5);
  // Level: the 0.5-amplitude sine comes back at rms 0.354 when processing is off (−9 dBFS).
  expect(rms(decoded.data[0]!, 4410, decoded.length - 4410)).toBeGreaterThan(0.3);

  // An independent reader agrees with the browser's decoder and the Recording.
  const wav = parseWav(rec.bytes);
  expect(wav).toMatchObject({ format: 1, channels: 2, sampleRate: 44100, bitsPerSample: 16, riffSize: rec.bytes.length - 8 });
  expect(wav.samples[0]!.length).toBe(decoded.length);
  const probe = ffprobe(rec.bytes, 'wav');
  if (probe) {
    expect(probe).toMatchObject({ codec: 'pcm_s16le', channels: 2, sampleRate: 44100 });
    expect(Math.abs(probe.durationS * 1000 - rec.durationMs)).toBeLessThan(1);
  }
  test.info().annotations.push({
    type: 'measured',
    description: `duration ${rec.durationMs.toFixed(1)} ms for ${elapsedMs.toFixed(1)} ms of audio clock, frequency ${frequency.toFixed(2)} Hz`,
  });
});

for (const { sampleRate, channels } of [
  { sampleRate: 16000, channels: 1 },
  { sampleRate: 48000, channels: 2 },
] as const) {
  test(`AudioRecorder, ${channels === 1 ? 'mono' : 'stereo'} ${sampleRate / 1000} kHz output is exactly that`, async ({ page }) => {
    await createRecorder(page, { sampleRate, channels });
    await recordFor(page, 1000);
    const rec = await readRecording(page);
    expect({ sampleRate: rec.sampleRate, channels: rec.channels }).toEqual({ sampleRate, channels });
    const wav = parseWav(rec.bytes);
    expect({ sampleRate: wav.sampleRate, channels: wav.channels, byteRate: wav.byteRate }).toEqual({ sampleRate, channels, byteRate: sampleRate * channels * 2 });
    expect(rec.decoded).toMatchObject({ sampleRate, channels });
    for (const channel of wav.samples) expect(Math.abs(dominantFrequency(channel, sampleRate) - 440)).toBeLessThan(5);
    expect(Math.abs((wav.samples[0]!.length / sampleRate) * 1000 - rec.durationMs)).toBeLessThan(1);
  });
}

test('AudioRecorder, a 1 s pause in the middle is left out of the file', async ({ page }) => {
  await createRecorder(page);
  const timeline = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const states: string[] = [];
    const beforeStart = audioClock.now();
    await recorder.startRecording();
    const started = audioClock.now();
    await audioClock.wait(1000);
    const pausing = audioClock.now();
    await recorder.pause();
    states.push(`${recorder.isRecording()}/${recorder.isPaused()}`);
    const atPause = recorder.timeLength;
    await audioClock.wait(1000);
    const afterPause = recorder.timeLength;
    const resuming = audioClock.now();
    await recorder.resume();
    const resumed = audioClock.now();
    states.push(`${recorder.isRecording()}/${recorder.isPaused()}`);
    await audioClock.wait(1000);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    const stopped = audioClock.now();
    states.push(`${recorder.isRecording()}/${recorder.isPaused()}`);
    // At least the audio time while surely recording; at most all of it less the time surely paused.
    return { states, atPause, afterPause, minMs: pausing - started + (stopping - resumed), maxMs: stopped - beforeStart - (resuming - pausing), pausedMs: resuming - pausing };
  });
  expect(timeline.states).toEqual(['true/true', 'true/false', 'false/false']);
  // pause() resolves once the audio thread has stopped: the take's clock then stands still, to the frame.
  expect(timeline.afterPause).toBe(timeline.atPause);
  const rec = await readRecording(page);
  // The file is as long as the time spent recording, not the ~3 s including the pause. The upper bound allows for the
  // pause and resume messages' way to the audio thread, which a busy machine delays.
  expect(timeline.pausedMs).toBeGreaterThanOrEqual(1000);
  expectOnAudioClock(rec.durationMs, { minMs: timeline.minMs, maxMs: timeline.maxMs + 200 });
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
  const events = await page.evaluate(() => (window as unknown as HarnessWindow).events.map((e) => e.state));
  expect(events).toEqual(['recording', 'paused', 'recording', 'stopped']);
});

test('AudioRecorder, cancel leaves no recording, no URL and no error, and ends the microphone', async ({ page }) => {
  await createRecorder(page);
  const after = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    await w.recorder.startRecording();
    await new Promise((r) => setTimeout(r, 500));
    await w.recorder.cancelRecording();
    return {
      content: w.recorder.getTemporaryContent(),
      state: w.recorder.state,
      tracks: w.gum.streams.flatMap((s) => s.getTracks().map((t) => t.readyState)),
    };
  });
  expect(after).toEqual({ content: null, state: 'stopped', tracks: ['ended'] });
  expect(await rejectionOf(page, 'stopRecording')).toMatchObject({ code: 'invalid-state' });
  const events = await page.evaluate(() => (window as unknown as HarnessWindow).events);
  expect(events.filter((e) => e.type === 'error')).toEqual([]);
});

test('AudioRecorder, bad options throw before getUserMedia is ever called', async ({ page }) => {
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const codes: string[] = [];
    for (const options of [{ sampleRate: -1 }, { channels: 5 }, { encoder: 'ogg-vorbis' }, { gain: NaN }, { bogus: true }]) {
      try {
        new w.Tapedeck.AudioRecorder(options as never);
      } catch (error) {
        codes.push(`${(error as { code: string }).code}`);
      }
    }
    // A known encoder this browser cannot record fails at start, still before the permission prompt:
    // without WebCodecs there is no Opus encoder.
    delete (window as { AudioEncoder?: unknown }).AudioEncoder;
    const recorder = new w.Tapedeck.AudioRecorder({ encoder: 'opus' });
    try {
      await recorder.startRecording();
    } catch (error) {
      codes.push(`${(error as { code: string }).code}: ${(error as Error).message}`);
    }
    return { codes, gumCalls: w.gum.calls };
  });
  expect(outcome.gumCalls).toBe(0);
  expect(outcome.codes.slice(0, 5)).toEqual(Array(5).fill('invalid-option'));
  expect(outcome.codes[5]).toMatch(/^unsupported-encoder: This browser cannot record 'opus'; it can record 'wav', 'pcm16', 'mp3', 'aac', 'flac'/);
});

test('AudioRecorder, a page without microphone permission gets permission-denied and stays usable', async ({ browser }) => {
  const context = await browser.newContext({ permissions: [] });
  const page = await context.newPage();
  await openHarness(page);
  await createRecorder(page);
  const error = await rejectionOf(page, 'startRecording');
  expect(error).toMatchObject({ name: 'TapedeckError', code: 'permission-denied', causeName: 'NotAllowedError' });
  expect(error!.message).toMatch(/allow the microphone/);
  const after = await page.evaluate(async () => {
    const { recorder } = window as unknown as HarnessWindow;
    return { state: recorder.state, canRecord: recorder.canRecord(), permission: await recorder.hasPermission() };
  });
  expect(after).toEqual({ state: 'stopped', canRecord: true, permission: false });
  await context.close();
});

test('AudioRecorder, stopping the microphone track mid-recording keeps a playable file of what came before', async ({ page }) => {
  // Not following the session, a lost input ends the take (session.spec.ts: following, the take moves to another device).
  await createRecorder(page, { handleInterruptions: false });
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    await w.recorder.startRecording();
    const started = w.audioClock.now();
    await w.audioClock.wait(1000);
    w.gum.streams[0]!.getAudioTracks()[0]!.stop();
    const liveMs = w.audioClock.now() - started;
    await new Promise<void>((resolve) => w.recorder.once('statechange', () => resolve()));
    const url = await w.recorder.stopRecording(); // hands over the take that ended by itself
    return { url, liveMs, state: w.recorder.state, events: w.events };
  });
  expect(outcome.url).toMatch(/^blob:/);
  expect(outcome.state).toBe('stopped');
  expect(outcome.events).toContainEqual({ type: 'error', code: 'source-ended' });
  const rec = await readRecording(page);
  expect(rec.url).toBe(outcome.url);
  // Everything until the track stopped, plus the time it takes to notice: the session sees the page's stream end
  // within 250 ms of timers (Quirk #4: no 'ended' for a stopped track) and ends the recorder's clone, which the take
  // sees within 100 ms more; a busy machine runs those timers late, so up to a second is allowed.
  expect(rec.durationMs).toBeGreaterThan(outcome.liveMs - 25);
  expect(rec.durationMs).toBeLessThan(outcome.liveMs + 1000);
  const tone = rec.decoded!.data[0]!.subarray(0, Math.round(((outcome.liveMs - 50) / 1000) * 44100));
  expect(Math.abs(dominantFrequency(tone, 44100) - 440)).toBeLessThan(5);
  expect(rms(tone, 4410, tone.length)).toBeGreaterThan(0.3);
});

test('AudioRecorder, the microphone track is ended after stopRecording() and after dispose()', async ({ page }) => {
  await createRecorder(page);
  const states = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    await w.recorder.startRecording();
    const live = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    await w.recorder.stopRecording();
    const afterStop = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    await w.recorder.startRecording();
    const url = w.recorder.getTemporaryContent()!.url;
    w.recorder.dispose();
    const afterDispose = w.gum.streams[1]!.getAudioTracks()[0]!.readyState;
    const revoked = await fetch(url).then(() => false, () => true);
    return { live, afterStop, afterDispose, revoked, state: w.recorder.state };
  });
  expect(states).toEqual({ live: 'live', afterStop: 'ended', afterDispose: 'ended', revoked: true, state: 'stopped' });
  expect(await rejectionOf(page, 'startRecording')).toMatchObject({ code: 'invalid-state', message: expect.stringMatching(/disposed/) });
});

test('AudioRecorder, calls in the wrong state give invalid-state and the recorder still records', async ({ page }) => {
  await createRecorder(page);
  expect(await rejectionOf(page, 'pause')).toMatchObject({ code: 'invalid-state' });
  expect(await rejectionOf(page, 'resume')).toMatchObject({ code: 'invalid-state' });
  expect(await rejectionOf(page, 'stopRecording')).toMatchObject({ code: 'invalid-state' });
  const outcome = await page.evaluate(async () => {
    const { recorder } = window as unknown as HarnessWindow;
    const first = recorder.startRecording();
    const second = recorder.startRecording(); // not awaited: queued behind the first, then refused
    await first;
    const code = await second.then(() => 'resolved', (e: { code: string }) => e.code);
    await new Promise((r) => setTimeout(r, 500));
    return { code, url: await recorder.stopRecording() };
  });
  expect(outcome.code).toBe('invalid-state');
  const rec = await readRecording(page);
  expect(rec.url).toBe(outcome.url);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});

test('AudioRecorder, with no level listener timeLength runs on the audio clock and getAmplitude() polled stays fresh', async ({ page }) => {
  await createRecorder(page);
  const out = await page.evaluate(async () => {
    const { recorder, audioClock, Tapedeck } = window as unknown as HarnessWindow;
    // A tone whose level climbs steadily, so a stale level shows as a repeated value.
    const context = Tapedeck.AudioSession.instance().context;
    const oscillator = new OscillatorNode(context, { frequency: 440 });
    const gain = new GainNode(context, { gain: 0.01 });
    oscillator.connect(gain);
    oscillator.start();
    await recorder.startRecording({ source: gain });
    gain.gain.linearRampToValueAtTime(1, context.currentTime + 4);
    await audioClock.wait(500);
    // timeLength between level reports (every 5 s when no one listens): it follows the audio clock.
    const steps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [t0, a0] = [recorder.timeLength, audioClock.now()];
      await audioClock.wait(150);
      steps.push((recorder.timeLength - t0) * 1000 - (audioClock.now() - a0));
    }
    // A UI polling getAmplitude() every 100 ms of audio gets a new level nearly every time.
    const polled: number[] = [];
    for (let i = 0; i < 20; i++) {
      polled.push(recorder.getAmplitude().current);
      await audioClock.wait(100);
    }
    await recorder.stopRecording();
    oscillator.stop();
    return { steps, distinct: new Set(polled).size };
  });
  // The main thread sees the audio clock in steps of one render callback (~10 ms here); 128 frames more or less.
  for (const step of out.steps) expect(Math.abs(step)).toBeLessThan(25);
  // Idle reports (every 5 s) would give at most 2 distinct levels in 2 s; polled, each 50 ms report is a new one.
  expect(out.distinct).toBeGreaterThanOrEqual(15);
});

test('AudioRecorder, amplitude reads the tone level in dBFS and the input settings say processing is off', async ({ page }) => {
  await createRecorder(page);
  const seen = await page.evaluate(async () => {
    const { recorder } = window as unknown as HarnessWindow;
    const levels: number[] = [];
    recorder.on('amplitude', ({ current }) => levels.push(current));
    await recorder.startRecording();
    await new Promise((r) => setTimeout(r, 600));
    const amplitude = recorder.getAmplitude();
    const settings = recorder.getInputSettings();
    await recorder.stopRecording();
    return { levels: levels.length, amplitude, settings };
  });
  expect(seen.levels).toBeGreaterThan(5);
  // A 0.5-amplitude sine peaks at −6.02 dBFS.
  expect(seen.amplitude.current).toBeGreaterThan(-7);
  expect(seen.amplitude.current).toBeLessThan(-5);
  expect(seen.amplitude.max).toBeGreaterThanOrEqual(seen.amplitude.current);
  expect(seen.settings).toMatchObject({ autoGain: false, cancelEcho: false, suppressNoise: false });
});

test('AudioRecorder, lists the fake input devices and reports permission', async ({ page }) => {
  await createRecorder(page);
  const found = await page.evaluate(async () => {
    const { recorder } = window as unknown as HarnessWindow;
    return {
      permission: await recorder.hasPermission(),
      devices: await recorder.getInputDevices(),
      encoders: await Promise.all(['wav', 'pcm16', 'mp3', 'opus', 'aac', 'flac', 'vorbis'].map((id) => recorder.isSupportedEncoder(id))),
    };
  });
  expect(found.permission).toBe(true);
  expect(found.devices.map((d) => d.label)).toContain('Fake Audio Input 1');
  // Chromium encodes Opus itself; AAC and FLAC come from WebAssembly encoders; 'vorbis' is not a tapedeck format.
  expect(found.encoders).toEqual([true, true, true, true, true, true, false]);
});

test('AudioRecorder, setInputDevice() mid-recording moves to another device in the same file, with no gap', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const beforeStart = audioClock.now();
    await recorder.startRecording();
    const started = audioClock.now();
    const before = recorder.getInputSettings()!.deviceId;
    const target = (await recorder.getInputDevices()).find((d) => d.label === 'Fake Audio Input 1')!.id;
    await audioClock.wait(1000);
    await recorder.setInputDevice(target);
    const after = recorder.getInputSettings()!.deviceId;
    await audioClock.wait(1000);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    const clock = { minMs: stopping - started, maxMs: audioClock.now() - beforeStart };
    // A device that does not exist: refused, and the (second, cancelled) take goes on meanwhile.
    await recorder.startRecording();
    const wrong = await recorder.setInputDevice('no-such-device').then(() => 'switched', (e: { code: string }) => e.code);
    const stillRecording = recorder.isRecording();
    await recorder.cancelRecording();
    return { before, after, target, clock, wrong, stillRecording };
  });
  expect(out.after).toBe(out.target);
  expect(out.after).not.toBe(out.before);
  expect(out.wrong).toBe('device-not-found');
  expect(out.stillRecording).toBe(true);
  // One file with both halves: as long as the time recorded, holding the tone, and never silent for 10 ms.
  const rec = await readRecording(page);
  expectOnAudioClock(rec.durationMs, out.clock);
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  // No gap beyond what the two devices' buffers explain (Chromium's fake capture device now and then drops a 10 ms
  // buffer, in plain recordings too): a switch that lost audio would leave more.
  expectNoUnreportedHole(rec, SWITCH_HOLE_SAMPLES, 2205);
});

test('AudioRecorder, startRecording({ paused: true }) opens everything but records only from resume()', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording({ paused: true });
    const armed = { state: recorder.state, timeLength: recorder.timeLength };
    await audioClock.wait(500);
    const stillEmpty = recorder.timeLength;
    const resuming = audioClock.now();
    await recorder.resume();
    const resumed = audioClock.now();
    await audioClock.wait(1000);
    const stopping = audioClock.now();
    await recorder.stopRecording();
    // resume() resolves once its message is posted: capture may begin a little after, never before resuming.
    return { armed, stillEmpty, clock: { minMs: stopping - resumed - 50, maxMs: audioClock.now() - resuming } };
  });
  expect(out.armed).toEqual({ state: 'paused', timeLength: 0 });
  expect(out.stillEmpty).toBe(0);
  const rec = await readRecording(page);
  expectOnAudioClock(rec.durationMs, out.clock);
  expect(Math.abs(dominantFrequency(rec.decoded!.data[0]!, 44100) - 440)).toBeLessThan(5);
});
