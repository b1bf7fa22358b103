import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeMicrophoneArgs, writeToneWav } from '../../src/testing/node';
import { dominantFrequency, longestSilence, sine } from '../../src/testing/analysis';
import { parseWav } from '../support/wav-file';

const hasFfmpeg = existsSync('/usr/bin/ffprobe') && existsSync('/usr/bin/ffmpeg');

describe('testing kit, writeToneWav', () => {
  it('writes what it says: checked by the tests\' own reader and, where installed, by ffprobe and ffmpeg', () => {
    const path = writeToneWav({ path: join(mkdtempSync(join(tmpdir(), 'kit-')), 'sub', 'tone.wav'), frequency: [440, 1000], seconds: 1.5, sampleRate: 22050 });
    const wav = parseWav(readFileSync(path));
    expect(wav).toMatchObject({ format: 1, channels: 2, sampleRate: 22050, bitsPerSample: 16 });
    expect(wav.samples[0]!.length).toBe(33075);
    expect(Math.abs(dominantFrequency(wav.samples[0]!, 22050) - 440)).toBeLessThan(0.5);
    expect(Math.abs(dominantFrequency(wav.samples[1]!, 22050) - 1000)).toBeLessThan(0.5);
    if (!hasFfmpeg) return;
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', path], { encoding: 'utf8' })) as {
      streams: Array<{ codec_name: string; channels: number; sample_rate: string; duration: string }>;
    };
    expect(probe.streams[0]).toMatchObject({ codec_name: 'pcm_s16le', channels: 2, sample_rate: '22050' });
    expect(Number(probe.streams[0]!.duration)).toBeCloseTo(1.5, 3);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-af', 'pan=mono|c0=c1', '-f', 'f32le', '-']);
    const right = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(Math.abs(dominantFrequency(right, 22050) - 1000)).toBeLessThan(0.5);
    let peak = 0;
    for (const s of right) peak = Math.max(peak, Math.abs(s));
    expect(peak).toBeCloseTo(0.5, 2);
  });

  it('gives Chromium\'s fake-microphone flags', () => {
    expect(fakeMicrophoneArgs({ file: '/tmp/a.wav' })).toEqual([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--use-file-for-fake-audio-capture=/tmp/a.wav',
    ]);
    expect(fakeMicrophoneArgs({ autoGrant: false })).toEqual(['--use-fake-device-for-media-stream']);
  });
});

describe('longestSilence', () => {
  it('finds a 10 ms hole cut into a 440 Hz tone, and only the zero crossings in an intact one', () => {
    const tone = sine(440, 1, 44100);
    expect(longestSilence(tone).length).toBeLessThan(3);
    tone.fill(0, 20_000, 20_441);
    const hole = longestSilence(tone);
    expect(hole.length).toBeGreaterThanOrEqual(441);
    expect(hole.length).toBeLessThan(445);
    expect(hole.endsAt).toBeGreaterThanOrEqual(20_440);
    expect(hole.endsAt).toBeLessThan(20_444);
    expect(longestSilence(tone, 20_441).length).toBeLessThan(3);
  });
});
