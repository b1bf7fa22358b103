/**
 * The pre-roll ring of the capture processor (audio thread): while a take is paused, the last `capacityFrames` of its
 * input are kept in pool chunks, so that resume() can put them at the head of what follows (options.preRollMs, and
 * the voice activity's startOnSpeech, which reaches back to where speech began). Allocation-free: chunks come from
 * and go back to the processor's pool; the queue is a fixed circular array.
 */
import { ringChunks } from './protocol';

/**
 * Writes `n` frames of `input` from frame `from`, times `gain`, into planar `chunk` (channel c at
 * [c · chunkFrames, …)) at frame `at`; a channel the input lacks is silence. Allocates nothing.
 */
export function copyScaled(chunk: Float32Array, chunkFrames: number, at: number, input: Float32Array[] | undefined, from: number, n: number, gain: number, channels: number): void {
  for (let c = 0; c < channels; c++) {
    const offset = c * chunkFrames + at;
    const source = input !== undefined && c < input.length ? input[c]! : null;
    if (source === null) chunk.fill(0, offset, offset + n);
    else for (let i = 0; i < n; i++) chunk[offset + i] = source[from + i]! * gain;
  }
}

/** Takes a free chunk from the pool (null when it is dry), and gives one back. */
export interface ChunkPool {
  take(): Float32Array | null;
  give(chunk: Float32Array): void;
}

export class PreRollRing {
  /** Full chunks and, last, the one being filled: a circular queue of `slots.length`. */
  private readonly slots: (Float32Array | null)[];
  private head = 0;
  private count = 0;
  /** Frames in the last chunk. */
  private lastFill = 0;

  /**
   * @param capacityFrames frames kept at most (the oldest go first)
   * @param chunkFrames frames per chunk; planar, channel c at [c · chunkFrames, …)
   */
  constructor(
    readonly capacityFrames: number,
    private readonly chunkFrames: number,
    private readonly channels: number,
    private readonly pool: ChunkPool,
  ) {
    this.slots = new Array<Float32Array | null>(ringChunks(capacityFrames, chunkFrames)).fill(null);
  }

  /** Frames held now. */
  get frames(): number {
    return this.count === 0 ? 0 : (this.count - 1) * this.chunkFrames + this.lastFill;
  }

  /** Keeps `frames` frames of `input` from `from`, times `gain` (a missing channel is silence). */
  push(input: Float32Array[] | undefined, from: number, frames: number, gain: number): void {
    let read = 0;
    while (read < frames) {
      if (this.count === 0 || this.lastFill === this.chunkFrames) {
        if (!this.grow()) return; // no chunk to be had: this quantum is not kept
      }
      const chunk = this.slots[(this.head + this.count - 1) % this.slots.length]!;
      const n = Math.min(frames - read, this.chunkFrames - this.lastFill);
      copyScaled(chunk, this.chunkFrames, this.lastFill, input, from + read, n, gain, this.channels);
      this.lastFill += n;
      read += n;
    }
  }

  /**
   * Hands over the last `frames` frames held (fewer if fewer are held), oldest first, each chunk to `send` with its
   * frame count; the ring is empty after. Returns the frames handed over.
   */
  drain(frames: number, send: (chunk: Float32Array, frames: number) => void): number {
    const kept = Math.min(frames, this.frames);
    let skip = this.frames - kept;
    while (this.count > 0) {
      const chunk = this.shift();
      const fill = this.count === 0 ? this.lastFill : this.chunkFrames;
      if (skip >= fill) {
        skip -= fill;
        this.pool.give(chunk);
        continue;
      }
      if (skip > 0) {
        for (let c = 0; c < this.channels; c++) chunk.copyWithin(c * this.chunkFrames, c * this.chunkFrames + skip, c * this.chunkFrames + fill);
      }
      send(chunk, fill - skip);
      skip = 0;
    }
    this.lastFill = 0;
    return kept;
  }

  /** Gives every chunk back to the pool. */
  clear(): void {
    while (this.count > 0) this.pool.give(this.shift());
    this.lastFill = 0;
  }

  /**
   * A new last chunk: the oldest one once the others cover the capacity, else from the pool; with the pool dry, the
   * oldest anyway (the ring then holds less, but always the newest frames, in one run).
   */
  private grow(): boolean {
    let chunk: Float32Array | null = null;
    if (this.count > 1 && (this.frames - this.chunkFrames >= this.capacityFrames || this.count === this.slots.length)) chunk = this.shift();
    chunk ??= this.pool.take();
    if (chunk === null && this.count > 0) chunk = this.shift();
    if (chunk === null) return false; // nothing held and nothing to hold with: the quantum is lost, the ring stays empty
    this.slots[(this.head + this.count) % this.slots.length] = chunk;
    this.count++;
    this.lastFill = 0;
    return true;
  }

  private shift(): Float32Array {
    const chunk = this.slots[this.head]!;
    this.slots[this.head] = null;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    return chunk;
  }
}
