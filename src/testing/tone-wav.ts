/** What tone to write: a sine per channel (one frequency, or one per channel). */
export interface ToneWavOptions {
  /** Hz; an array gives each channel its own. */
  frequency: number | number[];
  /** Length in seconds. A whole number of cycles per file makes Chromium's fake microphone loop it seamlessly. */
  seconds: number;
  /** Hz. Default 48000. */
  sampleRate?: number;
  /** Channels (when `frequency` is one number). Default 1. */
  channels?: number;
  /** Peak, 0 to 1. Default 0.5. */
  amplitude?: number;
}

/** A sine tone as the bytes of a 16-bit PCM WAV file. */
export function toneWav(options: ToneWavOptions): Uint8Array {
  const sampleRate = options.sampleRate ?? 48000;
  const frequencies = Array.isArray(options.frequency)
    ? options.frequency
    : Array.from({ length: options.channels ?? 1 }, () => options.frequency as number);
  const channels = frequencies.length;
  const frames = Math.round(options.seconds * sampleRate);
  const amplitude = options.amplitude ?? 0.5;
  const bytes = new Uint8Array(44 + frames * channels * 2);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, s: string) => [...s].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + frames * channels * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, frames * channels * 2, true);
  for (let i = 0; i < frames; i++) {
    frequencies.forEach((f, c) => {
      const s = amplitude * Math.sin((2 * Math.PI * f * i) / sampleRate);
      view.setInt16(44 + (i * channels + c) * 2, Math.round(s * 32767), true);
    });
  }
  return bytes;
}
