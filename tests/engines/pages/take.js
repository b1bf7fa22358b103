// In-page helpers of the engine tests (Firefox, WebKit): record a take from a source and hand back its bytes. Uses
// window.Tapedeck from whichever build the page loaded (engine.html: the ES module; engine-iife.html: the script tag).

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** A source by name: the microphone (undefined), a playing <audio> of `url`, or an oscillator in the session's context. */
async function sourceOf(source) {
  if (source.kind === 'element') {
    const audio = new Audio(source.url);
    audio.loop = true;
    await audio.play();
    return { source: audio, stop: () => audio.pause() };
  }
  if (source.kind === 'oscillator') {
    const context = window.Tapedeck.AudioSession.instance().context;
    const oscillator = new OscillatorNode(context, { frequency: source.frequency });
    const gain = new GainNode(context, { gain: 0.5 });
    oscillator.connect(gain);
    oscillator.start();
    return { source: gain, stop: () => oscillator.stop() };
  }
  return { source: undefined, stop: () => undefined };
}

async function finished(recorder) {
  const recording = recorder.getTemporaryContent();
  const bytes = new Uint8Array(await recording.arrayBuffer());
  return { mimeType: recording.mimeType, durationMs: recording.durationMs, sampleRate: recording.sampleRate, bytes: toBase64(bytes) };
}

/** Records `ms` (on the audio clock: maxDurationMs) of `source` as `encoder`. */
window.take = async ({ encoder, ms, source = { kind: 'microphone' }, options = {} }) => {
  const recorder = new window.Tapedeck.AudioRecorder({ encoder, maxDurationMs: ms, channels: 1, handleInterruptions: false, ...options });
  const errors = [];
  recorder.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
  const input = await sourceOf(source);
  try {
    const supported = await recorder.isSupportedEncoder(encoder);
    const ended = new Promise((resolve) => recorder.on('limitreached', resolve));
    await recorder.startRecording(input.source === undefined ? undefined : { source: input.source });
    await ended;
    await recorder.stopRecording();
    return { ok: true, supported, errors, ...(await finished(recorder)) };
  } catch (error) {
    return { ok: false, code: error.code, message: String(error.message), errors };
  } finally {
    input.stop();
    recorder.dispose();
  }
};

/** Resolves once `recorder.timeLength` (seconds captured, the audio clock) reaches `seconds`. */
function untilCaptured(recorder, seconds) {
  return new Promise((resolve) => {
    const check = () => (recorder.timeLength >= seconds ? resolve() : setTimeout(check, 20));
    check();
  });
}

/** Resolves after `seconds` of `context`'s time (the session's by default). */
function contextTime(seconds, context = window.Tapedeck.AudioSession.instance().context) {
  const until = context.currentTime + seconds;
  return new Promise((resolve) => {
    const check = () => (context.currentTime >= until ? resolve() : setTimeout(check, 20));
    check();
  });
}

/** Records ~`seconds` of WAV, pauses for `pauseSeconds` of audio-context time, records ~`seconds` more. */
window.pauseResumeTake = async ({ seconds, pauseSeconds }) => {
  const recorder = new window.Tapedeck.AudioRecorder({ encoder: 'wav', channels: 1, handleInterruptions: false });
  try {
    await recorder.startRecording();
    await untilCaptured(recorder, seconds);
    await recorder.pause();
    const atPause = recorder.timeLength;
    await contextTime(pauseSeconds);
    const afterPause = recorder.timeLength;
    await recorder.resume();
    await untilCaptured(recorder, atPause + seconds);
    await recorder.stopRecording();
    return { ok: true, atPause, afterPause, ...(await finished(recorder)) };
  } catch (error) {
    return { ok: false, code: error.code, message: String(error.message) };
  } finally {
    recorder.dispose();
  }
};

/** Starts a take persisted to OPFS and resolves once `seconds` are captured (the test then kills the browser). */
window.startPersistedTake = async ({ encoder, seconds }) => {
  const recorder = new window.Tapedeck.AudioRecorder({ encoder, channels: 1, persist: 'opfs', handleInterruptions: false });
  const warnings = [];
  recorder.on('warning', ({ message }) => /File System/.test(message) && warnings.push(message)); // storage warnings only, not input gaps
  await recorder.startRecording();
  await untilCaptured(recorder, seconds);
  // One more journal interval (500 ms), so the journal on disk counts what was written.
  await contextTime(0.6);
  return { warnings };
};

/** What AudioRecorder.recover() gives back, each take's bytes included. */
window.recoverTakes = async () => {
  const recovered = await window.Tapedeck.AudioRecorder.recover();
  const takes = [];
  for (const recording of recovered) {
    const bytes = new Uint8Array(await recording.arrayBuffer());
    takes.push({ id: recording.id, mimeType: recording.mimeType, durationMs: recording.durationMs, bytes: toBase64(bytes) });
    await window.Tapedeck.AudioRecorder.discardRecovered(recording.id);
  }
  return takes;
};


/** The peak an <audio> of `url` gives through createMediaElementSource in a bare AudioContext (no tapedeck). */
window.bareElementPeak = async (url) => {
  const context = new AudioContext();
  const audio = new Audio(url);
  audio.loop = true;
  await audio.play();
  const analyser = new AnalyserNode(context, { fftSize: 2048 });
  context.createMediaElementSource(audio).connect(analyser);
  await contextTime(0.5, context);
  const data = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(data);
  let peak = 0;
  for (const sample of data) peak = Math.max(peak, Math.abs(sample));
  const playing = !audio.paused && audio.currentTime > 0;
  audio.pause();
  await context.close();
  return { peak, playing };
};

/** Resolves once this script has run (the tests call it right after loading a page). */
window.whenReady = () => true;
