import { expect, test } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { createRecorder, ffprobe, openHarness, readRecording, recordFor } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

const FORMATS = [
  { name: 'mp3', options: { encoder: 'mp3', sampleRate: 44100, channels: 2 }, mime: 'audio/mpeg', ext: 'mp3', codec: 'mp3' },
  { name: 'opus in WebM', options: { encoder: 'opus', sampleRate: 48000, channels: 2 }, mime: 'audio/webm;codecs=opus', ext: 'webm', codec: 'opus' },
  { name: 'opus in Ogg', options: { encoder: 'opus', container: 'ogg', sampleRate: 48000, channels: 1 }, mime: 'audio/ogg;codecs=opus', ext: 'ogg', codec: 'opus' },
  { name: 'aac', options: { encoder: 'aac', sampleRate: 44100, channels: 2 }, mime: 'audio/mp4;codecs=mp4a.40.2', ext: 'm4a', codec: 'aac' },
  { name: 'flac', options: { encoder: 'flac', sampleRate: 48000, channels: 1 }, mime: 'audio/flac', ext: 'flac', codec: 'flac' },
] as const;

for (const format of FORMATS) {
  test(`formats, ${format.name}: 3 s of the 440 Hz tone decodes, lasts 3 s and holds 440 Hz`, async ({ page }) => {
    await createRecorder(page, format.options);
    const { elapsedMs } = await recordFor(page, 3000);
    const rec = await readRecording(page);
    expect(rec.mimeType).toBe(format.mime);
    expect({ sampleRate: rec.sampleRate, channels: rec.channels }).toEqual({ sampleRate: format.options.sampleRate, channels: format.options.channels });
    expect(Math.abs(rec.durationMs - elapsedMs)).toBeLessThan(60);

    const decoded = rec.decoded!;
    expect(decoded.channels).toBe(format.options.channels);
    const decodedMs = (decoded.length / decoded.sampleRate) * 1000;
    expect(Math.abs(decodedMs - rec.durationMs)).toBeLessThan(60);
    for (const channel of decoded.data) expect(Math.abs(dominantFrequency(channel, decoded.sampleRate) - 440)).toBeLessThan(5);

    const probe = ffprobe(rec.bytes, format.ext);
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
