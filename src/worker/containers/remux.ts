import { ALL_FORMATS, BlobSource, BufferTarget, Conversion, FlacOutputFormat, Input, OggOutputFormat, Output, WebMOutputFormat } from 'mediabunny';

/**
 * Rewrites a WebM, Ogg or FLAC file through mediabunny without decoding it: the packets are copied into a new
 * container that states its duration (MediaRecorder's WebM and a crashed take's files do not).
 */
export async function remux(file: Blob, type: string): Promise<{ blob: Blob; durationS: number; audioSampleRate: number | null } | null> {
  const format = /^(audio|video)\/webm/.test(type)
    ? new WebMOutputFormat()
    : type.startsWith('audio/ogg')
      ? new OggOutputFormat()
      : type.startsWith('audio/flac')
        ? new FlacOutputFormat()
        : null;
  if (!format) return null; // MP4 keeps its index at the end: a cut one cannot be read back
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  const target = new BufferTarget();
  const conversion = await Conversion.init({ input, output: new Output({ format, target }) });
  await conversion.execute();
  const durationS = await input.computeDuration();
  const audio = await input.getPrimaryAudioTrack();
  return { blob: new Blob([target.buffer!], { type }), durationS, audioSampleRate: audio?.sampleRate ?? null };
}
