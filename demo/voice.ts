// The demo's Voice panel: voice activity (with auto-stop and start-on-speech), pre-roll, RNNoise and the software
// auto gain, as recorder options; a live "speaking" light from the speech events.
import type { AudioRecorder, AudioRecorderOptions } from 'tapedeck';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  vad: $<HTMLInputElement>('vad'),
  startOnSpeech: $<HTMLInputElement>('startOnSpeech'),
  denoise: $<HTMLInputElement>('denoise'),
  softwareGain: $<HTMLInputElement>('softwareGain'),
  compare: $<HTMLInputElement>('compare'),
  autoStop: $<HTMLInputElement>('autoStop'),
  preRoll: $<HTMLInputElement>('preRoll'),
  speaking: $<HTMLSpanElement>('speaking'),
};

/** The panel's controls, to be disabled while recording. */
export const voiceControls: HTMLInputElement[] = [ui.vad, ui.startOnSpeech, ui.denoise, ui.softwareGain, ui.compare, ui.autoStop, ui.preRoll];

/** The recorder options the panel asks for (merged over the Settings panel's). */
export function voiceOptions(): Partial<AudioRecorderOptions> {
  const autoStopMs = Number(ui.autoStop.value);
  const vadOn = ui.vad.checked || ui.startOnSpeech.checked || autoStopMs > 0;
  return {
    vad: vadOn ? { startOnSpeech: ui.startOnSpeech.checked, autoStop: autoStopMs >= 500 ? { afterSilenceMs: autoStopMs } : undefined } : false,
    preRollMs: Math.min(3000, Math.max(0, Number(ui.preRoll.value) || 0)),
    denoise: ui.denoise.checked ? 'rnnoise' : false,
    autoGain: ui.softwareGain.checked ? 'software' : undefined,
  };
}

/** Whether to record an unprocessed take beside the processed one, for before/after listening. */
export function wantsComparison(): boolean {
  return ui.compare.checked && (ui.denoise.checked || ui.softwareGain.checked);
}

/** Lights the "speaking" indicator from `recorder`'s speech events. */
export function showSpeech(recorder: AudioRecorder): void {
  const set = (on: boolean, text: string) => {
    ui.speaking.classList.toggle('on', on);
    ui.speaking.textContent = text;
  };
  set(false, recorder.options.vad ? (recorder.options.vad.startOnSpeech ? 'waiting for speech' : 'silence') : '—');
  recorder.on('speechstart', () => set(true, 'speaking'));
  recorder.on('speechend', () => set(false, 'silence'));
  recorder.on('statechange', ({ state }) => state === 'stopped' && set(false, '—'));
}
