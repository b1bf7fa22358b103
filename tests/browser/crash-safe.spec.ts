import { expect, test, type Page } from '@playwright/test';
import { dominantFrequency } from '../support/signal';
import { createRecorder, openHarness, type HarnessWindow } from './helpers';

/** Recovers in `page`; returns each take's facts and its first channel decoded at its own rate. */
async function recover(page: Page) {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const recovered = await Tapedeck.AudioRecorder.recover();
    return Promise.all(
      recovered.map(async (r) => {
        const audio = await new OfflineAudioContext(1, 1, r.sampleRate).decodeAudioData(await r.arrayBuffer());
        return { id: r.id, mimeType: r.mimeType, durationMs: r.durationMs, decodedMs: audio.duration * 1000, sampleRate: r.sampleRate, samples: Array.from(audio.getChannelData(0)) };
      }),
    );
  });
  return out.map((r) => ({ ...r, samples: Float32Array.from(r.samples) }));
}

async function discardAll(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    for (const r of await Tapedeck.AudioRecorder.recover()) await Tapedeck.AudioRecorder.discardRecovered(r.id);
  });
}

async function startPersisted(page: Page, encoder: string): Promise<void> {
  await createRecorder(page, { encoder, persist: 'opfs', channels: 1, sampleRate: encoder === 'opus' ? 48000 : 44100 } as never);
  await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    await audioClock.wait(3000);
  });
}

for (const encoder of ['wav', 'mp3', 'opus']) {
  test(`crash-safe, ${encoder}: a take whose page crashed comes back from recover(), playable`, async ({ context }) => {
    const page = await context.newPage();
    await openHarness(page);
    await discardAll(page);
    await startPersisted(page, encoder);
    const crashed = page.waitForEvent('crash');
    const cdp = await context.newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;

    const again = await context.newPage();
    const said: string[] = [];
    again.on('console', (message) => said.push(message.text()));
    await openHarness(again);
    const takes = await recover(again);
    expect(takes, `recover() said: ${said.join(' | ')}`).toHaveLength(1);
    const [take] = takes;
    expect(take!.mimeType).toBe({ wav: 'audio/wav', mp3: 'audio/mpeg', opus: 'audio/webm;codecs=opus' }[encoder]);
    expect(take!.durationMs).toBeGreaterThan(2500);
    expect(Math.abs(take!.decodedMs - take!.durationMs)).toBeLessThan(60);
    expect(Math.abs(dominantFrequency(take!.samples, take!.sampleRate) - 440)).toBeLessThan(5);

    await discardAll(again);
    expect(await recover(again)).toHaveLength(0);
  });
}

test('crash-safe, a page closed without stopping leaves a recoverable take; a finished one leaves nothing', async ({ context }) => {
  const page = await context.newPage();
  await openHarness(page);
  await discardAll(page);
  await startPersisted(page, 'wav');
  await page.close();

  const again = await context.newPage();
  await openHarness(again);
  const takes = await recover(again);
  expect(takes).toHaveLength(1);
  expect(takes[0]!.durationMs).toBeGreaterThan(2500);
  await discardAll(again);

  // A take that is stopped normally is file-backed while the recorder lives, invisible to recover(), and deleted by dispose().
  await createRecorder(again, { persist: 'opfs', channels: 1 } as never);
  const out = await again.evaluate(async () => {
    const { recorder, Tapedeck, audioClock } = window as unknown as HarnessWindow;
    await recorder.startRecording();
    const during = (await Tapedeck.AudioRecorder.recover()).length; // live: locked
    await audioClock.wait(500);
    await recorder.stopRecording();
    const blob = recorder.getTemporaryContent()!.blob;
    const readable = (await blob.arrayBuffer()).byteLength;
    const afterStop = (await Tapedeck.AudioRecorder.recover()).length;
    recorder.dispose();
    await new Promise((r) => setTimeout(r, 200));
    return { during, readable, size: blob.size, afterStop, names: await (window as unknown as HarnessWindow).opfsNames() };
  });
  expect(out).toMatchObject({ during: 0, afterStop: 0, names: [] });
  expect(out.readable).toBe(out.size);
  expect(out.size).toBeGreaterThan(40_000);
});

test('crash-safe, without OPFS the take is kept in memory and a warning says it is not crash-safe', async ({ page }) => {
  await openHarness(page);
  await createRecorder(page, { persist: 'opfs', channels: 1, workerUrl: '/tests/browser/pages/no-opfs-worker.js' } as never);
  const out = await page.evaluate(async () => {
    const { recorder, audioClock } = window as unknown as HarnessWindow;
    const warnings: string[] = [];
    // (Gaps in the input are warnings too: only the storage's are counted here.)
    recorder.on('warning', ({ message }) => /File System/.test(message) && warnings.push(message));
    await recorder.startRecording();
    await audioClock.wait(600);
    await recorder.stopRecording();
    return { warnings, durationMs: recorder.getTemporaryContent()!.durationMs };
  });
  expect(out.warnings).toHaveLength(1);
  expect(out.warnings[0]).toMatch(/Origin Private File System cannot be used.*kept in memory/);
  expect(out.durationMs).toBeGreaterThan(550);
});
