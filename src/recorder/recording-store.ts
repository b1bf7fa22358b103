import type { TakeFiles } from '../take/take-files';
import { Recording } from './recording';
import { UrlLedger } from './url-ledger';

/**
 * The recordings a recorder has made: the last one (Roblox's temporary content), one that ended by itself and that
 * stopRecording() has not handed out yet, every Blob URL made (so that dispose() can revoke them all), and the files
 * of those kept in OPFS (deleted when their recording is let go).
 */
export class RecordingStore {
  private readonly urls = new UrlLedger();
  private readonly files = new Map<string, TakeFiles>();
  /** The last finished recording, or null. */
  last: Recording | null = null;
  /** A recording that ended by itself (a limit, lost input) and that stopRecording() has not handed out yet. */
  unclaimed: Recording | null = null;

  /** Makes a Recording of `blob` with a new Blob URL; it becomes the last one. */
  keep(blob: Blob, frames: number, sampleRate: number, channels: number, files: TakeFiles | null): Recording {
    const url = this.urls.create(blob);
    if (files) this.files.set(url, files);
    this.last = new Recording(blob, url, (frames / sampleRate) * 1000, sampleRate, channels);
    return this.last;
  }

  /** Hands out the unclaimed recording once; null if there is none. */
  claim(): Recording | null {
    const recording = this.unclaimed;
    this.unclaimed = null;
    return recording;
  }

  /** Drops the last recording and revokes its URL; earlier URLs stay valid. Returns its OPFS files to delete, if any. */
  clearLast(): TakeFiles[] {
    const dropped: TakeFiles[] = [];
    if (this.last) {
      this.urls.revoke(this.last.url);
      const files = this.files.get(this.last.url);
      if (files) dropped.push(files);
      this.files.delete(this.last.url);
    }
    this.last = null;
    this.unclaimed = null;
    return dropped;
  }

  /** Revokes every URL made and forgets every recording. Returns their OPFS files to delete. */
  revokeAll(): TakeFiles[] {
    this.urls.revokeAll();
    const dropped = [...this.files.values()];
    this.files.clear();
    this.last = null;
    this.unclaimed = null;
    return dropped;
  }
}
