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

/** Writes a tone WAV to `path` (creating its folder) and returns `path`. */
export function writeToneWav(options: ToneWavOptions & { path: string }): string {
  mkdirSync(dirname(options.path), { recursive: true });
  writeFileSync(options.path, toneWav(options));
  return options.path;
}

/** Path of the in-page helpers as a classic script (`window.TapedeckTesting`), for `page.addInitScript({ path })`. */
export const pageHelpersScript: string = fileURLToPath(new URL('./testing-page.iife.js', import.meta.url));
