// Outage: an MP3 take uploading to a tus server that goes away for half of it. What does the outage cost in memory?
// The upload reads the take's own file (in OPFS, or the recording in memory), so the unsent bytes are never copied.
import { startFaultProxy } from '../tests/support/fault-proxy';
import { chromiumProcesses, openBenchPage, RECORDER_ROLES, residentOf } from './browser';

/** Prints a markdown table: heap and renderer RSS growth during the outage, with and without OPFS. */
export async function benchOutage(seconds: number, outageSeconds: number): Promise<string[]> {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const rows = [
    `${seconds} s MP3 take (128 kb/s, 16 kB/s), the tus server down from ${seconds / 4} s for ${outageSeconds} s.`,
    '',
    '| kept in | file MB | unsent at the outage\'s end MB | page JS heap growth during the outage MB (after gc) | renderer + audio RSS growth during the outage MB | upload complete after stop s | server file = Recording |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const persist of ['memory', 'opfs'] as const) {
    const proxy = await startFaultProxy();
    const { browser, page } = await openBenchPage(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
    await page.evaluate(
      async ({ persist, endpoint }) => {
        const w = window as unknown as { Tapedeck: typeof import('../src/index'); recorder: InstanceType<typeof import('../src/index').AudioRecorder>; committed: number };
        w.committed = 0;
        w.recorder = new w.Tapedeck.AudioRecorder({ encoder: 'mp3', persist, upload: { endpoint, retryDelaysMs: [0, 500, 1000, 2000] } });
        w.recorder.on('uploadprogress', ({ bytesCommitted }) => (w.committed = bytesCommitted));
        await w.recorder.startRecording();
      },
      { persist, endpoint: proxy.endpoint },
    );
    const heap = () =>
      page.evaluate(() => {
        (window as unknown as { gc: () => void }).gc();
        return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
      });
    await new Promise((r) => setTimeout(r, (seconds / 4) * 1000));
    await proxy.set('down');
    const heapBefore = await heap();
    const rssBefore = residentOf(chromiumProcesses(), RECORDER_ROLES);
    await new Promise((r) => setTimeout(r, outageSeconds * 1000));
    const heapAfter = await heap();
    const rssAfter = residentOf(chromiumProcesses(), RECORDER_ROLES);
    const unsent = await page.evaluate(() => (window as unknown as { committed: number }).committed);
    await proxy.set('pass');
    await new Promise((r) => setTimeout(r, (seconds - seconds / 4 - outageSeconds) * 1000));
    const out = await page.evaluate(async () => {
      const { recorder } = window as unknown as { recorder: InstanceType<typeof import('../src/index').AudioRecorder> };
      await recorder.stopRecording();
      const stopped = performance.now();
      const url = await recorder.uploadDone!;
      const rec = recorder.getTemporaryContent()!;
      const bytes = new Uint8Array(await rec.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { url, afterStopS: (performance.now() - stopped) / 1000, size: rec.size, bytes: btoa(text) };
    });
    const sent = Buffer.from(out.bytes, 'base64');
    const bytesAtOutageEnd = ((seconds / 4 + outageSeconds) / seconds) * out.size;
    rows.push(
      `| ${persist} | ${mb(out.size)} | ${mb(bytesAtOutageEnd - unsent)} | ${mb(heapAfter - heapBefore)} | ${mb(rssAfter - rssBefore)} | ${out.afterStopS.toFixed(1)} | ${proxy.stored(out.url).equals(sent) ? 'yes' : 'NO'} |`,
    );
    console.error(rows.at(-1));
    await browser.close();
    await proxy.stop();
  }
  return rows;
}
