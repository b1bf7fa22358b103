// The recorders side by side: each records the same fake-microphone input (a stereo tone plus noise) in a fresh
// Chromium, and we measure stop latency, the file, the main thread, CPU, memory and download size.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CDPSession } from '@playwright/test';
import { wavHeader } from '../src/worker/containers/wav-header';
import { alignWithInput, inputNoise, type InputNoise } from './align';
import { chromiumProcesses, cpuSince, launchWithMicrophone, median, PORT, range, residentOf, type BenchServer } from './browser';
import { ThreadHeaps } from './heaps';
import { benchInputMono, benchInputPcm, INPUT_RATE, inputSecondsFor } from './input';
import type { BlobCosts } from './wakeups';

/** The browser's own debugging port, where the bench reads the workers' heaps. */
const DEBUG_PORT = 9339;

/** One recorder in its most natural setting. */
export interface ContenderSpec {
  name: string;
  page: string;
  ext: string;
  tapedeck?: boolean;
  /** Records nothing: the cost of an open microphone alone. */
  baseline?: boolean;
}

export const CONTENDERS: ContenderSpec[] = [
  { name: 'tapedeck wav', page: 'tapedeck.html?encoder=wav', ext: 'wav', tapedeck: true },
  { name: 'tapedeck mp3', page: 'tapedeck.html?encoder=mp3', ext: 'mp3', tapedeck: true },
  { name: 'tapedeck opus (WebM)', page: 'tapedeck.html?encoder=opus', ext: 'webm', tapedeck: true },
  { name: 'tapedeck wav, level meter on', page: 'tapedeck.html?encoder=wav&meter', ext: 'wav', tapedeck: true },
  { name: 'RecordRTC (StereoAudioRecorder, WAV)', page: 'recordrtc.html', ext: 'wav' },
  { name: 'extendable-media-recorder (WAV encoder)', page: 'extendable-media-recorder.html', ext: 'wav' },
  { name: 'mic-recorder-to-mp3', page: 'mic-recorder-to-mp3.html', ext: 'mp3' },
  { name: 'recorder-core (MP3)', page: 'recorder-core.html?type=mp3', ext: 'mp3' },
  { name: 'recorder-core (WAV)', page: 'recorder-core.html?type=wav', ext: 'wav' },
  { name: 'opus-recorder (Ogg Opus)', page: 'opus-recorder.html', ext: 'ogg' },
  { name: 'vmsg (MP3)', page: 'vmsg.html', ext: 'mp3' },
  { name: 'MediaRecorder (WebM/Opus)', page: 'media-recorder.html', ext: 'webm' },
  { name: 'no recorder (microphone open, AudioContext running)', page: 'no-recorder.html', ext: 'wav', baseline: true },
];

/** Writes the bench's input (bench/input.ts) for a take of `takeSeconds` as the fake microphone's WAV file; returns its path. */
export function writeBenchInput(takeSeconds: number): string {
  const folder = 'tests/.generated';
  mkdirSync(folder, { recursive: true });
  const seconds = inputSecondsFor(takeSeconds);
  const pcm = benchInputPcm(seconds);
  const path = join(folder, `bench-input-${seconds}s.wav`);
  writeFileSync(path, Buffer.concat([Buffer.from(wavHeader({ sampleRate: INPUT_RATE, channels: 2, bitsPerSample: 16 }, pcm.byteLength)), Buffer.from(pcm.buffer)]));
  return path;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Where tapedeck's stop spent its time, from its User Timing marks (ms). */
export interface StopPieces {
  /** stop() called → the worklet's end back on the main thread (the hop to the audio thread and back). */
  audioThread: number;
  /** → the worker's file on the main thread; `workerTail` of it the worker's own flush and finish, `workerFile` of that finishing the file (making its Blob; with OPFS, also the journal and the file handle's close). */
  worker: number;
  workerTail: number;
  workerFile: number;
  /** → the Blob URL in the caller's hands (the recorder's own work on the main thread); `objectUrl` of it in URL.createObjectURL. */
  handOver: number;
  objectUrl: number;
}

/** The page's `timedStop` (installTimedStop). */
export interface TimedStopWindow {
  timedStop<T>(stop: () => Promise<T>): Promise<{ stopAt: number; stopDoneAt: number; pieces: StopPieces | null; result: T }>;
}

/**
 * Runs in the page (`page.evaluate(installTimedStop)`): installs `timedStop(stop)`, which calls `stop()` and times it,
 * with tapedeck's pieces read from its User Timing marks (src/take/capture-pipeline.ts) and the time spent in
 * URL.createObjectURL on the way (where Chromium registers the Blob with its browser process). The pieces are null
 * for a recorder without those marks.
 */
export function installTimedStop(): void {
  (window as unknown as TimedStopWindow).timedStop = async (stop) => {
    performance.clearMarks();
    const createObjectURL = URL.createObjectURL;
    let objectUrl = 0;
    URL.createObjectURL = (object) => {
      const at = performance.now();
      try {
        return createObjectURL.call(URL, object);
      } finally {
        objectUrl += performance.now() - at;
      }
    };
    const stopAt = performance.now();
    let result: Awaited<ReturnType<typeof stop>>;
    try {
      result = await stop();
    } finally {
      URL.createObjectURL = createObjectURL;
    }
    const stopDoneAt = performance.now();
    const markAt = (name: string) => performance.getEntriesByName(`tapedeck:${name}`)[0] as PerformanceMark | undefined;
    const [marked, ended, done] = [markAt('stop'), markAt('capture-ended'), markAt('file-done')];
    const detail = done?.detail as { workerTailMs: number; workerFileMs: number } | undefined;
    const pieces =
      marked && ended && done && detail
        ? {
            audioThread: ended.startTime - marked.startTime,
            worker: done.startTime - ended.startTime,
            workerTail: detail.workerTailMs,
            workerFile: detail.workerFileMs,
            handOver: stopDoneAt - done.startTime,
            objectUrl,
          }
        : null;
    return { stopAt, stopDoneAt, pieces, result };
  };
}

/** What one run measured. */
export interface RunResult {
  stopMs: number;
  pieces: StopPieces | null;
  bytes: number;
  decodes: boolean;
  /** The decoded file's length, the page's time from start resolved to stop called, and the input the file skipped. */
  decodedMs: number;
  pageMs: number;
  lostMs: number;
  /** The gaps the recorder itself reported in the take, in ms (tapedeck's Recording.gaps; NaN for a recorder that cannot). */
  reportedGapMs: number;
  unmatchedWindows: number;
  channels: number;
  sampleRate: number;
  longTasksRecording: number;
  longTasksStop: number;
  longestTaskMs: number;
  busyMsPerS: number;
  rendererCpuPct: number;
  chromiumCpuPct: number;
  /** Heap and array buffers of the page's main thread and of its workers: growth peak while recording, and after stop + GC. */
  pageHeapPeakMB: number;
  pageHeapRetainedMB: number;
  workerHeapPeakMB: number;
  workerHeapRetainedMB: number;
  /** Peak growth while recording of the renderer, the audio service and the browser process (which holds Blob data). */
  rendererRssMB: number;
  audioRssMB: number;
  browserRssMB: number;
  downloadKBgz: number;
}

/** The decoded file: ffprobe's channels and rate, its length, and its audio as mono 48 kHz; null if it does not decode. */
function decode(bytes: Buffer, ext: string): { channels: number; sampleRate: number; decodedMs: number; mono48k: Float32Array } | null {
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-bench-')), `take.${ext}`);
  writeFileSync(file, bytes);
  try {
    const info = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })) as { streams: Array<{ channels: number; sample_rate: string }> };
    const stream = info.streams[0]!;
    const pcm = (args: string[]) => {
      const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', ...args, '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
      return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    };
    // Every packet decoded at the file's own rate gives its length; the 48 kHz copy is aligned with the input.
    const native = pcm([]);
    return { channels: stream.channels, sampleRate: Number(stream.sample_rate), decodedMs: (native.length / Number(stream.sample_rate)) * 1000, mono48k: pcm(['-ar', String(INPUT_RATE)]) };
  } catch {
    return null;
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

/** Gzipped bytes of the files a run fetched from the bench server (the bench's harness excluded). */
function downloadSize(paths: string[]): number {
  let total = 0;
  for (const path of paths) {
    // The bench's own harness (the page, raw-mic, the bundler's runtime) is not the contender's.
    if (path.endsWith('.html') || path.includes('raw-mic') || path.includes('rolldown-runtime')) continue;
    try {
      total += gzipSync(readFileSync(`.${path}`)).length;
    } catch {
      // not a file of ours
    }
  }
  return total;
}

/** The input's noise, per input length (what each take's file is aligned with). */
const noises = new Map<number, InputNoise>();
const noiseFor = (seconds: number) => noises.get(seconds) ?? noises.set(seconds, inputNoise(benchInputMono(seconds))).get(seconds)!;

async function runOnce(spec: ContenderSpec, seconds: number, input: string, server: BenchServer): Promise<RunResult> {
  const browser = await launchWithMicrophone(input, [`--remote-debugging-port=${DEBUG_PORT}`]);
  const heaps = await ThreadHeaps.connect(DEBUG_PORT);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript('window.__name = (f) => f');
    server.takeServed();
    await page.goto(`http://127.0.0.1:${PORT}/bench/.dist/${spec.page}`);
    await page.waitForFunction(() => (window as unknown as { contenderReady?: boolean }).contenderReady === true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await heaps.collectGarbage();
    const heapBase = await heaps.read();
    await page.evaluate(async () => {
      const w = window as unknown as { contender: { start(): Promise<void> }; longTasks: PerformanceEntry[]; startedAt: number };
      w.longTasks = [];
      new PerformanceObserver((list) => w.longTasks.push(...list.getEntries())).observe({ type: 'longtask' });
      await w.contender.start();
      w.startedAt = performance.now();
    });
    const before = await metrics(cdp);
    // From here on: what recording costs, without the browser's one-off start-up of audio capture.
    const processesBefore = chromiumProcesses();
    const rssBase = (role: string) => residentOf(processesBefore, [role]);
    const wallBefore = performance.now();
    const peak = { page: 0, worker: 0, renderer: 0, audio: 0, browser: 0 };
    const sample = async () => {
      const heap = await heaps.read().catch(() => null);
      if (heap) {
        peak.page = Math.max(peak.page, heap.pageBytes - heapBase.pageBytes);
        peak.worker = Math.max(peak.worker, heap.workerBytes - heapBase.workerBytes);
      }
      const now = chromiumProcesses();
      for (const role of ['renderer', 'audio', 'browser'] as const) peak[role] = Math.max(peak[role], residentOf(now, [role]) - rssBase(role));
    };
    const sampler = setInterval(() => void sample(), 1000);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    clearInterval(sampler);
    await sample(); // the take at its largest, just before stop
    const during = await metrics(cdp);
    const cpuS = cpuSince(processesBefore, chromiumProcesses());
    const wallDuring = performance.now();
    await page.evaluate(installTimedStop);
    const stopped = await page.evaluate(async () => {
      const w = window as unknown as { contender: { stop(): Promise<{ url: string; blob: Blob; reportedGapMs?: number }> }; longTasks: PerformanceEntry[]; startedAt: number } & TimedStopWindow;
      const { stopAt, stopDoneAt, pieces, result } = await w.timedStop(() => w.contender.stop());
      const { url, blob, reportedGapMs } = result;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      await new Promise((r) => setTimeout(r, 1000)); // long tasks are reported a little late
      // Long tasks of the stop itself, not of the bench reading the file back below.
      const atStop = w.longTasks.filter((t) => t.startTime >= stopAt && t.startTime < stopDoneAt);
      const recording = w.longTasks.filter((t) => t.startTime < stopAt);
      return {
        stopMs: stopDoneAt - stopAt,
        reportedGapMs: reportedGapMs ?? NaN,
        pieces,
        pageMs: stopAt - w.startedAt,
        size: blob.size,
        bytes: btoa(text),
        longTasksRecording: recording.length,
        longTasksStop: atStop.length,
        longestTaskMs: Math.max(0, ...w.longTasks.filter((t) => t.startTime < stopDoneAt).map((t) => t.duration)),
      };
    });
    await heaps.collectGarbage();
    const after = await heaps.read();
    const download = downloadSize(server.takeServed());
    const decoded = decode(Buffer.from(stopped.bytes, 'base64'), spec.ext);
    const aligned = decoded ? alignWithInput(noiseFor(inputSecondsFor(seconds)), decoded.mono48k) : null;
    const recordingS = (wallDuring - wallBefore) / 1000;
    return {
      stopMs: stopped.stopMs,
      pieces: stopped.pieces,
      bytes: stopped.size,
      decodes: decoded !== null,
      decodedMs: decoded?.decodedMs ?? NaN,
      pageMs: stopped.pageMs,
      lostMs: aligned && aligned.matched > 1 ? aligned.lostMs : NaN,
      reportedGapMs: stopped.reportedGapMs,
      unmatchedWindows: aligned?.unmatched ?? NaN,
      channels: decoded?.channels ?? 0,
      sampleRate: decoded?.sampleRate ?? 0,
      longTasksRecording: stopped.longTasksRecording,
      longTasksStop: stopped.longTasksStop,
      longestTaskMs: stopped.longestTaskMs,
      busyMsPerS: ((during.TaskDuration! - before.TaskDuration!) * 1000) / recordingS,
      rendererCpuPct: ((during.ProcessTime! - before.ProcessTime!) / recordingS) * 100,
      chromiumCpuPct: (cpuS / recordingS) * 100,
      pageHeapPeakMB: peak.page / 1e6,
      pageHeapRetainedMB: (after.pageBytes - heapBase.pageBytes) / 1e6,
      workerHeapPeakMB: peak.worker / 1e6,
      workerHeapRetainedMB: (after.workerBytes - heapBase.workerBytes) / 1e6,
      rendererRssMB: peak.renderer / 1e6,
      audioRssMB: peak.audio / 1e6,
      browserRssMB: peak.browser / 1e6,
      downloadKBgz: download / 1024,
    };
  } finally {
    heaps.close();
    await browser.close();
  }
}

/** Median (range) of a field over runs. */
function cell(runs: RunResult[], pick: (r: RunResult) => number, digits = 1): string {
  const values = runs.map(pick).filter((v) => Number.isFinite(v));
  if (values.length === 0) return 'n/a';
  return values.length === 1 ? values[0]!.toFixed(digits) : `${median(values).toFixed(digits)} (${range(values, digits)})`;
}

/** The side-by-side table's columns: heading and cell. */
const COLUMNS: Array<[string, (runs: RunResult[]) => string]> = [
  ['stop → Blob URL (ms)', (d) => cell(d, (r) => r.stopMs)],
  ['file (MB)', (d) => cell(d, (r) => r.bytes / 1e6, 2)],
  ['decodes', (d) => (d.every((r) => r.decodes) ? 'yes' : 'no')],
  ['ch / Hz', (d) => `${d[0]!.channels} / ${d[0]!.sampleRate}`],
  ['input lost (+) / invented (−) inside the take (ms)', (d) => cell(d, (r) => r.lostMs)],
  ['gaps the recorder reported (ms)', (d) => cell(d, (r) => r.reportedGapMs)],
  ['decoded − page time (ms)', (d) => cell(d, (r) => r.decodedMs - r.pageMs)],
  ['long tasks recording / at stop (longest ms)', (d) => `${cell(d, (r) => r.longTasksRecording, 0)} / ${cell(d, (r) => r.longTasksStop, 0)} (${cell(d, (r) => r.longestTaskMs, 0)})`],
  ['main thread busy (ms per s)', (d) => cell(d, (r) => r.busyMsPerS)],
  ['renderer CPU %', (d) => cell(d, (r) => r.rendererCpuPct)],
  ['all Chromium CPU %', (d) => cell(d, (r) => r.chromiumCpuPct)],
  ['page heap peak / retained (MB)', (d) => `${cell(d, (r) => r.pageHeapPeakMB)} / ${cell(d, (r) => r.pageHeapRetainedMB)}`],
  ['worker heaps peak / retained (MB)', (d) => `${cell(d, (r) => r.workerHeapPeakMB)} / ${cell(d, (r) => r.workerHeapRetainedMB)}`],
  ['RSS growth renderer / audio service / browser (MB)', (d) => `${cell(d, (r) => r.rendererRssMB, 0)} / ${cell(d, (r) => r.audioRssMB, 0)} / ${cell(d, (r) => r.browserRssMB, 0)}`],
  ['download (KB gz)', (d) => cell(d, (r) => r.downloadKBgz, 0)],
];

/** Runs every contender `runs` times at each length; returns the markdown table rows and the raw results. */
export async function benchCompare(server: BenchServer, names: string[] | null, lengths: number[], runs: number): Promise<{ lines: string[]; results: Map<string, RunResult[]> }> {
  const inputs = new Map(lengths.map((seconds) => [seconds, writeBenchInput(seconds)]));
  const results = new Map<string, RunResult[]>();
  const lines = [`| recorder | length | ${COLUMNS.map(([heading]) => heading).join(' | ')} |`, `|---|---|${COLUMNS.map(() => '---|').join('')}`];
  for (const spec of CONTENDERS.filter((c) => !names || names.some((n) => c.name.toLowerCase().includes(n.toLowerCase())))) {
    for (const seconds of lengths) {
      const done: RunResult[] = [];
      for (let run = 0; run < runs; run++) {
        try {
          done.push(await runOnce(spec, seconds, inputs.get(seconds)!, server));
        } catch (error) {
          console.error(`${spec.name} ${seconds} s run ${run + 1} failed: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      results.set(`${spec.name}@${seconds}`, done);
      lines.push(done.length === 0 ? `| ${spec.name} | ${seconds} s | failed |${COLUMNS.slice(1).map(() => ' |').join('')}` : `| ${spec.name} | ${seconds} s | ${COLUMNS.map(([, value]) => value(done)).join(' | ')} |`);
      console.error(lines.at(-1));
    }
  }
  return { lines, results };
}

/** tapedeck's stop, piece by piece (its User Timing marks), per row. */
export function stopPieceLines(results: Map<string, RunResult[]>): string[] {
  const lines = [
    '| row | stop → Blob URL | stop → worklet\'s end back (audio thread hop) | → worker\'s file back (of it, the worker\'s own tail; of that, finishing the file: its Blob) | → Blob URL handed over (of it, URL.createObjectURL) |',
    '|---|---|---|---|---|',
  ];
  for (const [key, runs] of results) {
    const timed = runs.filter((r) => r.pieces);
    if (timed.length === 0) continue;
    const piece = (name: keyof StopPieces) => cell(timed, (r) => r.pieces![name]);
    lines.push(`| ${key.replace('@', ' ')} s | ${cell(timed, (r) => r.stopMs)} | ${piece('audioThread')} | ${piece('worker')} (${piece('workerTail')}; ${piece('workerFile')}) | ${piece('handOver')} (${piece('objectUrl')}) |`);
  }
  return lines;
}

/** Each run's long tasks while recording / at stop (its longest, ms). */
const longTasksOf = (runs: RunResult[]) => runs.map((r) => `${r.longTasksRecording} / ${r.longTasksStop} (${r.longestTaskMs.toFixed(0)})`).join(', ');

/** tapedeck's targets (issue 18), checked against the figures of this run, with what the run says of a miss. */
export function targetLines(results: Map<string, RunResult[]>, wakeUpMs: number | null = null, blobs: BlobCosts | null = null): string[] {
  const lines = ['| target | measured | met | where it goes |', '|---|---|---|---|'];
  for (const [key, runs] of results) {
    if (!key.startsWith('tapedeck') || runs.length === 0) continue;
    const [name, seconds] = key.split('@');
    const med = (pick: (r: RunResult) => number) => median(runs.map(pick).filter((v) => Number.isFinite(v)));
    const outputMB = med((r) => r.bytes) / 1e6;
    const timed = runs.filter((r) => r.pieces);
    const piece = (pick: (p: StopPieces) => number) => (timed.length ? median(timed.map((r) => pick(r.pieces!))).toFixed(1) : '?');
    const base = [...results].find(([k]) => k.startsWith('no recorder') && k.endsWith(`@${seconds}`))?.[1] ?? [];
    const baseMed = (pick: (r: RunResult) => number) => (base.length ? median(base.map(pick)).toFixed(1) : '?');
    const baseGrowth = base.length ? median(base.map((r) => r.rendererRssMB + r.audioRssMB)) : NaN;
    const stopWhy = `audio thread hop ${piece((p) => p.audioThread)} ms, worker ${piece((p) => p.worker)} ms (its tail ${piece((p) => p.workerTail)}, of it finishing the file ${piece((p) => p.workerFile)}), hand-over ${piece((p) => p.handOver)} ms (URL.createObjectURL ${piece((p) => p.objectUrl)})${blobs ? `; with nothing recording, a Blob of 64 KiB made in a worker takes ${median(blobs.bytes64k).toFixed(1)} ms here and a Blob URL ${median(blobs.objectUrl).toFixed(1)} ms; the no-recorder baseline's stop (tracks stopped, context closed, an empty Blob URL) ${baseMed((r) => r.stopMs)} ms` : ''}`;
    const rssWhy = `the no-recorder baseline grows ${baseMed((r) => r.rendererRssMB + r.audioRssMB)} MB in the same time; renderer ${med((r) => r.rendererRssMB).toFixed(0)} MB, audio service ${med((r) => r.audioRssMB).toFixed(0)} MB; worker heaps peak ${med((r) => r.workerHeapPeakMB).toFixed(1)} MB, page ${med((r) => r.pageHeapPeakMB).toFixed(1)} MB`;
    const checks: Array<[string, number, boolean, string]> = [
      ['stop ≤ 10 ms', med((r) => r.stopMs), med((r) => r.stopMs) <= 10, stopWhy],
      ['no long task', med((r) => r.longTasksRecording + r.longTasksStop), runs.every((r) => r.longTasksRecording + r.longTasksStop === 0), `per run, long tasks while recording / at stop (longest ms): ${longTasksOf(runs)}; the no-recorder baseline's: ${base.length ? longTasksOf(base) : '?'}`],
      ['main thread ≤ 1 ms per recorded s', med((r) => r.busyMsPerS), med((r) => r.busyMsPerS) <= 1, `the no-recorder baseline is ${baseMed((r) => r.busyMsPerS)} ms per s${wakeUpMs === null ? '' : `; each main-thread wake-up costs ${wakeUpMs.toFixed(2)} ms here (a meter at 50 ms is 20 a second)`}`],
      [
        'no input lost or invented silently (|lost| ≤ 1 ms beyond the gaps reported)',
        med((r) => Math.abs(r.lostMs)),
        runs.every((r) => Math.abs(r.lostMs) <= 1 + (r.reportedGapMs || 0)),
        `${med((r) => r.unmatchedWindows)} windows unmatched; gaps reported ${runs.map((r) => r.reportedGapMs.toFixed(0)).join(', ')} ms, lost/invented ${runs.map((r) => r.lostMs.toFixed(1)).join(', ')} ms per run`,
      ],
      ['renderer + audio RSS growth ≤ output + 10 MB', med((r) => r.rendererRssMB + r.audioRssMB), med((r) => r.rendererRssMB + r.audioRssMB) <= outputMB + 10, rssWhy],
      ['renderer + audio RSS growth above the no-recorder baseline ≤ output + 10 MB', med((r) => r.rendererRssMB + r.audioRssMB) - baseGrowth, med((r) => r.rendererRssMB + r.audioRssMB) - baseGrowth <= outputMB + 10, rssWhy],
      // The library's own state (~0.1 MB) is allowed for: the target is about not holding the audio twice.
      ['page + worker heaps retained ≤ 1.1 × output (+0.2 MB of code state)', med((r) => r.pageHeapRetainedMB + r.workerHeapRetainedMB), med((r) => r.pageHeapRetainedMB + r.workerHeapRetainedMB) <= 1.1 * outputMB + 0.2, `page ${med((r) => r.pageHeapRetainedMB).toFixed(2)} MB, workers ${med((r) => r.workerHeapRetainedMB).toFixed(2)} MB`],
    ];
    for (const [target, value, met, why] of checks) lines.push(`| ${name} ${seconds} s: ${target} | ${value.toFixed(2)} | ${met ? 'yes' : '**missed**'} | ${met ? '' : why} |`);
  }
  return lines;
}
