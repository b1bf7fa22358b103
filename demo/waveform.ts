// Drawing for the demo: a scrolling level trace while recording, and a take's waveform (min/max per pixel column).

const ACCENT = '#d6452f';
/** Speech segments under a take's waveform. */
const SPEECH = 'rgba(60, 160, 90, 0.35)';

/** A canvas that scrolls one bar per level report. */
export class LiveTrace {
  private readonly levels: number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Adds a level (dBFS) and redraws. */
  push(db: number): void {
    const width = (this.canvas.width = this.canvas.clientWidth);
    const height = this.canvas.height;
    this.levels.push(Math.max(0, (db + 60) / 60));
    const bars = Math.floor(width / 3);
    if (this.levels.length > bars) this.levels.splice(0, this.levels.length - bars);
    const g = this.canvas.getContext('2d')!;
    g.clearRect(0, 0, width, height);
    g.fillStyle = ACCENT;
    this.levels.forEach((level, i) => {
      const h = Math.max(1, level * height);
      g.fillRect(width - (this.levels.length - i) * 3, (height - h) / 2, 2, h);
    });
  }

  /** Clears the trace. */
  clear(): void {
    this.levels.length = 0;
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }
}

/** Draws `samples` into `canvas` as min/max per pixel column, with `segments` (ms, of `durationMs` in all) shaded under it. */
export function drawWaveform(canvas: HTMLCanvasElement, samples: Float32Array, segments: readonly { startMs: number; endMs: number }[] = [], durationMs = 0): void {
  const width = (canvas.width = canvas.clientWidth || 600);
  const height = canvas.height;
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, width, height);
  g.fillStyle = SPEECH;
  for (const { startMs, endMs } of durationMs > 0 ? segments : []) {
    g.fillRect((startMs / durationMs) * width, 0, Math.max(1, ((endMs - startMs) / durationMs) * width), height);
  }
  g.fillStyle = ACCENT;
  const per = Math.max(1, Math.floor(samples.length / width));
  for (let x = 0; x < width; x++) {
    let min = 1;
    let max = -1;
    for (let i = x * per; i < Math.min(samples.length, (x + 1) * per); i++) {
      min = Math.min(min, samples[i]!);
      max = Math.max(max, samples[i]!);
    }
    if (max < min) continue;
    g.fillRect(x, ((1 - max) / 2) * height, 1, Math.max(1, ((max - min) / 2) * height));
  }
}
