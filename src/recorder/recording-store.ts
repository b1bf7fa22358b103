import { Recording } from './recording';

/** A recording kept in OPFS: its files' id, and the release of the lock that keeps recovery away from it. */
export interface Persisted {
  id: string;
  release: () => void;
}

/**
 * The recordings a recorder has made: the last one (Roblox's temporary content), one that ended by itself and
 * that stopRecording() has not handed out yet, and every Blob URL made, so that dispose() can revoke them all.
 */
export class RecordingStore {
  private readonly urls = new Set<string>();
  private readonly persisted = new Map<string, Persisted>();
  /** The last finished recording, or null. */
  last: Recording | null = null;
  /** A recording that ended by itself (a limit, lost input) and that stopRecording() has not handed out yet. */
  unclaimed: Recording | null = null;

  /** Makes a Recording of `blob` with a new Blob URL; it becomes the last one. */
  keep(blob: Blob, frames: number, sampleRate: number, channels: number, persisted: Persisted | null = null): Recording {
    const url = URL.createObjectURL(blob);
    this.urls.add(url);
    if (persisted) this.persisted.set(url, persisted);
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
  clearLast(): Persisted[] {
    const dropped: Persisted[] = [];
    if (this.last) {
      URL.revokeObjectURL(this.last.url);
      this.urls.delete(this.last.url);
      const persisted = this.persisted.get(this.last.url);
      if (persisted) dropped.push(persisted);
      this.persisted.delete(this.last.url);
    }
    this.last = null;
    this.unclaimed = null;
    return dropped;
  }

  /** Revokes every URL made and forgets every recording. Returns their OPFS files to delete. */
  revokeAll(): Persisted[] {
    for (const url of this.urls) URL.revokeObjectURL(url);
    const dropped = [...this.persisted.values()];
    this.urls.clear();
    this.persisted.clear();
    this.last = null;
    this.unclaimed = null;
    return dropped;
  }
}
