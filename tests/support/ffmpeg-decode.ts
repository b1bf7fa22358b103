// Decoding a recorded file with ffprobe/ffmpeg (a decoder independent of the browser) and judging what it holds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileExtension } from '../../src/formats/registry';
import { dominantFrequency, rms } from '../../src/testing/analysis';

/** What ffmpeg made of a file. */
export interface DecodedFile {
  /** ffprobe's codec name of the first audio stream (pcm_s16le, mp3, opus, flac, aac, …). */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Length of the decoded audio, in ms (from the sample count ffmpeg decoded). */
  decodedMs: number;
  /** The strongest frequency of the first channel, Hz (the middle of the file: edges ramp with codec delay). */
  frequency: number;
  /** RMS of the first channel's middle. */
  rms: number;
  /** What ffmpeg reported while decoding every packet ('' when all decoded). */
  decodeErrors: string;
  /** The first channel's samples. */
  samples: Float32Array;
}

/** Decodes `bytes` (of MIME type `mimeType`) with ffmpeg, at the file's own rate, first channel. */
export function decodeWithFfmpeg(bytes: Uint8Array, mimeType: string): DecodedFile {
  const extension = fileExtension(mimeType);
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-decode-')), `take.${extension}`);
  writeFileSync(file, bytes);
  // Raw PCM (audio/pcm;rate=…;channels=…) says what it is only in its MIME type.
  const raw = /^audio\/pcm;rate=(\d+);channels=(\d+)/.exec(mimeType);
  const input = raw ? ['-f', 's16le', '-ar', raw[1]!, '-ac', raw[2]!] : [];
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', ...input, '-show_streams', '-select_streams', 'a:0', '-of', 'json', file], { encoding: 'utf8' })) as {
    streams: Array<{ codec_name: string; sample_rate: string; channels: number }>;
  };
  const stream = probe.streams[0];
  if (!stream) throw new Error(`ffprobe found no audio stream in the ${mimeType} file`);
  const sampleRate = Number(stream.sample_rate);
  const pcm = execFileSync('ffmpeg', ['-v', 'error', ...input, '-i', file, '-map', '0:a:0', '-af', 'pan=mono|c0=c0', '-f', 'f32le', '-'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const samples = new Float32Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
  const decodeErrors = execFileSync('ffmpeg', ['-v', 'error', ...input, '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const middle = samples.subarray(Math.floor(samples.length * 0.2), Math.floor(samples.length * 0.8));
  return {
    codec: stream.codec_name,
    sampleRate,
    channels: stream.channels,
    decodedMs: (samples.length / sampleRate) * 1000,
    frequency: middle.length > 0 ? dominantFrequency(middle, sampleRate) : 0,
    rms: middle.length > 0 ? rms(middle) : 0,
    decodeErrors,
    samples,
  };
}
