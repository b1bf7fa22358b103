// The demo page: a small product around AudioRecorder. Keyboard: R record/stop, P pause/resume, Esc cancel.
// The demo imports the built package as an app would (vite.config.ts points 'tapedeck' at dist/), with no options
// for its files: Vite bundles the worker and copies the worklet and the codecs, as in a user's app.
import { AudioRecorder, AudioSession, TapedeckError, type AudioRecorderOptions } from 'tapedeck';
import { addTake } from './takes';
import { showSpeech, voiceControls, voiceOptions, wantsComparison } from './voice';
import { LiveTrace } from './waveform';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  encoder: $<HTMLSelectElement>('encoder'),
  bitRate: $<HTMLSelectElement>('bitRate'),
  sampleRate: $<HTMLSelectElement>('sampleRate'),
  channels: $<HTMLSelectElement>('channels'),
  device: $<HTMLSelectElement>('device'),
  gain: $<HTMLInputElement>('gain'),
  gainValue: $<HTMLOutputElement>('gainValue'),
  limit: $<HTMLInputElement>('limit'),
  cancelEcho: $<HTMLInputElement>('cancelEcho'),
  suppressNoise: $<HTMLInputElement>('suppressNoise'),
  autoGain: $<HTMLInputElement>('autoGain'),
  record: $<HTMLButtonElement>('record'),
  pause: $<HTMLButtonElement>('pause'),
  stop: $<HTMLButtonElement>('stop'),
  cancel: $<HTMLButtonElement>('cancel'),
  elapsed: $<HTMLSpanElement>('elapsed'),
  level: $<HTMLMeterElement>('level'),
  status: $<HTMLParagraphElement>('status'),
  takes: $<HTMLOListElement>('takes'),
  noTakes: $<HTMLParagraphElement>('noTakes'),
};
const settings = [ui.encoder, ui.bitRate, ui.sampleRate, ui.channels, ui.device, ui.gain, ui.limit, ui.cancelEcho, ui.suppressNoise, ui.autoGain, ...voiceControls];
const trace = new LiveTrace($<HTMLCanvasElement>('live'));
const LOSSY = new Set(['mp3', 'opus', 'opus-ogg', 'aac']);

let recorder: AudioRecorder | null = null;

function options(): AudioRecorderOptions {
  const ogg = ui.encoder.value === 'opus-ogg';
  const limitSeconds = Number(ui.limit.value);
  const voice = voiceOptions();
  return {
    ...voice,
    encoder: ogg ? 'opus' : (ui.encoder.value as AudioRecorderOptions['encoder']),
    container: ogg ? 'ogg' : undefined,
    bitRate: Number(ui.bitRate.value),
    sampleRate: Number(ui.sampleRate.value),
    channels: Number(ui.channels.value) as 1 | 2,
    deviceId: ui.device.value || undefined,
    gain: Number(ui.gain.value),
    maxDurationMs: ui.limit.value && limitSeconds > 0 ? limitSeconds * 1000 : undefined,
    cancelEcho: ui.cancelEcho.checked,
    suppressNoise: ui.suppressNoise.checked,
    autoGain: voice.autoGain ?? ui.autoGain.checked,
  };
}

/** The same take without tapedeck's processing (denoise, software gain, voice activity), for before/after listening. */
function unprocessed(): AudioRecorderOptions {
  return { ...options(), denoise: false, autoGain: ui.autoGain.checked, vad: false, preRollMs: 0 };
}

function say(text: string): void {
  ui.status.textContent = text;
}

function formatTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${(seconds - m * 60).toFixed(1).padStart(4, '0')}`;
}

function showState(): void {
  const state = recorder?.state ?? 'stopped';
  ui.record.disabled = state !== 'stopped';
  ui.pause.disabled = state === 'stopped';
  ui.stop.disabled = state === 'stopped';
  ui.cancel.disabled = state === 'stopped';
  ui.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
  for (const control of settings) control.disabled = state !== 'stopped';
  ui.bitRate.disabled ||= !LOSSY.has(ui.encoder.value);
  ui.noTakes.hidden = ui.takes.children.length > 0;
}

async function refreshDevices(): Promise<void> {
  const chosen = ui.device.value;
  const devices = await navigator.mediaDevices.enumerateDevices();
  ui.device.replaceChildren(new Option('Default microphone', ''));
  devices
    .filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default')
    .forEach((d, i) => ui.device.add(new Option(d.label || `Microphone ${i + 1}`, d.deviceId)));
  ui.device.value = chosen;
}

async function record(): Promise<void> {
  const format = ui.encoder.value;
  let current: AudioRecorder;
  try {
    current = recorder = new AudioRecorder(options());
  } catch (error) {
    say((error as Error).message);
    return;
  }
  current.on('statechange', ({ state }) => {
    if (state === 'stopped') return;
    showState();
    say(state === 'recording' ? 'Recording…' : 'Paused.');
  });
  current.on('amplitude', ({ current: db }) => {
    ui.level.value = Math.max(-60, db);
    trace.push(db);
  });
  current.on('limitreached', ({ reason }) => say(reason === 'silence' ? 'Stopped after the silence.' : 'Time limit reached.'));
  showSpeech(current);
  // Before/after: a second recorder on the same microphone (the session opens it once), without the processing.
  const before = wantsComparison() ? new AudioRecorder(unprocessed()) : null;
  current.on('error', (error) => say(error.message));
  current.on('inputchange', ({ cause }) => {
    if (cause === 'device-lost') say('The microphone was lost; recording goes on with the default one.');
  });
  const clock = window.setInterval(() => (ui.elapsed.textContent = formatTime(current.timeLength)), 100);
  trace.clear();
  try {
    const stopped = new Promise<void>((resolve) => current.on('statechange', ({ state }) => state === 'stopped' && resolve()));
    await current.startRecording();
    await before?.startRecording();
    void refreshDevices(); // labels appear once permission is granted
    await stopped;
    if (before?.isRecording()) await before.stopRecording(); // the processed take ended (by hand or by itself): so does its twin
    const take = current.getTemporaryContent();
    if (take) {
      addTake(ui.takes, take, format, say, before?.getTemporaryContent() ?? null);
      say(`Saved a ${(take.durationMs / 1000).toFixed(1)} s ${format} take.`);
    }
  } catch (error) {
    say(error instanceof TapedeckError ? `${error.message} (${error.code})` : String(error));
  } finally {
    clearInterval(clock);
    ui.elapsed.textContent = formatTime(current.timeLength);
    current.dispose(); // a new recorder per take, with the settings of that moment
    before?.dispose();
    ui.level.value = -60;
    showState();
  }
}

async function markUnsupportedFormats(): Promise<void> {
  const probe = new AudioRecorder();
  for (const option of ui.encoder.options) {
    const id = option.value === 'opus-ogg' ? 'opus' : option.value;
    if (!(await probe.isSupportedEncoder(id))) {
      option.disabled = true;
      option.textContent += ' — not supported in this browser';
    }
  }
  probe.dispose();
}

ui.record.addEventListener('click', () => void record());
ui.stop.addEventListener('click', () => void recorder?.stopRecording().catch((e: Error) => say(e.message)));
ui.cancel.addEventListener('click', () => void recorder?.cancelRecording().then(() => say('Cancelled; nothing was kept.')));
ui.pause.addEventListener('click', () => {
  if (!recorder) return;
  void (recorder.isPaused() ? recorder.resume() : recorder.pause()).catch((e: Error) => say(e.message));
});
ui.encoder.addEventListener('change', showState);
ui.gain.addEventListener('input', () => (ui.gainValue.textContent = `${Number(ui.gain.value).toFixed(1)}×`));
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (target.matches('select, input') || event.metaKey || event.ctrlKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === 'r') (recorder?.isRecording() ? ui.stop : ui.record).click();
  else if (key === 'p' && recorder?.isRecording()) ui.pause.click();
  else if (key === 'escape' && recorder?.isRecording()) ui.cancel.click();
});
AudioSession.instance().on('devicesChanged', () => void refreshDevices());
void markUnsupportedFormats();
void refreshDevices();
showState();
