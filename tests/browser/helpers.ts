import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type * as TapedeckModule from '../../src/index';
import { longestSilence } from '../support/signal';

/** What the harness page exposes. */
export interface HarnessWindow {
  Tapedeck: typeof TapedeckModule;
  recorder: TapedeckModule.AudioRecorder;
  gum: { calls: number; streams: MediaStream[] };
  createdUrls: string[];
  events: Array<{ type: string; code?: string; state?: string }>;
  /** The audio clock: the session context's currentTime in ms, and a wait of `ms` on it. */
  audioClock: { now(): number; wait(ms: number): Promise<void> };
  /** A Blob's bytes as base64 (Buffer.from(…, 'base64') in the test). */
  base64Of(blob: Blob): Promise<string>;
  /** The names of the files in tapedeck's OPFS folder. */
  opfsNames(): Promise<string[]>;
  /** A live audio track playing a sine of `frequency` Hz, from an oscillator in the session's context. */
  toneTrack(frequency: number): MediaStreamTrack;
}

/** Opens the harness page (the ES module build, getUserMedia instrumented). */
export async function openHarness(page: Page, path = '/tests/browser/pages/harness.html'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
}

/** A finished recording as the page reports it, its bytes, and its decoding by the browser. */
export interface RecordingReport {
  url: string;
  mimeType: string;
  size: number;
  durationMs: number;
  sampleRate: number;
  channels: number;
  /** The gaps the take reported (Recording.gaps). */
  gaps: Array<{ atMs: number; ms: number; cause: string }>;
  bytes: Buffer;
  /** From decodeAudioData at the recording's own rate (so not resampled); null for raw PCM. */
  decoded: { sampleRate: number; channels: number; length: number; data: Float32Array[] } | null;
}

/** Reads `window.recorder.getTemporaryContent()` back to node, decoded by the browser where it can be. */
export async function readRecording(page: Page): Promise<RecordingReport> {
  const report = await page.evaluate(async () => {
    const toBase64 = (bytes: Uint8Array) => {
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const w = window as unknown as HarnessWindow;
    const rec = w.recorder.getTemporaryContent();
    if (!rec) throw new Error('no recording');
    const bytes = new Uint8Array(await rec.arrayBuffer());
    let decoded = null;
    if (!rec.mimeType.startsWith('audio/pcm')) {
      const audio = await new OfflineAudioContext(1, 1, rec.sampleRate).decodeAudioData(bytes.buffer.slice(0));
      decoded = {
        sampleRate: audio.sampleRate,
        channels: audio.numberOfChannels,
        length: audio.length,
        data: Array.from({ length: audio.numberOfChannels }, (_, c) => toBase64(new Uint8Array(audio.getChannelData(c).buffer))),
      };
    }
    const { url, mimeType, size, durationMs, sampleRate, channels, gaps } = rec;
    return { url, mimeType, size, durationMs, sampleRate, channels, gaps: [...gaps], bytes: toBase64(bytes), decoded };
  });
  const floats = (b64: string) => {
    const buffer = Buffer.from(b64, 'base64');
    return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  };
  return {
    ...report,
    bytes: Buffer.from(report.bytes, 'base64'),
    decoded: report.decoded ? { ...report.decoded, data: report.decoded.data.map(floats) } : null,
  };
}

/** ffprobe's view of a file (an independent decoder), or null where ffprobe is not installed. */
export function ffprobe(
  bytes: Buffer,
  extension: string,
  inputFormat: string[] = [],
): { codec: string; channels: number; sampleRate: number; durationS: number; decodeErrors: string } | null {
  if (!existsSync('/usr/bin/ffprobe')) return null;
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-')), `take.${extension}`);
  writeFileSync(file, bytes);
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', ...inputFormat, '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: Array<{ codec_name: string; channels: number; sample_rate: string }>; format: { duration: string } };
  const stream = out.streams[0]!;
  // A full decode; ffmpeg prints nothing at -v error when every packet decodes.
  const decodeErrors = execFileSync('ffmpeg', ['-v', 'error', ...inputFormat, '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { codec: stream.codec_name, channels: stream.channels, sampleRate: Number(stream.sample_rate), durationS: Number(out.format.duration), decodeErrors };
}

/** Creates `window.recorder` with `options`, logging its statechange and error events in `window.events`. */
export async function createRecorder(page: Page, options: TapedeckModule.AudioRecorderOptions = {}): Promise<void> {
  await page.evaluate((options) => {
    const w = window as unknown as HarnessWindow;
    w.events = [];
    w.recorder = new w.Tapedeck.AudioRecorder(options);
    w.recorder.on('statechange', ({ state }) => w.events.push({ type: 'statechange', state }));
    w.recorder.on('error', (error) => w.events.push({ type: 'error', code: error.code }));
    w.recorder.on('limitreached', () => w.events.push({ type: 'limitreached' }));
  }, options);
}

/**
 * What the audio clock (the session context's currentTime) says a take's length can be: at least the time from
 * start() resolving to stop() being called (capture began before the first and ended after the second), at most the
 * time from start() being called to stop() resolving. Judged on the audio clock, not the page's: on a busy machine
 * timers and messages run late, while the clock counts the frames the audio thread rendered.
 */
export interface AudioClockWindow {
  minMs: number;
  maxMs: number;
}

/**
 * The main thread sees the audio clock advance in steps of one device buffer (Chromium: up to ~23 ms here), so each
 * bound is good to one step.
 */
const CLOCK_STEP_MS = 25;

/**
 * The longest silence (44.1 kHz samples) a move between two microphones may leave: two device buffers of 10 ms (the
 * old device's last and the new one's first can each go missing: Chromium's fake device drops one now and then, and a
 * fresh device's first buffer may not arrive; see the fidelity bench), plus the sine's near-zero samples at the
 * edges. A move that lost audio leaves the switch's time, tens of ms or more.
 */
export const SWITCH_HOLE_SAMPLES = 2 * 441 + 6;

/** The longest a device buffer the fake microphone drops now and then lasts (Quirk #7): 10 ms, reported as an `input-silent` gap. */
const DEVICE_BUFFER_MS = 10.5;

/**
 * Checks that the longest silence in `rec`'s first channel (from sample `from`) is at most `allowedSamples`, once
 * the dropped device buffers the take reported inside it are taken out: those are the device's, upstream of
 * tapedeck, and come at random moments (one can land beside the hole under test).
 */
export function expectNoUnreportedHole(rec: RecordingReport, allowedSamples: number, from = 0): void {
  const { sampleRate, data } = rec.decoded!;
  const hole = longestSilence(data[0]!, from);
  const [startMs, endMs] = [((hole.endsAt + 1 - hole.length) * 1000) / sampleRate, ((hole.endsAt + 1) * 1000) / sampleRate];
  const dropped = rec.gaps.filter((g) => g.cause === 'input-silent' && g.ms <= DEVICE_BUFFER_MS && g.atMs < endMs + 10 && g.atMs + g.ms > startMs - 10);
  const droppedSamples = Math.round((dropped.reduce((sum, g) => sum + g.ms, 0) * sampleRate) / 1000);
  expect(hole.length - droppedSamples, `silent for ${hole.length} samples from ${startMs.toFixed(1)} ms; gaps ${JSON.stringify(rec.gaps)}`).toBeLessThanOrEqual(allowedSamples);
}

/** Checks that `durationMs` lies in `window` (to one step of the audio clock as the main thread sees it). */
export function expectOnAudioClock(durationMs: number, window: AudioClockWindow, what = 'the take'): void {
  expect(durationMs, `${what}: ${durationMs.toFixed(1)} ms, the audio clock allows ${window.minMs.toFixed(1)}–${window.maxMs.toFixed(1)}`).toBeGreaterThanOrEqual(window.minMs - CLOCK_STEP_MS);
  expect(durationMs, `${what}: ${durationMs.toFixed(1)} ms, the audio clock allows ${window.minMs.toFixed(1)}–${window.maxMs.toFixed(1)}`).toBeLessThanOrEqual(window.maxMs + CLOCK_STEP_MS);
}

/**
 * Starts `window.recorder`, lets it record for `ms` of the audio clock, and stops it. Returns the Blob URL, the
 * audio-clock window its length must fall in, and `elapsedMs`, the audio time from start resolved to stop called.
 */
export async function recordFor(page: Page, ms: number): Promise<{ url: string; elapsedMs: number; clock: AudioClockWindow }> {
  return page.evaluate(async (ms) => {
    const { recorder, Tapedeck } = window as unknown as HarnessWindow;
    const context = Tapedeck.AudioSession.instance().context;
    const now = () => context.currentTime * 1000;
    const before = now();
    await recorder.startRecording();
    const started = now();
    while (now() < started + ms) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopping = now();
    const url = await recorder.stopRecording();
    return { url, elapsedMs: stopping - started, clock: { minMs: stopping - started, maxMs: now() - before } };
  }, ms);
}

/** Rejection of `window.recorder[method](...args)` as { code, message, causeName }, or null if it resolved. */
export async function rejectionOf(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    async ({ method, args }) => {
      const recorder = (window as unknown as HarnessWindow).recorder as unknown as Record<string, (...a: unknown[]) => unknown>;
      try {
        await recorder[method]!(...args);
        return null;
      } catch (error) {
        const e = error as { name: string; code?: string; message: string; cause?: { name?: string } };
        return { name: e.name, code: e.code, message: e.message, causeName: e.cause?.name };
      }
    },
    { method, args },
  );
}
