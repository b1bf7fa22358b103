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
    '',
    '## Reading the tables',
    '',
    '- **Stop latency**: `stop` called → Blob URL in hand, in the page.',
    '- **Decoded − recorded**: ffmpeg decodes every packet; "recorded" is the page time (performance.now) from start resolved to stop called. Two things move this column besides lost or invented audio: the ~8–11 ms a stop message takes to reach the audio thread, and the clock of headless Chromium\'s fake audio device, which ran ~0.3–0.5 % slow against performance.now here (tapedeck\'s track bench: every one of 8 tracks 83 ms short after 30 s, with no hole in any tone longer than 1.8 ms). So at 60 s the column mostly measures that clock, for every recorder alike; a recorder that loses or invents audio shows it at 10 s.',
    '- **Main thread**: CDP TaskDuration while recording, per recorded second; long tasks (PerformanceObserver) while recording and during the stop call.',
    '- **CPU**: CDP ProcessTime of the renderer, and user + system time of every Chromium process (/proc), while recording.',
    '- **Memory**: JS heap peak (from before start) and retained after stop and a forced GC; RSS growth of the renderer and audio-service processes from recording start to peak (the browser, GPU and network processes are left out).',
    '- **Download**: every file of ours the page, its workers and worklets fetched, gzip-compressed (tapedeck: the ES module, worklet, worker and the codec chunks that take uses).',
    '- mic-recorder-to-mp3, recorder-core and vmsg record mono however the track is; every other recorder keeps both channels.',
    '',
  ];
  writeFileSync('BENCHMARKS.md', [...header, ...tables].join('\n'));
}
