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
    return { ok: true, durationMs: rec.durationMs, peak };
  } catch (error) {
    return { ok: false, code: error.code, message: error.message, afterMs: performance.now() - started };
  } finally {
    recorder.dispose();
  }
};
window.harnessReady = true;
