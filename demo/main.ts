// The demo page: a small product around one AudioRecorder. Keyboard: R record/stop, P pause/resume, Esc cancel.
import { AudioRecorder, TapedeckError, type AudioRecorderOptions, type Recording } from '../src/index';
// The demo builds tapedeck from source, so it lets Vite bundle the worklet and the worker and passes their URLs
// (the same options a site with a strict Content-Security-Policy uses).
import workletUrl from '../worklets/capture-processor.ts?worker&url';
import workerUrl from '../src/encoders/encoder-worker.ts?worker&url';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  encoder: $<HTMLSelectElement>('encoder'),
  sampleRate: $<HTMLSelectElement>('sampleRate'),
  channels: $<HTMLSelectElement>('channels'),
  device: $<HTMLSelectElement>('device'),
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
};

let recorder: AudioRecorder | null = null;
let clock = 0;

function options(): AudioRecorderOptions {
  const ogg = ui.encoder.value === 'opus-ogg';
  return {
    encoder: ogg ? 'opus' : (ui.encoder.value as AudioRecorderOptions['encoder']),
    container: ogg ? 'ogg' : undefined,
    sampleRate: Number(ui.sampleRate.value),
    channels: Number(ui.channels.value) as 1 | 2,
    deviceId: ui.device.value || undefined,
    cancelEcho: ui.cancelEcho.checked,
    suppressNoise: ui.suppressNoise.checked,
    autoGain: ui.autoGain.checked,
    workletUrl,
    workerUrl,
  };
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
  for (const control of [ui.encoder, ui.sampleRate, ui.channels, ui.device, ui.cancelEcho, ui.suppressNoise, ui.autoGain]) {
    control.disabled = state !== 'stopped';
  }
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

function addTake(recording: Recording, encoder: string): void {
  // The list keeps its own URL: the recorder revokes the ones it made when it is disposed.
  const url = URL.createObjectURL(recording.blob);
  const item = document.createElement('li');
  const extension = { pcm16: 'pcm', opus: 'webm', 'opus-ogg': 'ogg', aac: 'm4a' }[encoder] ?? encoder;
  const name = `take-${ui.takes.children.length + 1}.${extension}`;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = `${name} · ${(recording.durationMs / 1000).toFixed(2)} s · ${(recording.size / 1024).toFixed(1)} KiB · ${recording.sampleRate} Hz · ${recording.channels === 1 ? 'mono' : 'stereo'}`;
  item.append(meta);
  if (!recording.mimeType.startsWith('audio/pcm')) {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.src = url;
    item.append(audio);
  }
  const actions = document.createElement('div');
  actions.className = 'actions';
  const download = document.createElement('a');
  download.href = url;
  download.download = name;
  download.textContent = 'Download';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Delete';
  remove.addEventListener('click', () => {
    URL.revokeObjectURL(url);
    item.remove();
    say(`Deleted ${name}.`);
  });
  actions.append(download, remove);
  item.append(actions);
  ui.takes.prepend(item);
}

async function start(): Promise<void> {
  const encoder = ui.encoder.value;
  try {
    recorder = new AudioRecorder(options());
  } catch (error) {
    say((error as Error).message);
    return;
  }
  const current = recorder;
  current.on('statechange', ({ state }) => {
    if (state !== 'stopped') showState();
    say(state === 'recording' ? 'Recording…' : state === 'paused' ? 'Paused.' : 'Stopped.');
  });
  current.on('amplitude', ({ current: db }) => {
    ui.level.value = Math.max(-60, db);
  });
  current.on('error', (error) => say(`${error.message}`));
  clock = window.setInterval(() => (ui.elapsed.textContent = formatTime(current.timeLength)), 100);
  try {
    await current.startRecording();
    void refreshDevices(); // labels appear once permission is granted
    await new Promise<void>((resolve) => current.on('statechange', ({ state }) => state === 'stopped' && resolve()));
    const take = current.getTemporaryContent();
    if (take) {
      addTake(take, encoder);
      say(`Saved a ${(take.durationMs / 1000).toFixed(1)} s take.`);
    }
  } catch (error) {
    say(error instanceof TapedeckError ? `${error.message} (${error.code})` : String(error));
  } finally {
    current.dispose(); // a new recorder per take, with the settings of that moment
    clearInterval(clock);
    ui.level.value = -60;
    showState();
  }
}

ui.record.addEventListener('click', () => void start());
ui.stop.addEventListener('click', () => void recorder?.stopRecording().catch((e: Error) => say(e.message)));
ui.cancel.addEventListener('click', () => void recorder?.cancelRecording().then(() => say('Cancelled; nothing was kept.')));
ui.pause.addEventListener('click', () => {
  if (!recorder) return;
  void (recorder.isPaused() ? recorder.resume() : recorder.pause()).catch((e: Error) => say(e.message));
});
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLSelectElement || event.metaKey || event.ctrlKey) return;
  if (event.key === 'r') (recorder?.isRecording() ? ui.stop : ui.record).click();
  else if (event.key === 'p' && recorder?.isRecording()) ui.pause.click();
  else if (event.key === 'Escape' && recorder?.isRecording()) ui.cancel.click();
});
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

navigator.mediaDevices?.addEventListener('devicechange', () => void refreshDevices());
void markUnsupportedFormats();
void refreshDevices();
showState();
