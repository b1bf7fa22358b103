/**
 * tapedeck/testing — helpers for Playwright tests of apps that record with tapedeck (node side).
 * The in-page helpers are in tapedeck/testing/page (or the script tapedeck/testing/page.iife, `TapedeckTesting`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toneWav, type ToneWavOptions } from './tone-wav';

export { toneWav } from './tone-wav';
export type { ToneWavOptions } from './tone-wav';

/** Options of {@link fakeMicrophoneArgs}. */
export interface FakeMicrophoneOptions {
  /** A WAV file for the fake microphone to play (looped). Without it Chromium plays a ~400 Hz beep. */
  file?: string;
  /** Also grant the microphone without a prompt. Default true; with false, use context.grantPermissions(['microphone']). */
  autoGrant?: boolean;
}

/**
 * Chromium flags for a fake microphone, for `launchOptions.args` (Chromium only):
 * `args: fakeMicrophoneArgs({ file: writeToneWav({ path: 'tone.wav', frequency: 440, seconds: 1 }) })`.
 * Turn the browser's processing off in your recorder (cancelEcho, suppressNoise and autoGain false, the default)
 * when a test checks levels: Chromium's processing changes a test tone's level within seconds.
 */
export function fakeMicrophoneArgs(options: FakeMicrophoneOptions = {}): string[] {
  const args = ['--use-fake-device-for-media-stream'];
  if (options.autoGrant !== false) args.push('--use-fake-ui-for-media-stream');
  if (options.file) args.push(`--use-file-for-fake-audio-capture=${options.file}`);
  return args;
}

/** Options of {@link firefoxFakeMicrophonePrefs}. */
export interface FirefoxFakeMicrophoneOptions {
  /** Hz of the sine Firefox's fake microphone plays. Default 1000. (Firefox plays no files.) */
  frequency?: number;
}

/**
 * Firefox prefs for a fake microphone (a sine), granted without a prompt, for Playwright's `firefoxUserPrefs` or
 * puppeteer's `extraPrefsFirefox`: `firefoxUserPrefs: firefoxFakeMicrophonePrefs({ frequency: 440 })`. It also
 * turns on the mock audio output (`media.cubeb.force_mock_context`): on a machine with no sound card, every
 * AudioContext would otherwise stay suspended and `resume()` never settle. The mock output can run slower than wall
 * time on a busy machine, so judge lengths on the recording's own duration, not the page clock.
 */
export function firefoxFakeMicrophonePrefs(options: FirefoxFakeMicrophoneOptions = {}): Record<string, boolean | number> {
  return {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'media.navigator.audio.fake_frequency': options.frequency ?? 1000,
    'media.cubeb.force_mock_context': true,
  };
}

/**
 * Flags for WebKitGTK's MiniBrowser (under WebKitWebDriver, `webkitgtk:browserOptions.args`): mock capture devices,
 * granted without a prompt. The mock microphone plays a 150 Hz hum with 500/1500 Hz beeps and 3 kHz noise; no file
 * or tone can be chosen. Playwright's own WebKit build is not covered (it could not be installed where this was made).
 */
export function webkitMockCaptureArgs(): string[] {
  return ['--enable-media-stream=true', '--enable-mock-capture-devices=true', '--features=-MockCaptureDevicesPrompt'];
}

/** Writes a tone WAV to `path` (creating its folder) and returns `path`. */
export function writeToneWav(options: ToneWavOptions & { path: string }): string {
  mkdirSync(dirname(options.path), { recursive: true });
  writeFileSync(options.path, toneWav(options));
  return options.path;
}

/** Path of the in-page helpers as a classic script (`window.TapedeckTesting`), for `page.addInitScript({ path })`. */
export const pageHelpersScript: string = fileURLToPath(new URL(/* @vite-ignore */ './testing-page.iife.js', import.meta.url));
