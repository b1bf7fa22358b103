// The demo's list of takes: playback, waveform, facts, download and delete for each.
import type { Recording } from 'tapedeck';
import { drawWaveform } from './waveform';

const EXTENSIONS: Record<string, string> = { pcm16: 'pcm', opus: 'webm', 'opus-ogg': 'ogg', aac: 'm4a' };

/**
 * Adds `recording` to the top of `list`, its speech segments drawn on its waveform, and `before` (the same take
 * without tapedeck's processing) to listen to beside it; `say` announces changes. The list keeps its own Blob URLs.
 */
export function addTake(list: HTMLOListElement, recording: Recording, format: string, say: (text: string) => void, before: Recording | null = null): void {
  const url = URL.createObjectURL(recording.blob);
  const number = list.querySelectorAll('li').length + 1;
  const name = `take-${number}.${EXTENSIONS[format] ?? format}`;
  const item = document.createElement('li');
  item.dataset.format = format;

  const meta = document.createElement('div');
  meta.className = 'meta';
  const seconds = (recording.durationMs / 1000).toFixed(2);
  meta.textContent = `${name} · ${seconds} s · ${(recording.size / 1024).toFixed(1)} KiB · ${recording.mimeType.split(';')[0]} · ${recording.sampleRate} Hz · ${recording.channels === 1 ? 'mono' : 'stereo'}`;
  item.append(meta);

  const wave = document.createElement('canvas');
  wave.className = 'wave';
  wave.height = 40;
  wave.setAttribute('role', 'img');
  wave.setAttribute('aria-label', `Waveform of ${name}`);
  item.append(wave);
  void recording.pcm().then(
    ([first]) => first && drawWaveform(wave, first, recording.speechSegments, recording.durationMs),
    () => wave.remove(),
  );
  if (recording.speechSegments.length > 0) {
    const speech = document.createElement('div');
    speech.className = 'meta';
    speech.textContent = `Speech: ${recording.speechSegments.map((s) => `${(s.startMs / 1000).toFixed(2)}–${(s.endMs / 1000).toFixed(2)} s`).join(', ')}`;
    item.append(speech);
  }

  if (!recording.mimeType.startsWith('audio/pcm')) {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = url;
    audio.setAttribute('aria-label', `Play ${name}`);
    item.append(audio);
  }

  const urls = [url];
  if (before && !before.mimeType.startsWith('audio/pcm')) {
    const label = document.createElement('div');
    label.className = 'before';
    label.textContent = 'Before (unprocessed):';
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = URL.createObjectURL(before.blob);
    urls.push(audio.src);
    audio.setAttribute('aria-label', `Play ${name} before processing`);
    item.append(label, audio);
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
  remove.setAttribute('aria-label', `Delete ${name}`);
  remove.addEventListener('click', () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    item.remove();
    say(`Deleted ${name}.`);
  });
  actions.append(download, remove);
  item.append(actions);
  list.prepend(item);
}
