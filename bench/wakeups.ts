// What one main-thread task costs here: the microphone open into an AudioWorklet, and the main thread woken 20 times
// a second by the worklet's port (a level meter at 50 ms) or by a timer, against not at all. This is the floor under
// any recorder that tells the page something 20 times a second.
import { launchWithMicrophone, median, PORT, range } from './browser';
const MODES = [
  ['none', 'nothing wakes the main thread'],
  ['port', 'a worklet message every 50 ms'],
  ['timer', 'a timer every 50 ms'],
] as const;

/** Main-thread busy ms per second of each mode; `runs` fresh browsers each, `seconds` measured. */
export async function benchWakeups(input: string, runs: number, seconds = 10): Promise<{ lines: string[]; perTaskMs: number }> {
  const busy = new Map<string, number[]>(MODES.map(([mode]) => [mode, []]));
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
  return { lines, perTaskMs: (median(busy.get('port')!) - none) / 20 };
}
