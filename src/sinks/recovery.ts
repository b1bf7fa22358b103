/**
 * Rebuilds takes that never finished (the tab crashed, reloaded or closed while recording) from their OPFS files
 * into playable files: WAV gets its header's sizes, raw PCM is cut to whole frames, MP3 is cut at its last whole
 * frame and gets a true Info frame, and containers (WebM, Ogg, FLAC) are remuxed by mediabunny so they carry their
 * duration. Runs in the encoder worker.
 */
import { WAV_HEADER_BYTES, wavHeader } from '../containers/wav-header';
import { importCodec } from '../encoders/codec-files';
import type { RecoveredTake } from '../worklets-host/protocol';
import { discardFiles, lockName, opfsFolder, type Journal } from './opfs-store';

async function heldLocks(): Promise<Set<string>> {
  const state = await navigator.locks?.query();
  return new Set((state?.held ?? []).map((lock) => lock.name ?? ''));
}

async function rebuild(journal: Journal, file: File): Promise<{ blob: Blob; frames: number } | null> {
  const type = journal.mimeType;
  const blockAlign = journal.channels * 2;
  if (journal.appendOnly) return keepAsWritten(journal, file);
  switch (journal.encoder) {
    case 'wav': {
      const dataBytes = Math.floor(Math.max(0, file.size - WAV_HEADER_BYTES) / blockAlign) * blockAlign;
      const header = wavHeader({ sampleRate: journal.sampleRate, channels: journal.channels, bitsPerSample: 16 }, dataBytes);
      return { blob: new Blob([header as BlobPart, file.slice(WAV_HEADER_BYTES, WAV_HEADER_BYTES + dataBytes)], { type }), frames: dataBytes / blockAlign };
    }
    case 'pcm16': {
      const bytes = Math.floor(file.size / blockAlign) * blockAlign;
      return { blob: new Blob([file.slice(0, bytes)], { type }), frames: bytes / blockAlign };
    }
    case 'mp3':
      return (await importCodec('mp3')).rebuildMp3(new Uint8Array(await file.arrayBuffer()), type);
    default:
      return remuxTake(file, type);
  }
}

/**
 * An append-only take (one being uploaded) keeps the bytes it had, so that its upload can resume from the server's
 * offset: PCM cut to whole frames, MP3 to whole frames, other containers as they are (their stream formats carry no
 * final index to fix).
 */
function keepAsWritten(journal: Journal, file: File): { blob: Blob; frames: number } {
  const type = journal.mimeType;
  const blockAlign = journal.channels * 2;
  if (journal.encoder === 'wav' || journal.encoder === 'pcm16') {
    const head = journal.encoder === 'wav' ? WAV_HEADER_BYTES : 0;
    const frames = Math.floor(Math.max(0, file.size - head) / blockAlign);
    return { blob: file.slice(0, head + frames * blockAlign, type), frames };
  }
  return { blob: file.slice(0, file.size, type), frames: journal.frames };
}

/** A container take, remuxed so that it states its duration. */
async function remuxTake(file: File, type: string): Promise<{ blob: Blob; frames: number } | null> {
  const remuxed = await (await importCodec('media')).remux(file, type);
  return remuxed && { blob: remuxed.blob, frames: Math.round(remuxed.durationS * (remuxed.audioSampleRate ?? 48000)) };
}

/** Every take in OPFS that never finished and is not live in any tab, rebuilt; finished leftovers are deleted. */
export async function recoverTakes(): Promise<{ takes: RecoveredTake[]; failures: string[] }> {
  const folder = await opfsFolder();
  const held = await heldLocks();
  const takes: RecoveredTake[] = [];
  const failures: string[] = [];
  for await (const [name, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (!name.endsWith('.json') || handle.kind !== 'file') continue;
    let journal: Journal;
    try {
      journal = JSON.parse(await (await (handle as FileSystemFileHandle).getFile()).text()) as Journal;
    } catch {
      continue; // a journal cut mid-write: its take is listed on the next update, or never existed
    }
    if (held.has(lockName(journal.id))) continue;
    if (journal.status === 'stopped') {
      await discardFiles(journal.id);
      continue;
    }
    try {
      const file = await (await folder.getFileHandle(`${journal.id}.bin`)).getFile();
      const rebuilt = await rebuild(journal, file);
      if (rebuilt) takes.push({ id: journal.id, startedAt: journal.startedAt, sampleRate: journal.sampleRate, channels: journal.channels, ...rebuilt });
      else failures.push(`${journal.id} (${journal.encoder}): nothing playable could be rebuilt`);
    } catch (error) {
      failures.push(`${journal.id} (${journal.encoder}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { takes, failures };
}
