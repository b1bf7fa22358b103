import { expect, test } from '@playwright/test';
import { dominantFrequency, longestSilence } from '../support/signal';
import { createRecorder, openHarness, readRecording, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('session, two recorders on the default microphone open it once; it ends only after both stop', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const a = new w.Tapedeck.AudioRecorder({ channels: 1 });
    const b = new w.Tapedeck.AudioRecorder({ channels: 1, encoder: 'mp3' });
    await a.startRecording();
    const aStarted = performance.now();
    await b.startRecording();
    const bStarted = performance.now();
    const calls = w.gum.calls;
    await new Promise((r) => setTimeout(r, 800));
    const aStopped = performance.now();
    await a.stopRecording();
    const afterFirst = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    await new Promise((r) => setTimeout(r, 300));
    const bStopped = performance.now();
    await b.stopRecording();
    const afterBoth = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    const take = async (r: InstanceType<typeof w.Tapedeck.AudioRecorder>, elapsedMs: number) => {
      const rec = r.getTemporaryContent()!;
      return { durationMs: rec.durationMs, elapsedMs, sampleRate: rec.sampleRate, samples: Array.from((await rec.pcm())[0]!) };
    };
    return { calls, afterFirst, afterBoth, a: await take(a, aStopped - aStarted), b: await take(b, bStopped - bStarted) };
  });
  expect(out.calls).toBe(1);
  expect(out.afterFirst).toBe('live');
  expect(out.afterBoth).toBe('ended');
  // Each take is as long as its own start-to-stop, b's running 300 ms past a's stop on the shared microphone.
  for (const take of [out.a, out.b]) {
    expect(Math.abs(take.durationMs - take.elapsedMs)).toBeLessThan(60);
    expect(Math.abs(dominantFrequency(Float32Array.from(take.samples), take.sampleRate) - 440)).toBeLessThan(5);
  }
});

test('session, the speech and music presets give recorders the constraints and outputs they promise', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const { AudioSession, AudioRecorder } = Tapedeck;
    const session = AudioSession.instance();
    const take = async (own: object = {}) => {
      const recorder = new AudioRecorder(own);
      await recorder.startRecording();
      const settings = recorder.getInputSettings();
      await new Promise((r) => setTimeout(r, 300));
      await recorder.stopRecording();
      const rec = recorder.getTemporaryContent()!;
      recorder.dispose();
      return { options: { ...recorder.options }, settings, sampleRate: rec.sampleRate, channels: rec.channels };
    };
    session.configure(AudioSession.speech());
    const speech = await take();
    const ownWins = await take({ channels: 2, cancelEcho: false });
    session.configure(AudioSession.music());
    const music = await take();
    let bad = '';
    try {
      session.configure({ channels: 3 } as never);
    } catch (error) {
      bad = `${(error as { code: string }).code}: ${(error as Error).message}`;
    }
    session.configure({});
    return { speech, ownWins, music, bad, same: AudioSession.instance() === session };
  });
  expect(out.same).toBe(true);
  expect(out.speech.options).toMatchObject({ cancelEcho: true, suppressNoise: true, autoGain: true, channels: 1 });
  expect(out.speech.settings).toMatchObject({ cancelEcho: true, suppressNoise: true, autoGain: true });
  expect(out.speech.channels).toBe(1);
  expect(out.ownWins.options).toMatchObject({ cancelEcho: false, suppressNoise: true, channels: 2 });
  expect(out.ownWins.channels).toBe(2);
  expect(out.music.options).toMatchObject({ cancelEcho: false, suppressNoise: false, autoGain: false, channels: 2, sampleRate: 48000 });
  expect(out.music.settings).toMatchObject({ cancelEcho: false, suppressNoise: false, autoGain: false });
  expect({ sampleRate: out.music.sampleRate, channels: out.music.channels }).toEqual({ sampleRate: 48000, channels: 2 });
  expect(out.bad).toMatch(/^invalid-option: .*channels.*1 or 2/);
});

test('session, setActive suspends and resumes the shared context and says so', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const session = (window as unknown as HarnessWindow).Tapedeck.AudioSession.instance();
    const off = await session.setActive(false);
    const suspended = session.context.state;
    const on = await session.setActive(true);
    return { off, suspended, on, running: session.context.state };
  });
  expect(out).toEqual({ off: { active: false }, suspended: 'suspended', on: { active: true }, running: 'running' });
});

test('session, a hidden page interrupts: recorders pause, resume when it is visible, and the pause is not in the file', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const setHidden = (hidden: boolean) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    const interruptions: object[] = [];
    Tapedeck.AudioSession.instance().on('interruption', (i) => interruptions.push(i));
    const follows = new Tapedeck.AudioRecorder({ channels: 1 });
    const ignores = new Tapedeck.AudioRecorder({ channels: 1, handleInterruptions: false });
    const states: string[] = [];
    follows.on('statechange', ({ state }) => states.push(state));
    await follows.startRecording();
    const followsStarted = performance.now();
    await ignores.startRecording();
    const ignoresStarted = performance.now();
    await sleep(700);
    setHidden(true);
    const hiddenAt = performance.now();
    await sleep(800);
    const whileHidden = { follows: follows.state, ignores: ignores.state };
    setHidden(false);
    const shownAt = performance.now();
    await sleep(700);
    const stoppedAt = performance.now();
    await follows.stopRecording();
    const ignoresStoppedAt = performance.now();
    await ignores.stopRecording();
    return {
      interruptions,
      states,
      whileHidden,
      recordedMs: hiddenAt - followsStarted + (stoppedAt - shownAt),
      totalMs: ignoresStoppedAt - ignoresStarted,
      follows: follows.getTemporaryContent()!.durationMs,
      ignores: ignores.getTemporaryContent()!.durationMs,
    };
  });
  expect(out.interruptions).toEqual([
    { begin: true, type: 'pause', reason: 'page-hidden' },
    { begin: false, type: 'pause', reason: 'page-hidden' },
  ]);
  expect(out.whileHidden).toEqual({ follows: 'paused', ignores: 'recording' });
  expect(out.states).toEqual(['recording', 'paused', 'recording', 'stopped']);
  expect(Math.abs(out.follows - out.recordedMs)).toBeLessThan(80);
  expect(Math.abs(out.ignores - out.totalMs)).toBeLessThan(80);
});

test('session, a registered <audio> is ducked while a recorder records and restored after; or paused, if so configured', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const session = Tapedeck.AudioSession.instance();
    const audio = new Audio('/tests/.generated/tone-1000.wav');
    audio.loop = true;
    audio.volume = 0.8;
    await audio.play();
    const unregister = session.registerPlayer(audio);
    const recorder = new Tapedeck.AudioRecorder({ channels: 1 });
    await recorder.startRecording();
    const whileRecording = { volume: audio.volume, paused: audio.paused };
    await recorder.stopRecording();
    const after = { volume: audio.volume, paused: audio.paused };

    session.configure({ playersWhileRecording: 'pause' });
    await recorder.startRecording();
    const whilePausedMode = { volume: audio.volume, paused: audio.paused };
    await recorder.stopRecording();
    await new Promise((r) => setTimeout(r, 100));
    const afterPausedMode = { volume: audio.volume, paused: audio.paused };
    unregister();
    session.configure({});
    audio.pause();
    return { whileRecording, after, whilePausedMode, afterPausedMode };
  });
  expect(out.whileRecording.volume).toBeCloseTo(0.16, 5); // 0.8 × the default duck volume 0.2
  expect(out.whileRecording.paused).toBe(false);
  expect(out.after).toEqual({ volume: 0.8, paused: false });
  expect(out.whilePausedMode).toEqual({ volume: 0.8, paused: true });
  expect(out.afterPausedMode).toEqual({ volume: 0.8, paused: false });
});

test('session, a lost microphone: the take moves to the default device in the same file, with no gap', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const interruptions: object[] = [];
    const changes: object[] = [];
    w.Tapedeck.AudioSession.instance().on('interruption', (i) => interruptions.push(i));
    w.recorder = new w.Tapedeck.AudioRecorder({ channels: 1 });
    const first = (await w.recorder.getInputDevices()).find((d) => d.label === 'Fake Audio Input 1')!.id;
    const recorder = new w.Tapedeck.AudioRecorder({ channels: 1, deviceId: first });
    w.recorder = recorder;
    recorder.on('inputchange', ({ cause, settings }) => changes.push({ cause, deviceId: settings.deviceId }));
    await recorder.startRecording();
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    // Chromium cannot unplug a fake device; the page stopping the device's stream loses it the same way.
    w.gum.streams[0]!.getAudioTracks()[0]!.stop();
    await new Promise((r) => setTimeout(r, 1000));
    const state = recorder.state;
    const elapsedMs = performance.now() - started;
    await recorder.stopRecording();
    return { first, after: recorder.getInputSettings()!.deviceId, state, elapsedMs, interruptions, changes, calls: w.gum.calls };
  });
  expect(out.state).toBe('recording');
  expect(out.interruptions).toEqual([
    { begin: true, type: 'unknown', reason: 'device-lost', deviceId: out.first },
    { begin: false, type: 'unknown', reason: 'device-lost', deviceId: out.first },
  ]);
  expect(out.after).not.toBe(out.first);
  expect(out.changes).toEqual([{ cause: 'device-lost', deviceId: out.after }]);
  expect(out.calls).toBe(2);
  const rec = await readRecording(page);
  expect(Math.abs(rec.durationMs - out.elapsedMs)).toBeLessThan(60);
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  const hole = longestSilence(samples, 2205);
  // As in the setInputDevice test: one dropped 10 ms device buffer (Quirk #7) at most; a lossy switch leaves more.
  expect(hole.length, `silent for ${hole.length} samples, ending at ${hole.endsAt} of ${samples.length}`).toBeLessThanOrEqual(444);
});

test('session, an unplugged microphone (its tracks end at once): capture holds until the default device delivers', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    // Emulates an unplug as the browser reports one: every track of the device ends, with 'ended' fired.
    const clones: MediaStream[] = [];
    const clone = MediaStream.prototype.clone;
    MediaStream.prototype.clone = function (this: MediaStream) {
      const copy = clone.call(this);
      clones.push(copy);
      return copy;
    };
    const first = (await w.recorder.getInputDevices()).find((d) => d.label === 'Fake Audio Input 1')!.id;
    const recorder = new w.Tapedeck.AudioRecorder({ channels: 1, deviceId: first });
    w.recorder = recorder;
    await recorder.startRecording();
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const unplugged = [...w.gum.streams[0]!.getAudioTracks(), ...clones.flatMap((s) => s.getAudioTracks())];
    for (const track of unplugged) track.stop();
    for (const track of unplugged) track.dispatchEvent(new Event('ended'));
    const unpluggedAt = performance.now();
    const moved = await new Promise((resolve) => recorder.once('inputchange', () => resolve(performance.now())));
    await new Promise((r) => setTimeout(r, 1000));
    const elapsedMs = performance.now() - started;
    await recorder.stopRecording();
    return { state: recorder.state, first, after: recorder.getInputSettings()!.deviceId, elapsedMs, switchMs: (moved as number) - unpluggedAt };
  });
  expect(out.after).not.toBe(out.first);
  const rec = await readRecording(page);
  // The file leaves out the time without a device (the switch, plus the new device's first 60 ms).
  expect(rec.durationMs).toBeLessThan(out.elapsedMs - out.switchMs);
  expect(rec.durationMs).toBeGreaterThan(out.elapsedMs - out.switchMs - 150);
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  const hole = longestSilence(samples, 2205);
  expect(hole.length, `silent for ${hole.length} samples, ending at ${hole.endsAt} of ${samples.length}`).toBeLessThanOrEqual(444);
});

test('session, a lost microphone with no other device: the take stops by itself and keeps what was recorded', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const { recorder } = w;
    const errors: string[] = [];
    recorder.on('error', (e) => errors.push(e.code));
    await recorder.startRecording();
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 800));
    // No device is left: the browser finds none.
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    w.gum.streams[0]!.getAudioTracks()[0]!.stop();
    const liveMs = performance.now() - started;
    await new Promise<void>((resolve) => recorder.once('statechange', () => resolve()));
    const url = await recorder.stopRecording();
    return { url, liveMs, errors, state: recorder.state };
  });
  expect(out.state).toBe('stopped');
  expect(out.url).toMatch(/^blob:/);
  expect(out.errors).toEqual(['source-ended']);
  const rec = await readRecording(page);
  expect(rec.durationMs).toBeGreaterThan(out.liveMs - 50);
  expect(rec.durationMs).toBeLessThan(out.liveMs + 250);
  const tone = rec.decoded!.data[0]!.subarray(0, Math.round(((out.liveMs - 50) / 1000) * 44100));
  expect(Math.abs(dominantFrequency(tone, 44100) - 440)).toBeLessThan(5);
});

test('session, a muted microphone track pauses the recorders on that device only, and unmuting resumes them', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const interruptions: object[] = [];
    w.Tapedeck.AudioSession.instance().on('interruption', (i) => interruptions.push(i));
    const onMic = w.recorder;
    const states: string[] = [];
    onMic.on('statechange', ({ state }) => states.push(state));
    const oscillator = new OscillatorNode(w.Tapedeck.AudioSession.instance().context, { frequency: 880 });
    oscillator.start();
    const onNode = new w.Tapedeck.AudioRecorder({ channels: 1 });
    await onMic.startRecording();
    const started = performance.now();
    await onNode.startRecording({ source: oscillator });
    await sleep(600);
    // The system (or another app) mutes the device: the browser fires 'mute' on its track.
    const track = w.gum.streams[0]!.getAudioTracks()[0]!;
    track.dispatchEvent(new Event('mute'));
    const mutedAt = performance.now();
    await sleep(600);
    const whileMuted = { onMic: onMic.state, onNode: onNode.state };
    track.dispatchEvent(new Event('unmute'));
    const unmutedAt = performance.now();
    await sleep(600);
    const stoppedAt = performance.now();
    await onMic.stopRecording();
    await onNode.stopRecording();
    oscillator.stop();
    return {
      deviceId: onMic.getInputSettings()!.deviceId,
      interruptions,
      states,
      whileMuted,
      recordedMs: mutedAt - started + (stoppedAt - unmutedAt),
      durationMs: onMic.getTemporaryContent()!.durationMs,
    };
  });
  expect(out.interruptions).toEqual([
    { begin: true, type: 'pause', reason: 'track-muted', deviceId: out.deviceId },
    { begin: false, type: 'pause', reason: 'track-muted', deviceId: out.deviceId },
  ]);
  expect(out.whileMuted).toEqual({ onMic: 'paused', onNode: 'recording' });
  expect(out.states).toEqual(['recording', 'paused', 'recording', 'stopped']);
  expect(Math.abs(out.durationMs - out.recordedMs)).toBeLessThan(80);
});

test('session, devicesChanged lists the devices after a change; a lost output is becomingNoisy and pauses registered players', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const device = (kind: MediaDeviceKind, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: `g-${deviceId}`, toJSON: () => ({}) }) as MediaDeviceInfo;
    const speakers = device('audiooutput', 'speakers', 'Speakers');
    const headphones = device('audiooutput', 'headphones', 'Headphones');
    const mic = device('audioinput', 'mic', 'Microphone');
    const camera = device('videoinput', 'cam', 'Camera');
    // The browser's device list, as it changes when headphones are plugged in and out.
    let listed = [mic, camera, speakers, headphones];
    navigator.mediaDevices.enumerateDevices = async () => listed;
    const session = Tapedeck.AudioSession.instance();
    const changes: object[] = [];
    const noisy: object[] = [];
    session.on('devicesChanged', ({ devices }) => changes.push(devices.map((d) => `${d.kind}:${d.label}`)));
    session.on('becomingNoisy', ({ lostOutputs }) => noisy.push(lostOutputs.map((d) => d.label)));
    const audio = new Audio('/tests/.generated/tone-1000.wav');
    audio.loop = true;
    await audio.play();
    session.registerPlayer(audio);
    await sleep(50);
    listed = [mic, camera, speakers, headphones, device('audioinput', 'usb', 'USB Microphone')];
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await sleep(50);
    const pausedAfterPlugIn = audio.paused;
    listed = [mic, camera, speakers];
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await sleep(50);
    return { changes, noisy, pausedAfterPlugIn, pausedAfterUnplug: audio.paused };
  });
  expect(out.changes).toEqual([
    ['audioinput:Microphone', 'audiooutput:Speakers', 'audiooutput:Headphones', 'audioinput:USB Microphone'],
    ['audioinput:Microphone', 'audiooutput:Speakers'],
  ]);
  expect(out.noisy).toEqual([['Headphones']]);
  expect(out.pausedAfterPlugIn).toBe(false);
  expect(out.pausedAfterUnplug).toBe(true);
});
