/**
 * The one registry of formats, built-ins and registered plugins alike: every question about a format (is it known,
 * what does it store, can it be recorded here with these options, what is its file called) is a lookup here.
 */
import { BUILT_IN_FORMATS } from './built-in';
import type { FormatDescriptor, FormatQuery } from './descriptor';

const formats = new Map<string, FormatDescriptor>();
const byName = new Map<string, FormatDescriptor>();

/** Adds `format` under its id and aliases (a plugin's id may not be a known name). */
export function registerFormat(format: FormatDescriptor): void {
  formats.set(format.id, format);
  for (const name of [format.id, ...format.aliases]) byName.set(name, format);
}

for (const format of BUILT_IN_FORMATS) registerFormat(format);

/** The format called `name` (an id or an alias), if any. */
export function formatOf(name: string): FormatDescriptor | undefined {
  return byName.get(name);
}

/** Every format's id (built-ins first, then plugins in the order registered). */
export function formatIds(): string[] {
  return [...formats.keys()];
}

/** The rate a file of `format` gets when `requested` Hz is asked for: the nearest it can store (the higher on a tie). */
export function outputSampleRate(format: FormatDescriptor, requested: number): number {
  const rates = format.sampleRates;
  if (!rates) return requested;
  return rates.reduce((best, rate) => {
    const d = Math.abs(rate - requested) - Math.abs(best - requested);
    return d < 0 || (d === 0 && rate > best) ? rate : best;
  });
}

/** Whether `name` can be recorded here with the options of `query` (its sample rate as asked: it is mapped to the format's). */
export async function isFormatSupported(name: string, query: FormatQuery): Promise<boolean> {
  const format = formatOf(name);
  if (!format) return false;
  try {
    return (await format.supports({ ...query, sampleRate: outputSampleRate(format, query.sampleRate) })) === true;
  } catch {
    return false;
  }
}

/** The formats that can be recorded here with `query` (for error messages). */
export async function supportedFormats(query: FormatQuery): Promise<string[]> {
  const ids = formatIds();
  const answers = await Promise.all(ids.map((id) => isFormatSupported(id, { ...query, container: undefined })));
  return ids.filter((_, i) => answers[i]);
}

/** The file name extension for a recording of `mimeType`: the format's that writes it ('bin' for none of tapedeck's). */
export function fileExtension(mimeType: string): string {
  const base = mimeType.split(';')[0];
  if (base === 'video/webm') return 'webm'; // TrackRecorder's video segments (the browser's MediaRecorder)
  for (const format of formats.values()) {
    for (const container of format.containers.length > 0 ? format.containers : ['']) {
      if (format.mimeType({ sampleRate: 48000, channels: 1, container }).split(';')[0] === base) return format.extension(container);
    }
  }
  return 'bin';
}
