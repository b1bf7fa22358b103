// What one main-thread task costs here: the microphone open into an AudioWorklet, and the main thread woken 20 times
// a second by the worklet's port (a level meter at 50 ms) or by a timer, against not at all. This is the floor under
// any recorder that tells the page something 20 times a second. In the same browsers, what a stop's file is made of
// costs here with nothing recording: a Blob made in a worker, and a Blob URL on the main thread.
import { launchWithMicrophone, median, PORT, range } from './browser';
const MODES = [
  ['none', 'nothing wakes the main thread'],
  ['port', 'a worklet message every 50 ms'],
  ['timer', 'a timer every 50 ms'],
] as const;

/** What making the file at stop costs here (ms, every rep of every run): see wakeups.html's blobCosts. */
export interface BlobCosts {
  bytes64k: number[];
  bytes4k: number[];
  blobs: number[];
  objectUrl: number[];
}

/** How many times each Blob cost is timed per browser. */
const BLOB_REPS = 10;

/** Main-thread busy ms per second of each mode, and the Blob costs; `runs` fresh browsers each, `seconds` measured. */
export async function benchWakeups(input: string, runs: number, seconds = 10): Promise<{ lines: string[]; perTaskMs: number; blobs: BlobCosts; blobLines: string[] }> {
  const busy = new Map<string, number[]>(MODES.map(([mode]) => [mode, []]));
  const blobs: BlobCosts = { bytes64k: [], bytes4k: [], blobs: [], objectUrl: [] };
  for (let run = 0; run < runs; run++) {
    for (const [mode] of MODES) {
      const browser = await launchWithMicrophone(input);
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${PORT}/bench/pages/wakeups.html?mode=${mode}`);
        await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
        await page.evaluate(() => (window as unknown as { start(): Promise<void> }).start());
        await new Promise((r) => setTimeout(r, 1000));
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const taskS = async () => ((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.find((m) => m.name === 'TaskDuration')!.value;
        const before = await taskS();
        await new Promise((r) => setTimeout(r, seconds * 1000));
        busy.get(mode)!.push(((await taskS()) - before) * 1000 / seconds);
        if (mode === 'none') {
          const costs = await page.evaluate((reps) => (window as unknown as { blobCosts(reps: number): Promise<BlobCosts> }).blobCosts(reps), BLOB_REPS);
          for (const kind of Object.keys(blobs) as Array<keyof BlobCosts>) blobs[kind].push(...costs[kind]);
        }
      } finally {
        await browser.close();
      }
    }
  }
  const none = median(busy.get('none')!);
  const lines = ['| main thread woken by | busy (ms per s) | per wake-up (ms) |', '|---|---|---|'];
  for (const [mode, label] of MODES) {
    const values = busy.get(mode)!;
    const perTask = mode === 'none' ? '—' : ((median(values) - none) / 20).toFixed(3);
    lines.push(`| ${label} | ${median(values).toFixed(2)} (${range(values, 2)}) | ${perTask} |`);
  }
  const blobLines = [
    `| made, with nothing recording | ms, median (range) of ${blobs.objectUrl.length} |`,
    '|---|---|',
    `| a Blob of 64 KiB of bytes, in a worker (the pending bytes at stop are up to 64 KiB, WebM's up to 128) | ${median(blobs.bytes64k).toFixed(2)} (${range(blobs.bytes64k, 2)}) |`,
    `| a Blob of 4 KiB of bytes, in a worker (a file's head) | ${median(blobs.bytes4k).toFixed(2)} (${range(blobs.bytes4k, 2)}) |`,
    `| a Blob of two Blobs, in a worker (sealed parts) | ${median(blobs.blobs).toFixed(2)} (${range(blobs.blobs, 2)}) |`,
    `| URL.createObjectURL, on the main thread | ${median(blobs.objectUrl).toFixed(2)} (${range(blobs.objectUrl, 2)}) |`,
  ];
  return { lines, perTaskMs: (median(busy.get('port')!) - none) / 20, blobs, blobLines };
}
