import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { createRecorder, expectNoUnreportedHole, expectOnAudioClock, openHarness, readRecording, SWITCH_HOLE_SAMPLES, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('session, two recorders on the default microphone open it once; it ends only after both stop', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const { audioClock } = w;
    const a = new w.Tapedeck.AudioRecorder({ channels: 1 });
    const b = new w.Tapedeck.AudioRecorder({ channels: 1, encoder: 'mp3' });
    const aCalled = audioClock.now();
    await a.startRecording();
    const aStarted = audioClock.now();
    await b.startRecording();
    const bStarted = audioClock.now();
    const calls = w.gum.calls;
    await audioClock.wait(800);
    const aStopping = audioClock.now();
    await a.stopRecording();
    const aStopped = audioClock.now();
    const afterFirst = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    await audioClock.wait(300);
    const bStopping = audioClock.now();
    await b.stopRecording();
    const bStopped = audioClock.now();
    const afterBoth = w.gum.streams[0]!.getAudioTracks()[0]!.readyState;
    const take = async (r: InstanceType<typeof w.Tapedeck.AudioRecorder>, clock: { minMs: number; maxMs: number }) => {
      const rec = r.getTemporaryContent()!;
      return { durationMs: rec.durationMs, clock, sampleRate: rec.sampleRate, samples: Array.from((await rec.pcm())[0]!) };
    };
    return {
      calls,
      afterFirst,
      afterBoth,
      a: await take(a, { minMs: aStopping - aStarted, maxMs: aStopped - aCalled }),
      b: await take(b, { minMs: bStopping - bStarted, maxMs: bStopped - aStarted }),
    };
  });
  expect(out.calls).toBe(1);
  expect(out.afterFirst).toBe('live');
  expect(out.afterBoth).toBe('ended');
  // Each take is as long as its own start-to-stop on the audio clock, b's running 300 ms past a's stop on the shared
  // microphone.
  for (const take of [out.a, out.b]) {
    expectOnAudioClock(take.durationMs, take.clock);
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

test('session, a hidden page pauses recorders that ask (pauseWhenHidden), resumes them when visible, and the pause is not in the file', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck, audioClock } = window as unknown as HarnessWindow;
    const setHidden = (hidden: boolean) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    const interruptions: object[] = [];
    Tapedeck.AudioSession.instance().on('interruption', (i) => interruptions.push(i));
    const follows = new Tapedeck.AudioRecorder({ channels: 1, pauseWhenHidden: true });
    // By default a hidden page goes on recording (browsers keep capturing in hidden tabs).
    const ignores = new Tapedeck.AudioRecorder({ channels: 1 });
    const states: string[] = [];
    follows.on('statechange', ({ state }) => states.push(state));
    const followsCalled = audioClock.now();
    await follows.startRecording();
    const followsStarted = audioClock.now();
    await ignores.startRecording();
    const ignoresStarted = audioClock.now();
    await audioClock.wait(700);
    const hiding = audioClock.now();
    setHidden(true);
    await audioClock.wait(800);
    const whileHidden = { follows: follows.state, ignores: ignores.state };
    const showing = audioClock.now();
    setHidden(false);
    const shown = audioClock.now();
    await audioClock.wait(700);
    const stopping = audioClock.now();
    await follows.stopRecording();
    const ignoresStopping = audioClock.now();
    await ignores.stopRecording();
    const stopped = audioClock.now();
    return {
      interruptions,
      states,
      whileHidden,
      // The follower's take: at least the time surely recording, at most all of it less the time surely hidden (plus
      // the pause and resume messages' way to the audio thread).
      follows: { durationMs: follows.getTemporaryContent()!.durationMs, minMs: hiding - followsStarted + (stopping - shown), maxMs: ignoresStopping - followsCalled - (showing - hiding) + 200 },
      ignores: { durationMs: ignores.getTemporaryContent()!.durationMs, minMs: ignoresStopping - ignoresStarted, maxMs: stopped - followsStarted },
    };
  });
  expect(out.interruptions).toEqual([
    { begin: true, type: 'pause', reason: 'page-hidden' },
    { begin: false, type: 'pause', reason: 'page-hidden' },
  ]);
  expect(out.whileHidden).toEqual({ follows: 'paused', ignores: 'recording' });
  expect(out.states).toEqual(['recording', 'paused', 'recording', 'stopped']);
  expectOnAudioClock(out.follows.durationMs, out.follows, 'the take that follows the session');
  expectOnAudioClock(out.ignores.durationMs, out.ignores, 'the take that ignores it');
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
    const called = w.audioClock.now();
    await recorder.startRecording();
    const started = w.audioClock.now();
    await w.audioClock.wait(1000);
    // Chromium cannot unplug a fake device; the page stopping the device's stream loses it the same way.
    w.gum.streams[0]!.getAudioTracks()[0]!.stop();
    await w.audioClock.wait(1000);
    const state = recorder.state;
    const stopping = w.audioClock.now();
    await recorder.stopRecording();
    const clock = { minMs: stopping - started, maxMs: w.audioClock.now() - called };
    return { first, after: recorder.getInputSettings()!.deviceId, state, clock, interruptions, changes, calls: w.gum.calls };
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
  expectOnAudioClock(rec.durationMs, out.clock);
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  expectNoUnreportedHole(rec, SWITCH_HOLE_SAMPLES, 2205);
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
    const called = w.audioClock.now();
    await recorder.startRecording();
    const started = w.audioClock.now();
    await w.audioClock.wait(1000);
    const unplugged = [...w.gum.streams[0]!.getAudioTracks(), ...clones.flatMap((s) => s.getAudioTracks())];
    for (const track of unplugged) track.stop();
    for (const track of unplugged) track.dispatchEvent(new Event('ended'));
    const unpluggedAt = w.audioClock.now();
    const moved = await new Promise<number>((resolve) => recorder.once('inputchange', () => resolve(w.audioClock.now())));
    await w.audioClock.wait(1000);
    const stopping = w.audioClock.now();
    await recorder.stopRecording();
    const clock = { minMs: stopping - started, maxMs: w.audioClock.now() - called };
    return { state: recorder.state, first, after: recorder.getInputSettings()!.deviceId, clock, switchMs: moved - unpluggedAt };
  });
  expect(out.after).not.toBe(out.first);
  const rec = await readRecording(page);
  // The file leaves out the time without a device: the switch, plus the new device's first 60 ms (a timer, which a
  // busy machine runs late: up to 500 ms allowed).
  expectOnAudioClock(rec.durationMs, { minMs: out.clock.minMs - out.switchMs - 500, maxMs: out.clock.maxMs - out.switchMs });
  const samples = rec.decoded!.data[0]!;
  expect(Math.abs(dominantFrequency(samples, 44100) - 440)).toBeLessThan(5);
  expectNoUnreportedHole(rec, SWITCH_HOLE_SAMPLES, 2205);
});

test('session, a lost microphone with no other device: the take stops by itself and keeps what was recorded', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const { recorder } = w;
    const errors: string[] = [];
    recorder.on('error', (e) => errors.push(e.code));
    await recorder.startRecording();
    const started = w.audioClock.now();
    await w.audioClock.wait(800);
    // No device is left: the browser finds none.
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    w.gum.streams[0]!.getAudioTracks()[0]!.stop();
    const liveMs = w.audioClock.now() - started;
    await new Promise<void>((resolve) => recorder.once('statechange', () => resolve()));
    const url = await recorder.stopRecording();
    return { url, liveMs, errors, state: recorder.state };
  });
  expect(out.state).toBe('stopped');
  expect(out.url).toMatch(/^blob:/);
  expect(out.errors).toEqual(['source-ended']);
  const rec = await readRecording(page);
  // Everything until the track stopped, plus the 1 s check that notices it (a timer: a busy machine runs it late).
  expect(rec.durationMs).toBeGreaterThan(out.liveMs - 25);
  expect(rec.durationMs).toBeLessThan(out.liveMs + 1600);
  const tone = rec.decoded!.data[0]!.subarray(0, Math.round(((out.liveMs - 50) / 1000) * 44100));
  expect(Math.abs(dominantFrequency(tone, 44100) - 440)).toBeLessThan(5);
});

test('session, a muted microphone track pauses the recorders on that device only, and unmuting resumes them', async ({ page }) => {
  await createRecorder(page, { channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const { audioClock } = w;
    const interruptions: object[] = [];
    w.Tapedeck.AudioSession.instance().on('interruption', (i) => interruptions.push(i));
    const onMic = w.recorder;
    const states: string[] = [];
    onMic.on('statechange', ({ state }) => states.push(state));
    const oscillator = new OscillatorNode(w.Tapedeck.AudioSession.instance().context, { frequency: 880 });
    oscillator.start();
    const onNode = new w.Tapedeck.AudioRecorder({ channels: 1 });
    const called = audioClock.now();
    await onMic.startRecording();
    const started = audioClock.now();
    await onNode.startRecording({ source: oscillator });
    await audioClock.wait(600);
    // The system (or another app) mutes the device: the browser fires 'mute' on its track.
    const track = w.gum.streams[0]!.getAudioTracks()[0]!;
    const muting = audioClock.now();
    track.dispatchEvent(new Event('mute'));
    await audioClock.wait(600);
    const whileMuted = { onMic: onMic.state, onNode: onNode.state };
    const unmuting = audioClock.now();
    track.dispatchEvent(new Event('unmute'));
    const unmuted = audioClock.now();
    await audioClock.wait(600);
    const stopping = audioClock.now();
    await onMic.stopRecording();
    const stopped = audioClock.now();
    await onNode.stopRecording();
    oscillator.stop();
    return {
      deviceId: onMic.getInputSettings()!.deviceId,
      interruptions,
      states,
      whileMuted,
      // At least the time surely recording; at most all of it less the time surely muted (plus the messages' way).
      clock: { minMs: muting - started + (stopping - unmuted), maxMs: stopped - called - (unmuting - muting) + 200 },
      durationMs: onMic.getTemporaryContent()!.durationMs,
    };
  });
  expect(out.interruptions).toEqual([
    { begin: true, type: 'pause', reason: 'track-muted', deviceId: out.deviceId },
    { begin: false, type: 'pause', reason: 'track-muted', deviceId: out.deviceId },
  ]);
  expect(out.whileMuted).toEqual({ onMic: 'paused', onNode: 'recording' });
  expect(out.states).toEqual(['recording', 'paused', 'recording', 'stopped']);
  expectOnAudioClock(out.durationMs, out.clock);
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
