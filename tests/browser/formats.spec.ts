import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { LAME_DELAY, lameEndPadding } from '../support/lame-padding';
import { createRecorder, expectOnAudioClock, ffprobe, openHarness, readRecording, recordFor, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** `recording.pcm()` of the page's last recording, shaped like a browser decoding. */
async function decodeRawInPage(page: import('@playwright/test').Page) {
  const out = await page.evaluate(async () => {
    const rec = (window as unknown as HarnessWindow).recorder.getTemporaryContent()!;
    return { sampleRate: rec.sampleRate, data: (await rec.pcm()).map((c) => Array.from(c)) };
  });
  return { sampleRate: out.sampleRate, channels: out.data.length, length: out.data[0]!.length, data: out.data.map((c) => Float32Array.from(c)) };
}

const FORMATS = [
  { name: 'wav', options: { encoder: 'wav', sampleRate: 32000, channels: 2 }, mime: 'audio/wav', ext: 'wav', codec: 'pcm_s16le' },
  { name: 'pcm16', options: { encoder: 'pcm16', sampleRate: 16000, channels: 1 }, mime: 'audio/pcm;rate=16000;channels=1', ext: 'pcm', codec: 'pcm_s16le' },
  { name: 'mp3', options: { encoder: 'mp3', sampleRate: 44100, channels: 2 }, mime: 'audio/mpeg', ext: 'mp3', codec: 'mp3' },
  { name: 'opus in WebM', options: { encoder: 'opus', sampleRate: 48000, channels: 2 }, mime: 'audio/webm;codecs=opus', ext: 'webm', codec: 'opus' },
  { name: 'opus in Ogg', options: { encoder: 'opus', container: 'ogg', sampleRate: 48000, channels: 1 }, mime: 'audio/ogg;codecs=opus', ext: 'ogg', codec: 'opus' },
  { name: 'aac', options: { encoder: 'aac', sampleRate: 44100, channels: 2 }, mime: 'audio/mp4;codecs=mp4a.40.2', ext: 'm4a', codec: 'aac' },
  { name: 'flac', options: { encoder: 'flac', sampleRate: 48000, channels: 1 }, mime: 'audio/flac', ext: 'flac', codec: 'flac' },
] as const;

for (const format of FORMATS) {
  test(`formats, ${format.name}: 3 s of the 440 Hz tone decodes, lasts 3 s and holds 440 Hz`, async ({ page }) => {
    await createRecorder(page, format.options);
    const { elapsedMs, clock } = await recordFor(page, 3000);
    const rec = await readRecording(page);
    expect(rec.mimeType).toBe(format.mime);
    expect({ sampleRate: rec.sampleRate, channels: rec.channels }).toEqual({ sampleRate: format.options.sampleRate, channels: format.options.channels });
    expectOnAudioClock(rec.durationMs, clock);

    // Raw PCM has no header for a decoder to read: tapedeck's own pcm() is the decoder there.
    const decoded = rec.decoded ?? (await decodeRawInPage(page));
    expect(decoded.channels).toBe(format.options.channels);
    const decodedMs = (decoded.length / decoded.sampleRate) * 1000;
    expect(Math.abs(decodedMs - rec.durationMs)).toBeLessThan(60);
    for (const channel of decoded.data) expect(Math.abs(dominantFrequency(channel, decoded.sampleRate) - 440)).toBeLessThan(5);

    const probe = ffprobe(rec.bytes, format.ext, format.ext === 'pcm' ? ['-f', 's16le', '-ar', '16000', '-ac', '1'] : []);
    if (probe) {
      expect(probe).toMatchObject({ codec: format.codec, channels: format.options.channels, sampleRate: format.options.sampleRate, decodeErrors: '' });
      expect(Math.abs(probe.durationS * 1000 - rec.durationMs)).toBeLessThan(60);
    }
    test.info().annotations.push({
      type: 'measured',
      description: `${format.name}: ${rec.size} bytes, duration ${rec.durationMs.toFixed(1)} ms for ${elapsedMs.toFixed(1)} ms, decoded ${decodedMs.toFixed(1)} ms, ffprobe ${probe ? (probe.durationS * 1000).toFixed(1) : 'n/a'} ms`,
    });
  });
}

for (const kbps of [64, 128, 320]) {
  test(`formats, mp3 at ${kbps} kb/s is within 3 % of the bit rate × duration`, async ({ page }) => {
    await createRecorder(page, { encoder: 'mp3', bitRate: kbps * 1000, channels: 2, sampleRate: 44100 });
    await recordFor(page, 3000);
    const rec = await readRecording(page);
    const expected = ((kbps * 1000) / 8) * (rec.durationMs / 1000);
    expect(Math.abs(rec.size / expected - 1)).toBeLessThan(0.03);
    const probe = ffprobe(rec.bytes, 'mp3');
    if (probe) expect(probe.codec).toBe('mp3');
    // Where the page allows WebAssembly, LAME 3.100 compiled to it encodes (the LAME tag says which engine ran).
    const tag = rec.bytes.indexOf('Info');
    expect(rec.bytes.subarray(tag + 120, tag + 129).toString('latin1')).toBe('LAME3.100');
  });
}

for (const options of [{ encoder: 'wav' }, { encoder: 'mp3' }, { encoder: 'opus' }, { encoder: 'flac' }] as const) {
  test(`streaming, ${options.encoder} chunks every 250 ms join into a file as long as the final one`, async ({ page }) => {
    await createRecorder(page, { ...options, channels: 1, sampleRate: 48000, timesliceMs: 250 });
    const out = await page.evaluate(async () => {
      const w = window as unknown as HarnessWindow;
      const chunks: Blob[] = [];
      const times: number[] = [];
      w.recorder.on('data', ({ blob }) => {
        chunks.push(blob);
        times.push(performance.now());
      });
      await w.recorder.startRecording();
      await w.audioClock.wait(2000);
      await w.recorder.stopRecording();
      const rec = w.recorder.getTemporaryContent()!;
      const decode = async (blob: Blob) => (await new OfflineAudioContext(1, 1, 48000).decodeAudioData(await blob.arrayBuffer())).length;
      return {
        count: chunks.length,
        beforeStop: times.filter((t) => t < times[times.length - 1]!).length,
        joinedLength: await decode(new Blob(chunks, { type: rec.mimeType })),
        finalLength: await decode(rec.blob),
        joinedSize: new Blob(chunks).size,
        finalSize: rec.size,
        durationMs: rec.durationMs,
      };
    });
    // One chunk per 250 ms of audio (12 000 frames at 48 kHz) while recording, and the last one at stop (none when the
    // take ends on a slice's edge, with nothing left to hand out).
    const frames = Math.round(out.durationMs * 48);
    expect(out.count, `${frames} frames`).toBeGreaterThanOrEqual(Math.ceil(frames / 12000));
    expect(out.count, `${frames} frames`).toBeLessThanOrEqual(Math.floor(frames / 12000) + 1);
    expect(out.count).toBeGreaterThanOrEqual(7); // the 2 s take was recorded as such
    if (options.encoder === 'mp3') {
      // Only the final file's Info frame can state the encoder delay and the end padding (known at the end), so the
      // joined chunks decode with them: LAME's delay and the padding its flush adds after the last sample.
      expect(out.joinedLength - out.finalLength).toBe(LAME_DELAY + lameEndPadding(out.finalLength, 1152));
    } else {
      expect(Math.abs(out.joinedLength - out.finalLength)).toBeLessThanOrEqual(0.003 * 48000);
    }
    test.info().annotations.push({ type: 'measured', description: JSON.stringify(out) });
  });
}

test('streaming, startStream() delivers PCM16 at the requested rate as it is captured, and keeps no file', async ({ page }) => {
  await createRecorder(page, { sampleRate: 16000, channels: 1 });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const called = w.audioClock.now();
    const stream = await w.recorder.startStream();
    const started = w.audioClock.now();
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let firstAfterMs = -1;
    let clock = { minMs: 0, maxMs: 0 };
    void w.audioClock.wait(1500).then(async () => {
      const stopping = w.audioClock.now();
      (w as unknown as { url: string }).url = await w.recorder.stopRecording();
      clock = { minMs: stopping - started, maxMs: w.audioClock.now() - called };
    });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (firstAfterMs < 0) firstAfterMs = w.audioClock.now() - started;
      chunks.push(value);
    }
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    while (clock.maxMs === 0) await new Promise((r) => setTimeout(r, 10));
    return {
      count: chunks.length,
      firstAfterMs,
      clock,
      samples: Array.from(new Int16Array(bytes.buffer)),
      url: (w as unknown as { url: string }).url,
      content: w.recorder.getTemporaryContent(),
      state: w.recorder.state,
    };
  });
  expect(out.url).toBe('');
  expect(out.content).toBeNull();
  expect(out.state).toBe('stopped');
  expect(out.count).toBeGreaterThan(20); // ~46 ms chunks over 1.5 s
  // Delivered as captured: the first chunk came in the take's first half (on the audio clock), not at its end.
  expect(out.firstAfterMs).toBeLessThan(750);
  expectOnAudioClock((out.samples.length / 16000) * 1000, out.clock, 'the stream');
  const samples = Float32Array.from(out.samples, (v) => v / 32768);
  expect(Math.abs(dominantFrequency(samples, 16000) - 440)).toBeLessThan(5);
});
