/** Rebuilding an MP3 that a crash cut short, for recovery. Runs in the mp3 codec file. */
import { mp3InfoFrame } from './mp3-info-frame';
import { readMp3FrameHeader } from './mp3-frames';

/** An MP3 whose writing stopped anywhere (its Info frame still a placeholder), cut to whole frames with a true Info frame. */
export function rebuildMp3(bytes: Uint8Array, type: string): { blob: Blob; frames: number } | null {
  const info = readMp3FrameHeader(bytes, 0);
  if (!info) return null;
  let end = info.length;
  let frames = 0;
  let first = null;
  for (;;) {
    const header = readMp3FrameHeader(bytes, end);
    if (!header || end + header.length > bytes.length) break; // the last frame was cut short: drop it
    first ??= { header: bytes.slice(end, end + 4), parsed: header };
    end += header.length;
    frames++;
  }
  if (!first) return null;
  // The exact sample count died with the tab: count whole frames, less LAME's delay.
  const samples = Math.max(0, frames * first.parsed.samples - 1105);
  const infoFrame = mp3InfoFrame({ firstHeader: first.header, frames, bytes: end, samples, kilobitRate: first.parsed.bitRate }, first.parsed);
  return { blob: new Blob([infoFrame as BlobPart, bytes.slice(info.length, end)], { type }), frames: samples };
}
