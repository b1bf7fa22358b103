// Runs under script-src 'self': records with the given URL options, or reports the error.
window.recordOnce = async (options) => {
  const recorder = new Tapedeck.AudioRecorder({ channels: 1, ...options });
  const started = performance.now();
  try {
    await recorder.startRecording();
    await new Promise((r) => setTimeout(r, 800));
    await recorder.stopRecording();
    const rec = recorder.getTemporaryContent();
    const samples = (await rec.pcm())[0];
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s));
    // An MP3's LAME tag names the engine that encoded it.
    const head = new Uint8Array(await rec.blob.slice(0, 2000).arrayBuffer());
    const text = String.fromCharCode(...head);
    const tag = text.indexOf('Info');
    return { ok: true, durationMs: rec.durationMs, peak, lameTag: tag >= 0 ? text.slice(tag + 120, tag + 129) : null };
  } catch (error) {
    return { ok: false, code: error.code, message: error.message, afterMs: performance.now() - started };
  } finally {
    recorder.dispose();
  }
};
window.harnessReady = true;
