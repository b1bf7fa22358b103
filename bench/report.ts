// Writes BENCHMARKS.md: the comparison tables with where and with what they were measured.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { findChromium } from '../scripts/chromium.mjs';
import { median, range } from './browser';
import type { RunResult } from './compare';
import { MEMORY_COLUMNS } from './memory';

const PACKAGES = ['recordrtc', 'extendable-media-recorder', 'extendable-media-recorder-wav-encoder', 'mic-recorder-to-mp3', 'recorder-core', 'opus-recorder', 'vmsg', 'wasm-media-encoders', '@breezystack/lamejs', 'mediabunny'];

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** One comparison run: how it was run and what it measured. */
export interface CompareRun {
  runs: number;
  lengths: number[];
  started: Date;
  ended: Date;
  results: Map<string, RunResult[]>;
}

const utc = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

/**
 * The figures the "Reading the tables" text quotes, from the run's own results: the fake device's clock against
 * performance.now (the slope of decoded − page time from the shortest to the longest take, over the rows that lost
 * nothing), and the range of tapedeck's audio thread hop at stop.
 */
function runFigures({ lengths, results }: CompareRun): { clock: string; hop: string } {
  const short = Math.min(...lengths);
  const long = Math.max(...lengths);
  const slopes: number[] = [];
  for (const [key, runs] of results) {
    const [name, seconds] = key.split('@');
    if (Number(seconds) !== long || long === short) continue;
    const shortRuns = results.get(`${name}@${short}`) ?? [];
    const clean = (list: RunResult[]) => list.filter((r) => Math.abs(r.lostMs) <= 1).map((r) => r.decodedMs - r.pageMs);
    const [a, b] = [clean(shortRuns), clean(runs)];
    if (a.length && b.length) slopes.push((median(b) - median(a)) / (long - short) / 10); // ms per s → %
  }
  const clock = slopes.length
    ? `in this run it ran ${median(slopes).toFixed(2)} % (${range(slopes, 2)} over ${slopes.length} recorders that lost nothing) against performance.now, from the ${short} s to the ${long} s takes`
    : 'this run had one length only, so it does not say how fast that clock ran';
  const hops = [...results].filter(([key]) => key.startsWith('tapedeck')).flatMap(([, runs]) => runs.flatMap((r) => (r.pieces ? [r.pieces.audioThread] : [])));
  const hop = hops.length ? `${range(hops)} ms in this run (median ${median(hops).toFixed(1)})` : 'not measured in this run';
  return { clock, hop };
}

/** The Chromium the benches drive, as its `--version` says. */
export function browserVersion(): string {
  try {
    return execFileSync(findChromium()?.executablePath ?? 'chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** This machine, in one line. */
export const machineLine = () => `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform}; Node ${process.version}`;

/** Where the long runs' results are kept (committed): BENCHMARKS.md quotes each file whole, naming it. */
const MEASURED = 'bench/measured';

/**
 * Writes one long run's table (`--long`, `--hour`: too long for the comparison run) to bench/measured/`name`.md under a
 * header naming when, where and with what it was measured; the next BENCHMARKS.md quotes it.
 */
export function writeMeasuredFile(name: string, title: string, started: Date, ended: Date, table: string[]): string {
  const path = `${MEASURED}/${name}.md`;
  mkdirSync(MEASURED, { recursive: true });
  const header = [`## ${title}`, '', `Written by \`${process.argv.slice(2).join(' ')}\` (bench/run.ts); do not edit by hand.`, '', `- Measured: ${utc(started)}–${utc(ended).slice(11)} UTC.`, `- Machine: ${machineLine()}.`, `- Browser: ${browserVersion()} (headless, fake microphone).`, ''];
  writeFileSync(path, [...header, ...table, ''].join('\n'));
  return path;
}

/** BENCHMARKS.md's section quoting every result file in bench/measured, each under its file's name. */
function measuredSection(): string[] {
  const files = measuredFiles();
  if (files.length === 0) return [];
  const lines = ['## Long takes (quoted from result files of their own runs)', '', 'An hour-long take does not fit in the comparison run: each file named above a table holds one such run, written by the bench (its header says how), and is quoted here whole.', ''];
  for (const file of files) {
    const [title, ...rest] = readFileSync(`${MEASURED}/${file}`, 'utf8').trimEnd().split('\n');
    lines.push(`#${title} — \`${MEASURED}/${file}\``, ...rest, '');
  }
  return lines;
}

/** A result file's first table: each row as its cells by column name (a row of another shape is left out). */
function tableRows(text: string): Array<Record<string, string>> {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  if (first < 0) return [];
  const end = lines.findIndex((line, i) => i > first && !line.startsWith('|'));
  const [header, , ...rows] = lines.slice(first, end < 0 ? undefined : end);
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const names = cells(header!);
  return rows.map(cells).filter((row) => row.length === names.length).map((row) => Object.fromEntries(row.map((cell, i) => [names[i], cell])));
}

/**
 * The long takes' targets (issue 18: stop ≤ 10 ms at every length; RSS flat after the first minute and the file as
 * long as the audio clock to ± 10 ms), checked against each result file's table. "Flat", for a take kept in OPFS, is
 * taken as no more than 10 MB grown after the first minute (the slope × the minutes after the first), the same 10 MB
 * the memory targets allow.
 */
export function measuredTargetLines(): string[] {
  const C = MEMORY_COLUMNS;
  const lines: string[] = [];
  for (const file of measuredFiles()) {
    for (const row of tableRows(readFileSync(`${MEASURED}/${file}`, 'utf8'))) {
      const cell = (name: string) => row[name] ?? 'not recorded';
      const minutes = parseFloat(cell(C.recorded)) / 60;
      const name = `${cell(C.encoder)} ${minutes} min kept in ${cell(C.keptIn)}${row[C.profile] ? ` (${row[C.profile]} profile)` : ''}, \`${MEASURED}/${file}\``;
      const check = (target: string, value: number, met: boolean, why: string) =>
        lines.push(`| ${name}: ${target} | ${Number.isFinite(value) ? value.toFixed(2) : 'not recorded'} | ${met ? 'yes' : '**missed**'} | ${met ? '' : why} |`);
      const stop = parseFloat(cell(C.stop));
      check('stop ≤ 10 ms', stop, stop <= 10, 'the long runs do not time the pieces; see the piece-by-piece table for 10 s and 60 s');
      const drift = parseFloat(cell(C.drift));
      check('decoded length = audio clock ± 10 ms', drift, Math.abs(drift) <= 10, `captured − audio clock, ms (the start and stop hops): ${cell(C.captureDrift)}; frames dropped by the worklet: ${cell(C.dropped)}; gaps reported: ${cell(C.gaps)}`);
      if (row[C.keptIn] === 'opfs' && minutes > 1) {
        const slope = parseFloat(cell(C.slope));
        const grown = slope * (minutes - 1);
        check('RSS flat after the first minute (≤ 10 MB grown by its slope)', grown, grown <= 10, `${cell(C.slope)} MB per min over ${minutes - 1} min; of it renderer / browser / audio / utility / gpu: ${cell(C.slopeSplit)}; peak growth above the start ${cell(C.rssPeak)} MB`);
      }
    }
  }
  return lines;
}

/** The result files in bench/measured, by name. */
function measuredFiles(): string[] {
  try {
    return readdirSync(MEASURED).filter((f) => f.endsWith('.md')).sort();
  } catch {
    return [];
  }
}

/** Writes BENCHMARKS.md with `tables` under a header naming the run, the machine, the browser and the packages. */
export function writeBenchmarksFile(tables: string[], run: CompareRun): void {
  const tapedeck = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const { clock, hop } = runFigures(run);
  const header = [
    '# Benchmarks',
    '',
    'Written by `npm run bench -- --only compare` (or the full `npm run bench`) from one run; every figure below is that run\'s, except those of the last section (long takes), each quoted from the result file of its own run and named there. Do not edit by hand.',
    '',
    `- Measured: ${utc(run.started)}–${utc(run.ended).slice(11)} UTC, ${run.runs} fresh browser(s) per row, median (range); lengths ${run.lengths.join(', ')} s.`,
    `- Machine: ${machineLine()}.`,
    `- Browser: ${browserVersion()} (headless, fake microphone: 48 kHz stereo, 440/660 Hz tones + noise, 20 s longer than the take so that it never loops (its loop turn is not seamless: bench/input.ts); getUserMedia forced to the raw stereo track for every recorder).`,
    `- Packages: tapedeck ${tapedeck}; ${PACKAGES.map((p) => `${p} ${version(p)}`).join(', ')}.`,
    '',
    '## Reading the tables',
    '',
    '- **Stop latency**: `stop` called → Blob URL in hand, in the page. tapedeck\'s own pieces come from its User Timing marks (`tapedeck:stop`, `tapedeck:capture-ended`, `tapedeck:file-done`).',
    '- **Input lost / invented**: the decoded file (mono, 48 kHz) is cut into half-second windows 1 s apart and each is found in the input by cross-correlation (the tones projected out, the noise matched; bench/align.ts). A continuous file is as far along the input from window to window as along itself; the difference, summed, is input the recorder dropped (+) or invented or repeated (−) between its first and last second. It needs no start event, so every recorder is measured alike. Beside it, the gaps the recorder itself reported in the take (tapedeck\'s `Recording.gaps`: device silence, a late audio thread, an encoder behind; no other recorder reports any): a target is missed only by audio lost or invented silently.',
    `- **Decoded − page time**: the decoded length against performance.now from start resolved to stop called. It mixes when a recorder really starts and stops with the clock of headless Chromium's fake audio device: ${clock}. It says nothing of lost audio, which is the column before.`,
    `- **Main thread**: CDP TaskDuration while recording, per recorded second; long tasks (PerformanceObserver) while recording and during the stop call. tapedeck's stop needs one hop to the audio thread and back (${hop}): the worklet runs in the audio device's callbacks, so that hop is bounded by the device's buffer, not by the page.`,
    '- **CPU**: CDP ProcessTime of the renderer, and user + system time of every Chromium process (/proc, per process: one started meanwhile counts whole) while recording.',
    '- **Heaps**: V8 heap plus array buffers, of the page\'s main thread and of all its workers (CDP Runtime.getHeapUsage on every target, over the browser\'s debugging port): growth peak from before start, and retained after stop and a forced GC in every thread.',
    '- **RSS**: growth of resident memory (/proc/<pid>/smaps_rollup) from recording start to peak, per process: the renderer (page, workers, audio thread), the audio service (the device) and the browser process (where Chromium keeps Blob bytes).',
    '- **Download**: every file of ours the page, its workers and worklets fetched, as the server saw the requests, gzip-compressed (the contender page\'s HTML excepted).',
    '- mic-recorder-to-mp3, recorder-core and vmsg record mono however the track is; every other recorder keeps both channels.',
    '',
  ];
  writeFileSync('BENCHMARKS.md', [...header, ...tables, ...measuredSection()].join('\n'));
}
