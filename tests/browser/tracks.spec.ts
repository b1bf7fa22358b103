import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { dominantFrequency, relativeLevelDb, rms } from '../support/signal';
import { ffprobe, openHarness, type HarnessWindow } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** A file of the page's TrackRecorder (window.tracks), decoded by the browser at 48 kHz. */
interface DecodedFile {
  filePath: string;
  fileName: string;
  mimeType: string;
  durationMs: number;
  decodedMs: number;
  samples: Float32Array;
}

async function decodeFiles(page: Page): Promise<DecodedFile[]> {
  const files = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & { tracks: InstanceType<HarnessWindow['Tapedeck']['TrackRecorder']> };
    const tree = w.tracks.getFiles();
    const all = Object.values(tree).flatMap((kinds) => Object.values(kinds).flat());
    return Promise.all(
      all.map(async (file) => {
        const audio = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(await (await fetch(file.fileUrl)).arrayBuffer());
        const samples = audio.getChannelData(0);
        let text = '';
        const bytes = new Uint8Array(samples.buffer);
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { filePath: file.filePath, fileName: file.fileName, mimeType: file.mimeType, durationMs: file.durationMs, decodedMs: audio.duration * 1000, samples: btoa(text) };
      }),
    );
  });
  return files.map((f) => {
    const bytes = Buffer.from(f.samples, 'base64');
    return { ...f, samples: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) };
  });
}

test('tracks, two participants: toggling the first off and on twice gives it 3 segments, the second 1, each its own tone', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & { tracks: unknown };
    const { audioClock } = w;
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-1' });
    w.tracks = tracks;
    const alice = w.toneTrack(440);
    const bob = w.toneTrack(880);
    await tracks.startTrackRecording({ participantId: 'alice', kind: 'audio', track: alice });
    let since = audioClock.now();
    await tracks.startTrackRecording({ participantId: 'bob', kind: 'audio', stream: new MediaStream([bob]) });
    const on: number[] = [];
    for (let i = 0; i < 2; i++) {
      await audioClock.wait(500);
      alice.enabled = false; // the participant mutes
      on.push(audioClock.now() - since);
      await audioClock.wait(400);
      alice.enabled = true;
      since = audioClock.now();
    }
    await audioClock.wait(500);
    on.push(audioClock.now() - since);
    await tracks.stopTrackRecording({ participantId: 'alice', kind: 'audio' });
    await tracks.stopTrackRecording({ participantId: 'bob', kind: 'audio' });
    return { on };
  });
  const files = await decodeFiles(page);
  const alice = files.filter((f) => f.filePath.startsWith('room-1/alice/audio/'));
  const bob = files.filter((f) => f.filePath.startsWith('room-1/bob/audio/'));
  expect(alice).toHaveLength(3);
  expect(bob).toHaveLength(1);
  expect(files).toHaveLength(4);
  for (const file of files) {
    expect(file.fileName).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z_00\d\.webm$/);
    expect(file.mimeType).toMatch(/^audio\/webm/);
    expect(Math.abs(file.decodedMs - file.durationMs)).toBeLessThan(25);
  }
  // Names sort in time order, numbered 1, 2, 3.
  expect(alice.map((f) => f.fileName.slice(-8))).toEqual(['001.webm', '002.webm', '003.webm']);
  expect([...alice.map((f) => f.fileName)].sort()).toEqual(alice.map((f) => f.fileName));
  alice.forEach((file, i) => {
    // Each segment is the time the track was on (on the audio clock): `enabled` fires no event and is polled every
    // 50 ms, so an edge is seen one poll late, or a few on a busy machine; an armed take starts within a quantum.
    expect(file.durationMs).toBeGreaterThan(out.on[i]! - 150);
    expect(file.durationMs).toBeLessThan(out.on[i]! + 150);
    expect(Math.abs(dominantFrequency(file.samples, 48000) - 440)).toBeLessThan(5);
    expect(relativeLevelDb(file.samples, 48000, 880)).toBeLessThan(-30);
  });
  expect(Math.abs(dominantFrequency(bob[0]!.samples, 48000) - 880)).toBeLessThan(5);
  expect(relativeLevelDb(bob[0]!.samples, 48000, 440)).toBeLessThan(-30);
  expect(bob[0]!.durationMs).toBeGreaterThan(2200);
});

/** Two RTCPeerConnections in the page, `a` sending to `b`; resolves with b's remote track and receiver. */
const LOOPBACK = `
  window.loopback = async (track) => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    const sender = a.addTrack(track);
    const remote = new Promise((resolve) => (b.ontrack = (e) => resolve({ track: e.track, receiver: e.receiver })));
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    return { a, b, sender, ...(await remote) };
  };`;

interface LoopbackWindow {
  loopback(track: MediaStreamTrack | null): Promise<{ a: RTCPeerConnection; b: RTCPeerConnection; sender: RTCRtpSender; track: MediaStreamTrack; receiver: RTCRtpReceiver }>;
}

test('tracks, WebRTC loopback: the remote track records; replaceTrack(null) then a new track on the sender starts a new segment', async ({ page }) => {
  await page.addScriptTag({ content: LOOPBACK });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & LoopbackWindow & { tracks: unknown };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const { a, b, sender, track, receiver } = await w.loopback(w.toneTrack(440));
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'call' });
    w.tracks = tracks;
    const segments: number[] = [];
    tracks.on('segment', (file) => segments.push(performance.now()));
    await tracks.startTrackRecording({ participantId: 'remote', kind: 'audio', track, receiver });
    await sleep(1200);
    await sender.replaceTrack(null); // the far end turns its microphone off
    const offAt = performance.now();
    await new Promise<void>((resolve) => tracks.once('segment', () => resolve()));
    const cutAfterMs = performance.now() - offAt;
    await sleep(300);
    await sender.replaceTrack(w.toneTrack(660)); // and on again, as a new track
    await sleep(1200);
    await tracks.stopTrackRecording({ participantId: 'remote', kind: 'audio' });
    a.close();
    b.close();
    return { cutAfterMs, files: segments.length };
  });
  // The receiver sees the packets stop within 0.5-0.7 s (Chromium fires no 'mute' on a remote track), by timers that
  // a busy machine runs late: the segment's length below is the exact check, this one only that it was noticed at all.
  expect(out.cutAfterMs).toBeLessThan(3000);
  const files = await decodeFiles(page);
  expect(files.map((f) => f.filePath.split('/').slice(0, 3).join('/'))).toEqual(['call/remote/audio', 'call/remote/audio']);
  const [first, second] = files as [DecodedFile, DecodedFile];
  expect(Math.abs(dominantFrequency(first.samples.subarray(0, 48000), 48000) - 440)).toBeLessThan(5);
  expect(Math.abs(dominantFrequency(second.samples, 48000) - 660)).toBeLessThan(5);
  expect(relativeLevelDb(second.samples, 48000, 440)).toBeLessThan(-30);
  expect(rms(first.samples, 0, 48000)).toBeGreaterThan(0.6); // the tone, from the first packets on
  expect(rms(second.samples, 0, 48000)).toBeGreaterThan(0.6);
  // The first segment runs until the receiver sees the packets stop: the 1.2 s of tone, then at most ~0.7 s of silence.
  expect(first.durationMs).toBeGreaterThan(1100);
  expect(first.durationMs).toBeLessThan(1200 + out.cutAfterMs + 100);
  expect(second.durationMs).toBeGreaterThan(1000);
});

test('tracks, a canvas captureStream() video track records as a playable WebM with a duration', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & { tracks: unknown };
    const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 120 });
    const g = canvas.getContext('2d')!;
    let frame = 0;
    const draw = setInterval(() => {
      g.fillStyle = `hsl(${(frame++ * 12) % 360} 80% 50%)`;
      g.fillRect(0, 0, 160, 120);
    }, 33);
    const track = canvas.captureStream(30).getVideoTracks()[0]!;
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-2' });
    w.tracks = tracks;
    const calledAt = performance.now();
    await tracks.startTrackRecording({ participantId: 'carol', kind: 'video', track });
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 1500));
    const stopping = performance.now();
    await tracks.stopTrackRecording({ participantId: 'carol', kind: 'video' });
    // Video has no audio clock: the segment lies between the calls' returns (shortest) and their calls (longest).
    const between = { minMs: stopping - started, maxMs: performance.now() - calledAt };
    clearInterval(draw);
    const file = tracks.getFiles().carol!.video![0]!;
    const video = Object.assign(document.createElement('video'), { src: file.fileUrl, muted: true });
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error('the video does not load'));
    });
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { filePath: file.filePath, mimeType: file.mimeType, durationMs: file.durationMs, elementDuration: video.duration, width: video.videoWidth, between, bytes: btoa(text) };
  });
  expect(out.filePath).toMatch(/^room-2\/carol\/video\/.+_001\.webm$/);
  expect(out.mimeType).toMatch(/^video\/webm/);
  // MediaRecorder's own WebM has no duration (the element says Infinity); the remuxed segment states it.
  expect(Number.isFinite(out.elementDuration)).toBe(true);
  // Good to two frames at 30 fps either side (a frame's duration is known only from the next one's time).
  const inWindow = (ms: number) => {
    expect(ms, `${ms} ms, the calls allow ${JSON.stringify(out.between)}`).toBeGreaterThanOrEqual(out.between.minMs - 70);
    expect(ms, `${ms} ms, the calls allow ${JSON.stringify(out.between)}`).toBeLessThanOrEqual(out.between.maxMs + 70);
  };
  inWindow(out.elementDuration * 1000);
  expect(Math.abs(out.durationMs - out.elementDuration * 1000)).toBeLessThan(50);
  expect(out.width).toBe(160);
  const probe = ffprobe(Buffer.from(out.bytes, 'base64'), 'webm');
  if (probe) {
    expect(probe.codec).toMatch(/^vp[89]$/);
    inWindow(probe.durationS * 1000);
    expect(probe.decodeErrors).toBe('');
  }
});

/** A webhook receiver on 127.0.0.1 (with CORS, as the page is on another origin) that keeps what it is sent. */
async function webhookServer(): Promise<{ url: string; received: unknown[]; close(): Promise<void> }> {
  const received: unknown[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'content-type');
    if (request.method === 'OPTIONS') return response.end();
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('tracks, lifecycle events arrive in order with their payloads, and a webhook receives the same JSON', async ({ page }) => {
  const hook = await webhookServer();
  try {
    const events = await page.evaluate(async (webhookUrl) => {
      const w = window as unknown as HarnessWindow & { tracks: unknown };
      const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-3', webhookUrl, fileFormat: 'wav' });
      w.tracks = tracks;
      const events: unknown[] = [];
      for (const type of ['starting', 'started', 'stopping', 'stopped', 'failed'] as const) {
        tracks.on(`participant-track-recording-${type}`, (event) => events.push(event));
      }
      await tracks.startTrackRecording({ participantId: 'dave', kind: 'screen_audio', track: w.toneTrack(440) });
      await new Promise((r) => setTimeout(r, 500));
      await tracks.stopTrackRecording({ participantId: 'dave', kind: 'screen_audio' });
      await tracks.webhooksSettled();
      return events;
    }, hook.url);
    const data = { sessionId: 'room-3', participantId: 'dave', kind: 'screen_audio' };
    expect(events.slice(0, 3)).toEqual([
      { webhookType: 'participant-track-recording-starting', data },
      { webhookType: 'participant-track-recording-started', data },
      { webhookType: 'participant-track-recording-stopping', data },
    ]);
    const stopped = events[3] as { webhookType: string; data: { fileDetails: Array<{ filePath: string; fileUrl: string }> } };
    expect(stopped.webhookType).toBe('participant-track-recording-stopped');
    expect(stopped.data).toMatchObject(data);
    expect(stopped.data.fileDetails).toHaveLength(1);
    expect(stopped.data.fileDetails[0]!.filePath).toMatch(/^room-3\/dave\/screen_audio\/.+_001\.wav$/);
    expect(stopped.data.fileDetails[0]!.fileUrl).toMatch(/^blob:/);
    expect(events).toHaveLength(4);
    expect(hook.received).toEqual(events);
  } finally {
    await hook.close();
  }
});

test('tracks, with the webhook server down the recording completes, and webhook-failed says so for each event', async ({ page }) => {
  const hook = await webhookServer();
  await hook.close(); // nothing listens on that port any more
  const out = await page.evaluate(async (webhookUrl) => {
    const w = window as unknown as HarnessWindow & { tracks: unknown };
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-4', webhookUrl, webhookRetries: 2, webhookBackoffMs: 20 });
    w.tracks = tracks;
    const failures: Array<{ type: unknown; attempts: number; message: string }> = [];
    tracks.on('webhook-failed', ({ payload, attempts, message }) => failures.push({ type: (payload as { webhookType: string }).webhookType, attempts, message }));
    let stopped = 0;
    tracks.on('participant-track-recording-stopped', ({ data }) => (stopped = data.fileDetails.length));
    const began = performance.now();
    await tracks.startTrackRecording({ participantId: 'erin', kind: 'audio', track: w.toneTrack(440) });
    const startMs = performance.now() - began;
    await new Promise((r) => setTimeout(r, 400));
    await tracks.stopTrackRecording({ participantId: 'erin', kind: 'audio' });
    await tracks.webhooksSettled();
    return { failures, stopped, startMs, files: Object.keys(tracks.getFiles().erin ?? {}) };
  }, hook.url);
  expect(out.stopped).toBe(1);
  expect(out.files).toEqual(['audio']);
  expect(out.startMs).toBeLessThan(1000); // recording never waits for the webhook
  expect(out.failures.map((f) => f.type)).toEqual([
    'participant-track-recording-starting',
    'participant-track-recording-started',
    'participant-track-recording-stopping',
    'participant-track-recording-stopped',
  ]);
  for (const failure of out.failures) {
    expect(failure.attempts).toBe(3);
    expect(failure.message).toMatch(/TypeError: Failed to fetch/);
  }
});

test('tracks, a track that ends before any media arrives gives participant-track-recording-failed, not a hang', async ({ page }) => {
  await page.addScriptTag({ content: LOOPBACK });
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & LoopbackWindow;
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-5' });
    const events: Array<{ type: string; reason?: string }> = [];
    for (const type of ['starting', 'started', 'stopping', 'stopped', 'failed'] as const) {
      tracks.on(`participant-track-recording-${type}`, ({ webhookType, data }) => events.push({ type: webhookType.slice(28), reason: (data as { reason?: string }).reason }));
    }
    // A remote track whose sender never sends: the far end leaves before saying a word.
    const { a, b, track, receiver } = await w.loopback(new MediaStreamTrackGenerator({ kind: 'audio' }) as MediaStreamTrack);
    await tracks.startTrackRecording({ participantId: 'frank', kind: 'audio', track, receiver });
    await new Promise((r) => setTimeout(r, 300));
    const failed = new Promise<void>((resolve) => tracks.once('participant-track-recording-failed', () => resolve()));
    b.close(); // ends the remote track
    a.close();
    await Promise.race([failed, new Promise((r) => setTimeout(r, 3000))]);
    // And one that ended before recording was asked for.
    const ended = new MediaStreamTrackGenerator({ kind: 'audio' }) as MediaStreamTrack;
    ended.stop();
    const rejected = await tracks.startTrackRecording({ participantId: 'grace', kind: 'audio', track: ended }).then(() => 'started', (e: { code: string }) => e.code);
    return { events, rejected, files: tracks.getFiles() };
  });
  expect(out.events).toEqual([
    { type: 'starting', reason: undefined },
    { type: 'started', reason: undefined },
    { type: 'stopping', reason: undefined },
    { type: 'failed', reason: 'The track ended before any media arrived.' },
    { type: 'starting', reason: undefined },
    { type: 'failed', reason: 'The track ended before any media arrived.' },
  ]);
  expect(out.rejected).toBe('source-unrecordable');
  expect(out.files).toEqual({});
});

test('tracks, getFiles() is the tree of files and download() one zip of them laid out by path', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & { tracks: unknown };
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-6', fileFormat: 'mp3' });
    w.tracks = tracks;
    await tracks.startTrackRecording({ participantId: 'heidi', kind: 'audio', track: w.toneTrack(440) });
    await tracks.startTrackRecording({ participantId: 'ivan', kind: 'screen_audio', track: w.toneTrack(880) });
    await new Promise((r) => setTimeout(r, 400));
    await tracks.stopTrackRecording({ participantId: 'heidi', kind: 'audio' });
    await tracks.stopTrackRecording({ participantId: 'ivan', kind: 'screen_audio' });
    const tree = tracks.getFiles();
    const shape = Object.fromEntries(Object.entries(tree).map(([who, kinds]) => [who, Object.fromEntries(Object.entries(kinds).map(([kind, files]) => [kind, files!.length]))]));
    const toBase64 = async (blob: Blob) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const files = await Promise.all(Object.values(tree).flatMap((kinds) => Object.values(kinds).flat()).map(async (f) => ({ path: f.filePath, bytes: await toBase64(f.blob) })));
    return { shape, files, zip: await toBase64(await tracks.zip()) };
  });
  expect(out.shape).toEqual({ heidi: { audio: 1 }, ivan: { screen_audio: 1 } });
  const { unzipSync } = await import('fflate');
  const entries = unzipSync(new Uint8Array(Buffer.from(out.zip, 'base64')));
  expect(Object.keys(entries).sort()).toEqual(out.files.map((f) => f.path).sort());
  for (const file of out.files) {
    expect(file.path).toMatch(/^room-6\/(heidi\/audio|ivan\/screen_audio)\/.+_001\.mp3$/);
    expect(Buffer.from(entries[file.path]!).equals(Buffer.from(file.bytes, 'base64'))).toBe(true);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => (window as unknown as { tracks: { download(): Promise<Blob> } }).tracks.download())]);
  expect(download.suggestedFilename()).toBe('room-6.zip');
  const saved = await download.path();
  const { readFileSync } = await import('node:fs');
  expect(Object.keys(unzipSync(new Uint8Array(readFileSync(saved)))).sort()).toEqual(Object.keys(entries).sort());
});

test('tracks, bad input is refused with a code and a message naming what to fix', async ({ page }) => {
  const out = await page.evaluate(async () => {
    const { Tapedeck } = window as unknown as HarnessWindow;
    const context = Tapedeck.AudioSession.instance().context;
    const audio = context.createMediaStreamDestination().stream.getAudioTracks()[0]!;
    const video = Object.assign(document.createElement('canvas'), { width: 16, height: 16 }).captureStream().getVideoTracks()[0]!;
    const attempt = async (run: () => unknown) => {
      try {
        await run();
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    const tracks = new Tapedeck.TrackRecorder({ sessionId: 'room-7' });
    const results = {
      noSession: await attempt(() => new Tapedeck.TrackRecorder({} as never)),
      slash: await attempt(() => new Tapedeck.TrackRecorder({ sessionId: 'a/b' })),
      format: await attempt(() => new Tapedeck.TrackRecorder({ sessionId: 's', fileFormat: 'avi' })),
      hook: await attempt(() => new Tapedeck.TrackRecorder({ sessionId: 's', webhookUrl: 'ftp://x' })),
      kind: await attempt(() => tracks.startTrackRecording({ participantId: 'p', kind: 'camera' as never, track: audio })),
      wrongTrack: await attempt(() => tracks.startTrackRecording({ participantId: 'p', kind: 'audio', track: video })),
      noTrack: await attempt(() => tracks.startTrackRecording({ participantId: 'p', kind: 'video' })),
      first: await attempt(() => tracks.startTrackRecording({ participantId: 'p', kind: 'audio', track: audio })),
      twice: await attempt(() => tracks.startTrackRecording({ participantId: 'p', kind: 'audio', track: audio })),
      notRecording: await attempt(() => tracks.stopTrackRecording({ participantId: 'q', kind: 'audio' })),
    };
    await tracks.stopTrackRecording({ participantId: 'p', kind: 'audio' });
    return results;
  });
  expect(out.noSession).toMatch(/^invalid-option: options\.sessionId must be a non-empty string/);
  expect(out.slash).toMatch(/^invalid-option: options\.sessionId .* without '\/'/);
  expect(out.format).toMatch(/^invalid-option: .*encoder/);
  expect(out.hook).toMatch(/^invalid-option: options\.webhookUrl, when provided, must be an http\(s\) URL/);
  expect(out.kind).toMatch(/^invalid-option: options\.kind must be one of 'audio', 'video', 'screen_audio', 'screen_video'/);
  expect(out.wrongTrack).toMatch(/^invalid-option: Kind 'audio' needs an audio track; this one is video/);
  expect(out.noTrack).toMatch(/^invalid-option: Pass the video track to record/);
  expect(out.first).toBe('accepted');
  expect(out.twice).toMatch(/^invalid-state: p's audio track is being recorded already/);
  expect(out.notRecording).toMatch(/^invalid-state: q's audio track is not being recorded/);
});

test('tracks, replaceTrack() (a new camera or microphone) ends the segment and records the new track in the next', async ({ page }) => {
  await page.evaluate(async () => {
    const w = window as unknown as HarnessWindow & { tracks: unknown };
    const tracks = new w.Tapedeck.TrackRecorder({ sessionId: 'room-8' });
    w.tracks = tracks;
    await tracks.startTrackRecording({ participantId: 'judy', kind: 'audio', track: w.toneTrack(440) });
    await new Promise((r) => setTimeout(r, 600));
    await tracks.replaceTrack({ participantId: 'judy', kind: 'audio', track: w.toneTrack(660) });
    await new Promise((r) => setTimeout(r, 600));
    await tracks.stopTrackRecording({ participantId: 'judy', kind: 'audio' });
  });
  const files = await decodeFiles(page);
  expect(files.map((f) => f.fileName.slice(-8))).toEqual(['001.webm', '002.webm']);
  expect(Math.abs(dominantFrequency(files[0]!.samples, 48000) - 440)).toBeLessThan(5);
  expect(Math.abs(dominantFrequency(files[1]!.samples, 48000) - 660)).toBeLessThan(5);
  expect(relativeLevelDb(files[1]!.samples, 48000, 440)).toBeLessThan(-30);
  for (const file of files) expect(file.durationMs).toBeGreaterThan(400);
});
