// The consumer apps' one page script: records a take and hands its bytes to the test. Plain JavaScript, as a user's
// app would be; each bundler gets it through its own entry (main.js) and the script-tag page uses it as it is.

/** Gives the page `window.recordTake(encoder, ms, options)`, recording with `AudioRecorder` (from whichever build). */
export function installRecordTake(AudioRecorder) {
  // Records `ms` of the microphone, measured on the audio clock (maxDurationMs stops the take at that sample);
  // `options` are more AudioRecorder options (the vad take's `vad: true`).
  window.recordTake = async (encoder, ms, options = {}) => {
    const recorder = new AudioRecorder({ encoder, maxDurationMs: ms, channels: 1, handleInterruptions: false, ...options });
    const errors = [];
    recorder.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
    const ended = new Promise((resolve) => recorder.on('limitreached', resolve));
    try {
      await recorder.startRecording();
      await ended;
      await recorder.stopRecording();
      const recording = recorder.getTemporaryContent();
      const bytes = new Uint8Array(await recording.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { ok: true, mimeType: recording.mimeType, durationMs: recording.durationMs, speechSegments: recording.speechSegments, bytes: btoa(text), errors };
    } catch (error) {
      return { ok: false, code: error.code, message: String(error.message), errors };
    } finally {
      recorder.dispose();
    }
  };
  window.appReady = true;
}
