import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { openHarness, type HarnessWindow } from './helpers';

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
