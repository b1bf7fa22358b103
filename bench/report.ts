// Writes BENCHMARKS.md: the comparison tables with where and with what they were measured.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { findChromium } from '../scripts/chromium.mjs';

const PACKAGES = ['recordrtc', 'extendable-media-recorder', 'extendable-media-recorder-wav-encoder', 'mic-recorder-to-mp3', 'recorder-core', 'opus-recorder', 'vmsg', 'wasm-media-encoders', '@breezystack/lamejs', 'mediabunny'];

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** Writes BENCHMARKS.md with `tables` under a header naming the machine, the browser and the packages. */
export function writeBenchmarksFile(tables: string[], run: { runs: number; lengths: number[] }): void {
  const chromium = findChromium();
  let browserVersion = 'unknown';
  try {
    browserVersion = execFileSync(chromium!.executablePath ?? 'chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // keep unknown
  }
  const tapedeck = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const header = [
    '# Benchmarks',
    '',
    'Written by `npm run bench -- --only compare` (or the full `npm run bench`); do not edit by hand.',
    '',
    `- Measured: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${run.runs} fresh browser(s) per row, median (range); lengths ${run.lengths.join(', ')} s.`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform}; Node ${process.version}.`,
    `- Browser: ${browserVersion} (headless, fake microphone: 48 kHz stereo, 440/660 Hz tones + noise; getUserMedia forced to the raw stereo track for every recorder).`,
    `- Packages: tapedeck ${tapedeck}; ${PACKAGES.map((p) => `${p} ${version(p)}`).join(', ')}.`,
    '- Stop latency: `stop` called → Blob URL in hand. Decoded length: ffmpeg decodes every packet; "recorded" is the page time from start resolved to stop called (it includes the ~8–11 ms the stop message takes to reach the audio thread). Main thread: CDP TaskDuration while recording. CPU: CDP ProcessTime (renderer) and /proc for all Chromium processes. RSS growth: all Chromium processes, peak while recording.',
    '',
  ];
  writeFileSync('BENCHMARKS.md', [...header, ...tables].join('\n'));
}
