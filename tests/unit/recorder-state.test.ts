// The recorder's state machine in node, on a fake host: every method in every state, teardown during each pending
// call, and random sequences of calls. No browser: the takes are fakes that the test finishes, fails or holds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AudioRecorder } from '../../src/recorder/audio-recorder';
import type { RecorderHost, TakeHandle } from '../../src/recorder/recorder-host';
import type { Follower } from '../../src/session/interruption-follower';
import type { AudioInterruption } from '../../src/session/audio-session';
import type { TakeEnd, TakeEvents, TakeRequest } from '../../src/take/take';
import { TapedeckError } from '../../src/errors';

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A take the test drives: finish() and switchInput() wait for the test unless told to answer at once. */
class FakeTake implements TakeHandle {
  readonly sampleRate = 44100;
  readonly contextRate = 44100;
  readonly contextTime = 0;
  readonly inputSettings = {
    deviceId: 'mic-1',
    sampleRate: 44100,
    channelCount: 2,
    autoGain: false,
    cancelEcho: false,
    suppressNoise: false,
    processing: { browser: { autoGain: false, cancelEcho: false, suppressNoise: false }, tapedeck: { denoise: null, autoGain: false } },
  };
  readonly isMicrophone: boolean;
  readonly uploadDone = null;
  readonly tapStream = null;
  calls: string[] = [];
  finishing: ReturnType<typeof deferred<TakeEnd>> | null = null;
  switching: ReturnType<typeof deferred<never>> | null = null;
  /** Set by the test: pause() then waits for it (the audio thread's answer), until the take is torn down. */
  pauseGate: ReturnType<typeof deferred<void>> | null = null;
  ended: 'finished' | 'cancelled' | 'aborted' | null = null;

  constructor(
    readonly request: TakeRequest,
    readonly events: TakeEvents,
    private readonly answerAtOnce: boolean,
  ) {
    this.isMicrophone = request.sources === null;
    this.armed = request.options.vad?.startOnSpeech ?? false;
  }

  async pause() {
    this.calls.push('pause');
    await this.pauseGate?.promise;
  }
  /** A startOnSpeech take waits until speech or a resume (as CapturePipeline's `armed`). */
  armed = false;
  async resume(preRoll = true) {
    this.calls.push(preRoll ? 'resume' : 'resume without pre-roll');
    this.armed = false;
  }
  async resumeAtSpeech() {
    if (!this.armed || this.ended) return false;
    this.armed = false;
    this.calls.push('resumeAtSpeech');
    return true;
  }

  setMeterInterval() {}
  switchInput(): Promise<never> {
    this.switching = deferred<never>();
    return this.switching.promise;
  }
  finish(): Promise<TakeEnd> {
    if (this.ended) return Promise.reject(new TapedeckError('invalid-state', 'ended'));
    this.finishing = deferred<TakeEnd>();
    if (this.answerAtOnce) this.complete();
    return this.finishing.promise.then((end) => {
      this.ended = 'finished';
      return end;
    });
  }
  /** Answers a pending finish() with a 1 s file. */
  complete() {
    this.finishing?.resolve({ blob: new Blob([new Uint8Array(88244)], { type: 'audio/wav' }), frames: 44100, capturedFrames: 44100, receivedFrames: 44100, droppedFrames: 0, heard: true, sampleRate: 44100, files: null, upload: null, gaps: [], speechSegments: [] });
  }
  async cancel() {
    this.ended ??= 'cancelled';
  }
  abort(reason: TapedeckError) {
    if (this.ended) return;
    this.ended = 'aborted';
    this.finishing?.reject(reason);
    this.switching?.reject(reason);
    this.pauseGate?.resolve();
  }
}

/** The page's side, faked: takes open when the test says (or at once), interruptions when it sends them. */
class FakeHost implements RecorderHost {
  takes: FakeTake[] = [];
  opening: ReturnType<typeof deferred<void>> | null = null;
  holdOpen = false;
  answerAtOnce = true;
  followers: Follower[] = [];
  recording = new Set<object>();
  private listeners = new Set<(i: AudioInterruption) => void>();

  defaults = () => null;
  async openTake(request: TakeRequest, events: TakeEvents) {
    if (this.holdOpen) {
      this.opening = deferred<void>();
      await this.opening.promise;
    }
    const take = new FakeTake(request, events, this.answerAtOnce);
    this.takes.push(take);
    return take;
  }
  follow(recorder: Follower) {
    this.followers.push(recorder);
    const listener = (i: AudioInterruption) => {
      if (i.begin && recorder.state === 'recording') void recorder.pause().catch(() => undefined);
      else if (!i.begin && recorder.state === 'paused') void recorder.resume().catch(() => undefined);
    };
    this.listeners.add(listener);
    return { stop: () => this.listeners.delete(listener), reset: () => undefined };
  }
  interrupt(begin: boolean) {
    for (const listener of this.listeners) listener({ begin, type: 'pause', reason: 'page-hidden' });
  }
  setRecording(recorder: object, active: boolean) {
    if (active) this.recording.add(recorder);
    else this.recording.delete(recorder);
  }
  get last() {
    return this.takes[this.takes.length - 1]!;
  }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );
const tick = () => new Promise((r) => setTimeout(r, 0));

// The formats' support question asks for the capture pipeline's APIs; node has none, so they are stood in for.
beforeAll(() => {
  for (const name of ['AudioContext', 'AudioWorkletNode', 'Worker']) vi.stubGlobal(name, class {});
});
afterAll(() => vi.unstubAllGlobals());

describe('AudioRecorder state machine (fake host)', () => {
  it('start, pause, resume and stop move through the states, in order, with one take', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    const states: string[] = [];
    recorder.on('statechange', ({ state }) => states.push(state));
    const start = recorder.startRecording();
    const pause = recorder.pause();
    const resume = recorder.resume();
    const stop = recorder.stopRecording();
    await Promise.all([start, pause, resume]);
    const url = await stop;
    expect(url).toMatch(/^blob:/);
    expect(states).toEqual(['recording', 'paused', 'recording', 'stopped']);
    expect(host.takes).toHaveLength(1);
    expect(host.last.calls).toEqual(['pause', 'resume']);
    expect(host.last.ended).toBe('finished');
    expect(recorder.getTemporaryContent()).toMatchObject({ url, durationMs: 1000, sampleRate: 44100 });
    expect(host.recording.size).toBe(0);
  });

  it('pause() resolves, and the state is paused, only once the take has stopped capturing; a dispose() meanwhile leaves it stopped', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    await recorder.startRecording();
    host.last.pauseGate = deferred<void>();
    let paused = false;
    const pause = recorder.pause().then(() => (paused = true));
    await tick();
    expect(host.last.calls).toEqual(['pause']);
    expect([recorder.state, paused]).toEqual(['recording', false]);
    host.last.pauseGate.resolve();
    await pause;
    expect(recorder.state).toBe('paused');

    await recorder.resume();
    host.last.pauseGate = deferred<void>();
    const states: string[] = [];
    recorder.on('statechange', ({ state }) => states.push(state));
    const second = codeOf(recorder.pause());
    await tick();
    recorder.dispose();
    expect(await second).toBe('ok');
    expect([recorder.state, states, host.last.ended]).toEqual(['stopped', ['stopped'], 'aborted']);
  });

  it('every method in every state: the wrong state gives invalid-state and changes nothing', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    // stopped
    expect(await codeOf(recorder.pause())).toBe('invalid-state');
    expect(await codeOf(recorder.resume())).toBe('invalid-state');
    expect(await codeOf(recorder.stopRecording())).toBe('invalid-state');
    expect(await codeOf(recorder.cancelRecording())).toBe('invalid-state');
    expect(await codeOf(recorder.setInputDevice('mic-2'))).toBe('invalid-state');
    expect(recorder.state).toBe('stopped');
    // recording
    await recorder.startRecording();
    expect(await codeOf(recorder.startRecording())).toBe('invalid-state');
    expect(await codeOf(recorder.startStream())).toBe('invalid-state');
    expect(await codeOf(recorder.resume())).toBe('invalid-state');
    expect(() => recorder.clear()).toThrow(TapedeckError);
    expect(recorder.canRecord()).toBe(false);
    expect(recorder.state).toBe('recording');
    // paused
    await recorder.pause();
    expect(await codeOf(recorder.pause())).toBe('invalid-state');
    expect(await codeOf(recorder.startRecording())).toBe('invalid-state');
    expect(recorder.state).toBe('paused');
    expect(recorder.isRecording()).toBe(true);
    // stopped again: one take, and the recorder starts a second
    await recorder.stopRecording();
    await recorder.startRecording();
    expect(host.takes).toHaveLength(2);
    await recorder.cancelRecording();
    expect(host.takes[1]!.ended).toBe('cancelled');
    expect(recorder.getTemporaryContent()).not.toBeNull(); // the first take's recording is untouched
    recorder.clear();
    expect(recorder.getTemporaryContent()).toBeNull();
  });

  it('after dispose() every method refuses with invalid-state, and the live take is let go', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    await recorder.startRecording();
    recorder.dispose();
    expect(host.last.ended).toBe('aborted');
    expect(recorder.state).toBe('stopped');
    for (const call of [() => recorder.startRecording(), () => recorder.pause(), () => recorder.stopRecording(), () => recorder.hasPermission(), () => recorder.isSupportedEncoder('wav')]) {
      expect(await codeOf(call())).toBe('invalid-state');
    }
    expect(() => recorder.clear()).toThrow(/disposed/);
  });

  it('dispose() while startRecording() waits for its take: start rejects, and the take is let go when it comes', async () => {
    const host = new FakeHost();
    host.holdOpen = true;
    const recorder = AudioRecorder.withHost(host);
    const start = codeOf(recorder.startRecording());
    await tick();
    recorder.dispose();
    host.opening!.resolve();
    expect(await start).toBe('invalid-state');
    expect(host.last.ended).toBe('aborted');
    expect(host.recording.size).toBe(0);
  });

  it('dispose() while stopRecording() waits for the file: the stop settles (invalid-state), never hangs', async () => {
    const host = new FakeHost();
    host.answerAtOnce = false;
    const recorder = AudioRecorder.withHost(host);
    await recorder.startRecording();
    const stop = codeOf(recorder.stopRecording());
    await tick();
    recorder.dispose();
    expect(await stop).toBe('invalid-state');
    expect(host.last.ended).toBe('aborted');
  });

  it('dispose() while setInputDevice() waits for the new device: it settles, and the take is let go', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    await recorder.startRecording();
    const move = codeOf(recorder.setInputDevice('mic-2'));
    await tick();
    recorder.dispose();
    expect(await move).toBe('invalid-state');
    expect(host.last.ended).toBe('aborted');
  });

  it('a take that ends by itself (its limit) is kept: limitreached carries it, stopRecording() hands it over', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    const limits: Array<{ reason: string; url?: string }> = [];
    recorder.on('limitreached', ({ reason, recording }) => limits.push({ reason, url: recording?.url }));
    await recorder.startRecording();
    host.last.events.onLimit('duration');
    await tick();
    await tick();
    expect(recorder.state).toBe('stopped');
    expect(limits).toEqual([{ reason: 'duration', url: recorder.getTemporaryContent()!.url }]);
    expect(await recorder.stopRecording()).toBe(limits[0]!.url);
    expect(await codeOf(recorder.stopRecording())).toBe('invalid-state');
  });

  it('a lost input ends the take with source-ended and keeps what was recorded; a failure says encoder-failed and keeps it too', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host);
    const errors: string[] = [];
    recorder.on('error', (error) => errors.push(error.code));
    await recorder.startRecording();
    host.last.events.onInputEnded();
    await tick();
    await tick();
    expect(errors).toEqual(['source-ended']);
    expect(recorder.getTemporaryContent()).not.toBeNull();
    await recorder.stopRecording();
    await recorder.startRecording();
    host.last.events.onFailure(new TapedeckError('encoder-failed', 'boom'));
    await tick();
    await tick();
    expect(errors).toEqual(['source-ended', 'encoder-failed']);
    expect(recorder.state).toBe('stopped');
    expect(host.last.ended).toBe('finished');
  });

  it('follows the session: an interruption pauses the take and its end resumes it; not with handleInterruptions: false', async () => {
    const host = new FakeHost();
    const follows = AudioRecorder.withHost(host);
    const ignores = AudioRecorder.withHost(host, { handleInterruptions: false });
    await follows.startRecording();
    await ignores.startRecording();
    host.interrupt(true);
    await tick();
    expect([follows.state, ignores.state]).toEqual(['paused', 'recording']);
    host.interrupt(false);
    await tick();
    expect([follows.state, ignores.state]).toEqual(['recording', 'recording']);
    expect(host.followers).toHaveLength(1);
  });

  it('startOnSpeech: the recorder waits paused, speech begins the take (recording); speech heard after a resume by hand changes nothing', async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host, { vad: { startOnSpeech: true } });
    const states: string[] = [];
    recorder.on('statechange', ({ state }) => states.push(state));
    await recorder.startRecording();
    expect(recorder.state).toBe('paused');
    host.last.events.onSpeechWhileArmed(4410);
    await tick();
    expect(recorder.state).toBe('recording');
    expect(host.last.calls).toEqual(['resumeAtSpeech']);
    // A second take: resumed and paused again by hand before the detector's report lands; the report is ignored.
    await recorder.stopRecording();
    await recorder.startRecording();
    await recorder.resume();
    await recorder.pause();
    host.last.events.onSpeechWhileArmed(4410);
    await tick();
    expect(recorder.state).toBe('paused');
    expect(host.last.calls).toEqual(['resume', 'pause']);
    expect(states).toEqual(['paused', 'recording', 'stopped', 'paused', 'recording', 'paused']);
  });

  it("an interruption's end resumes without pre-roll; a resume() by hand brings it", async () => {
    const host = new FakeHost();
    const recorder = AudioRecorder.withHost(host, { preRollMs: 500 });
    await recorder.startRecording();
    host.interrupt(true);
    await tick();
    host.interrupt(false);
    await tick();
    await recorder.pause();
    await recorder.resume();
    expect(host.last.calls).toEqual(['pause', 'resume without pre-roll', 'pause', 'resume']);
  });

  it('random sequences of calls, awaited or not and with dispose() anywhere, settle every promise and leave no take live', async () => {
    const ops = ['start', 'stream', 'pause', 'resume', 'stop', 'cancel', 'clear', 'move', 'dispose', 'limit', 'fail', 'lost'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ op: fc.constantFrom(...ops), awaited: fc.boolean(), slowTake: fc.boolean() }), { maxLength: 25 }), async (steps) => {
        const host = new FakeHost();
        const recorder = AudioRecorder.withHost(host);
        const pending: Array<Promise<unknown>> = [];
        for (const { op, awaited, slowTake } of steps) {
          host.answerAtOnce = !slowTake;
          const live = host.takes.find((t) => !t.ended);
          let call: Promise<unknown> | null = null;
          if (op === 'start') call = recorder.startRecording();
          else if (op === 'stream') call = recorder.startStream();
          else if (op === 'pause') call = recorder.pause();
          else if (op === 'resume') call = recorder.resume();
          else if (op === 'stop') call = recorder.stopRecording();
          else if (op === 'cancel') call = recorder.cancelRecording();
          else if (op === 'move') call = recorder.setInputDevice('mic-2');
          else if (op === 'clear') call = Promise.resolve().then(() => recorder.clear());
          else if (op === 'dispose') recorder.dispose();
          else if (op === 'limit') live?.events.onLimit('memory');
          else if (op === 'fail') live?.events.onFailure(new TapedeckError('encoder-failed', 'boom'));
          else if (op === 'lost') live?.events.onInputEnded();
          if (call) {
            const settled = call.then(() => 'ok', () => 'rejected');
            pending.push(settled);
            if (awaited) {
              // A slow take answers its finish (or fails its move) a moment later, as a real one would, until the call settles.
              const answer = setInterval(() => host.takes.forEach((t) => (t.complete(), t.switching?.reject(new TapedeckError('device-not-found', 'no')))), 1);
              const result = await Promise.race([settled, new Promise((r) => setTimeout(() => r('hung'), 1000))]);
              clearInterval(answer);
              if (result === 'hung') throw new Error(`${op}() never settled`);
            }
          }
          for (const t of host.takes) t.complete();
        }
        recorder.dispose();
        for (const t of host.takes) t.complete();
        const results = await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(() => r('hung'), 1000))]);
        expect(results).not.toBe('hung');
        expect(host.takes.every((t) => t.ended !== null)).toBe(true);
        expect(recorder.state).toBe('stopped');
        expect(host.recording.size).toBe(0);
      }),
      // A hung sequence takes a second to judge: shrinking one takes many (hence the test's own timeout).
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 120_000);
});
