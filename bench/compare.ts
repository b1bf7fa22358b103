// The recorders side by side: each records the same fake-microphone input (a stereo tone plus noise) in a fresh
// Chromium, and we measure stop latency, the file, the main thread, CPU, memory and download size.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type CDPSession } from '@playwright/test';
import { findChromium, HEADLESS_ARGS } from '../scripts/chromium.mjs';
import { wavHeader } from '../src/worker/containers/wav-header';
import { chromiumProcesses, median, range } from './browser';

const PORT = 4318;

/** One recorder in its most natural setting. */
export interface ContenderSpec {
  name: string;
  page: string;
  ext: string;
  tapedeck?: boolean;
}

export const CONTENDERS: ContenderSpec[] = [
  { name: 'tapedeck wav', page: 'tapedeck.html?encoder=wav', ext: 'wav', tapedeck: true },
  { name: 'tapedeck mp3', page: 'tapedeck.html?encoder=mp3', ext: 'mp3', tapedeck: true },
  { name: 'tapedeck opus (WebM)', page: 'tapedeck.html?encoder=opus', ext: 'webm', tapedeck: true },
  { name: 'RecordRTC (StereoAudioRecorder, WAV)', page: 'recordrtc.html', ext: 'wav' },
  { name: 'extendable-media-recorder (WAV encoder)', page: 'extendable-media-recorder.html', ext: 'wav' },
  { name: 'mic-recorder-to-mp3', page: 'mic-recorder-to-mp3.html', ext: 'mp3' },
  { name: 'recorder-core (MP3)', page: 'recorder-core.html?type=mp3', ext: 'mp3' },
  { name: 'recorder-core (WAV)', page: 'recorder-core.html?type=wav', ext: 'wav' },
  { name: 'opus-recorder (Ogg Opus)', page: 'opus-recorder.html', ext: 'ogg' },
  { name: 'vmsg (MP3)', page: 'vmsg.html', ext: 'mp3' },
  { name: 'MediaRecorder (WebM/Opus)', page: 'media-recorder.html', ext: 'webm' },
];

/** The bench's input: 48 kHz stereo, 440 Hz left and 660 Hz right at 0.4, plus white noise at 0.05, 10 s looped. */
function writeInput(): string {
  const folder = 'tests/.generated';
  mkdirSync(folder, { recursive: true });
  const rate = 48000;
  const frames = rate * 10;
  const pcm = new Int16Array(frames * 2);
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < frames; i++) {
    pcm[i * 2] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.05 * noise()));
    pcm[i * 2 + 1] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * 660 * i) / rate) + 0.05 * noise()));
  }
  const path = join(folder, 'bench-input.wav');
  writeFileSync(path, Buffer.concat([Buffer.from(wavHeader({ sampleRate: rate, channels: 2, bitsPerSample: 16 }, pcm.byteLength)), Buffer.from(pcm.buffer)]));
  return path;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** What one run measured. */
interface RunResult {
  stopMs: number;
  bytes: number;
  decodes: boolean;
  decodedMinusRecordedMs: number;
  channels: number;
  sampleRate: number;
  longTasksRecording: number;
  longTasksStop: number;
  longestTaskMs: number;
  busyMsPerS: number;
  rendererCpuPct: number;
  chromiumCpuPct: number;
  heapPeakMB: number;
  heapRetainedMB: number;
  rssGrowthMB: number;
  downloadKBgz: number;
}

/** ffprobe's channels and rate, and the decoded length (ffmpeg decodes every packet), or null if it does not decode. */
function probe(bytes: Buffer, ext: string): { channels: number; sampleRate: number; decodedS: number } | null {
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-bench-')), `take.${ext}`);
  writeFileSync(file, bytes);
  try {
    const info = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })) as { streams: Array<{ channels: number; sample_rate: string }> };
    const stream = info.streams[0]!;
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
    return { channels: stream.channels, sampleRate: Number(stream.sample_rate), decodedS: raw.length / 4 / Number(stream.sample_rate) };
  } catch {
    return null;
  }
}

async function runOnce(spec: ContenderSpec, seconds: number, input: string): Promise<RunResult> {
  const browser = await chromium.launch({
    executablePath: findChromium()?.executablePath,
    args: [...HEADLESS_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${input}`, '--enable-precise-memory-info'],
  });
  try {
    const context = await browser.newContext();
    const fetched = new Set<string>();
    context.on('requestfinished', (request) => fetched.add(request.url()));
    const page = await context.newPage();
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`http://127.0.0.1:${PORT}/bench/.dist/${spec.page}`);
    await page.waitForFunction(() => (window as unknown as { contenderReady?: boolean }).contenderReady === true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heapBase = (await metrics(cdp)).JSHeapUsedSize!;
    await page.evaluate(async () => {
      const w = window as unknown as { contender: { start(): Promise<void> }; longTasks: PerformanceEntry[]; startedAt: number };
      w.longTasks = [];
      new PerformanceObserver((list) => w.longTasks.push(...list.getEntries())).observe({ type: 'longtask' });
      await w.contender.start();
      w.startedAt = performance.now();
    });
    const before = await metrics(cdp);
    // From here on: what recording costs, without the browser's one-off start-up of audio capture.
    const { cpuS: cpuBefore, recorderRss: rssBase } = chromiumProcesses();
    const wallBefore = performance.now();
    let heapPeak = 0;
    let rssPeak = 0;
    const sampler = setInterval(() => {
      void metrics(cdp).then((m) => (heapPeak = Math.max(heapPeak, m.JSHeapUsedSize! - heapBase)), () => undefined);
      rssPeak = Math.max(rssPeak, chromiumProcesses().recorderRss - rssBase);
    }, 1000);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const during = await metrics(cdp);
    const cpuDuring = chromiumProcesses().cpuS;
    const wallDuring = performance.now();
    const stopped = await page.evaluate(async () => {
      const w = window as unknown as { contender: { stop(): Promise<{ url: string; blob: Blob }> }; longTasks: PerformanceEntry[]; startedAt: number };
      const stopAt = performance.now();
      const { url, blob } = await w.contender.stop();
      const stopDoneAt = performance.now();
      const stopMs = stopDoneAt - stopAt;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      await new Promise((r) => setTimeout(r, 1000)); // long tasks are reported a little late
      // Long tasks of the stop itself, not of the bench reading the file back below.
      const atStop = w.longTasks.filter((t) => t.startTime >= stopAt && t.startTime < stopDoneAt);
      const recording = w.longTasks.filter((t) => t.startTime < stopAt);
      return {
        stopMs,
        recordedMs: stopAt - w.startedAt,
        size: blob.size,
        bytes: btoa(text),
        longTasksRecording: recording.length,
        longTasksStop: atStop.length,
        longestTaskMs: Math.max(0, ...w.longTasks.filter((t) => t.startTime < stopDoneAt).map((t) => t.duration)),
      };
    });
    clearInterval(sampler);
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await metrics(cdp);
    const bytes = Buffer.from(stopped.bytes, 'base64');
    const decoded = probe(bytes, spec.ext);
    const recordingS = (wallDuring - wallBefore) / 1000;
    let download = 0;
    for (const url of fetched) {
      const { host, pathname } = new URL(url);
      if (host !== `127.0.0.1:${PORT}` || pathname.endsWith('.html') || pathname.includes('raw-mic')) continue;
      try {
        download += gzipSync(readFileSync(`.${decodeURIComponent(pathname)}`)).length;
      } catch {
        // not a file of ours
      }
    }
    return {
      stopMs: stopped.stopMs,
      bytes: stopped.size,
      decodes: decoded !== null,
      decodedMinusRecordedMs: decoded ? decoded.decodedS * 1000 - stopped.recordedMs : NaN,
      channels: decoded?.channels ?? 0,
      sampleRate: decoded?.sampleRate ?? 0,
      longTasksRecording: stopped.longTasksRecording,
      longTasksStop: stopped.longTasksStop,
      longestTaskMs: stopped.longestTaskMs,
      busyMsPerS: ((during.TaskDuration! - before.TaskDuration!) * 1000) / recordingS,
      rendererCpuPct: ((during.ProcessTime! - before.ProcessTime!) / recordingS) * 100,
      chromiumCpuPct: ((cpuDuring - cpuBefore) / recordingS) * 100,
      heapPeakMB: heapPeak / 1e6,
      heapRetainedMB: (after.JSHeapUsedSize! - heapBase) / 1e6,
      rssGrowthMB: rssPeak / 1e6,
      downloadKBgz: download / 1024,
    };
  } finally {
    await browser.close();
  }
}

/** Median (range) of a field over runs. */
function cell(runs: RunResult[], pick: (r: RunResult) => number, digits = 1): string {
  const values = runs.map(pick).filter((v) => Number.isFinite(v));
  if (values.length === 0) return 'n/a';
  return values.length === 1 ? values[0]!.toFixed(digits) : `${median(values).toFixed(digits)} (${range(values, digits)})`;
}

/** Runs every contender `runs` times at each length; returns the markdown table rows and the raw results. */
export async function benchCompare(names: string[] | null, lengths: number[], runs: number): Promise<{ lines: string[]; results: Map<string, RunResult[]> }> {
  const input = writeInput();
  const results = new Map<string, RunResult[]>();
  const lines = [
    '| recorder | length | stop → Blob URL (ms) | file (MB) | decodes | decoded − recorded (ms) | ch / Hz | long tasks recording / at stop (longest ms) | main thread busy (ms per s) | renderer CPU % | all Chromium CPU % | JS heap peak / retained (MB) | renderer + audio RSS growth while recording (MB) | download (KB gz) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const spec of CONTENDERS.filter((c) => !names || names.some((n) => c.name.toLowerCase().includes(n.toLowerCase())))) {
    for (const seconds of lengths) {
      const done: RunResult[] = [];
      for (let run = 0; run < runs; run++) {
        try {
          done.push(await runOnce(spec, seconds, input));
        } catch (error) {
          console.error(`${spec.name} ${seconds} s run ${run + 1} failed: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      results.set(`${spec.name}@${seconds}`, done);
      if (done.length === 0) {
        lines.push(`| ${spec.name} | ${seconds} s | failed | | | | | | | | | | | |`);
        continue;
      }
      const first = done[0]!;
      lines.push(
        `| ${spec.name} | ${seconds} s | ${cell(done, (r) => r.stopMs)} | ${cell(done, (r) => r.bytes / 1e6, 2)} | ${done.every((r) => r.decodes) ? 'yes' : 'no'} | ${cell(done, (r) => r.decodedMinusRecordedMs)} | ${first.channels} / ${first.sampleRate} | ${cell(done, (r) => r.longTasksRecording, 0)} / ${cell(done, (r) => r.longTasksStop, 0)} (${cell(done, (r) => r.longestTaskMs, 0)}) | ${cell(done, (r) => r.busyMsPerS)} | ${cell(done, (r) => r.rendererCpuPct)} | ${cell(done, (r) => r.chromiumCpuPct)} | ${cell(done, (r) => r.heapPeakMB)} / ${cell(done, (r) => r.heapRetainedMB)} | ${cell(done, (r) => r.rssGrowthMB, 0)} | ${cell(done, (r) => r.downloadKBgz, 0)} |`,
      );
      console.error(lines.at(-1));
    }
  }
  return { lines, results };
}

/** tapedeck's targets (issue 9), checked against the figures of this run. */
export function targetLines(results: Map<string, RunResult[]>): string[] {
  const lines = ['| target | measured | met |', '|---|---|---|'];
  for (const [key, runs] of results) {
    if (!key.startsWith('tapedeck') || runs.length === 0) continue;
    const [name, seconds] = key.split('@');
    const med = (pick: (r: RunResult) => number) => median(runs.map(pick));
    const outputMB = med((r) => r.bytes) / 1e6;
    const checks: Array<[string, number, boolean]> = [
      ['stop ≤ 10 ms', med((r) => r.stopMs), med((r) => r.stopMs) <= 10],
      ['no long task', med((r) => r.longTasksRecording + r.longTasksStop), runs.every((r) => r.longTasksRecording + r.longTasksStop === 0)],
      ['main thread ≤ 2 ms per recorded s', med((r) => r.busyMsPerS), med((r) => r.busyMsPerS) <= 2],
      ['|decoded − recorded| ≤ 3 ms', med((r) => Math.abs(r.decodedMinusRecordedMs)), med((r) => Math.abs(r.decodedMinusRecordedMs)) <= 3],
      ['renderer + audio RSS growth ≤ output + 10 MB', med((r) => r.rssGrowthMB), med((r) => r.rssGrowthMB) <= outputMB + 10],
      // The library's own state (~0.1 MB) is allowed for: the target is about not holding the audio twice.
      ['heap retained ≤ 1.1 × output (+0.2 MB of code state)', med((r) => r.heapRetainedMB), med((r) => r.heapRetainedMB) <= 1.1 * outputMB + 0.2],
    ];
    for (const [target, value, met] of checks) lines.push(`| ${name} ${seconds} s: ${target} | ${value.toFixed(2)} | ${met ? 'yes' : '**missed**'} |`);
  }
  return lines;
}
