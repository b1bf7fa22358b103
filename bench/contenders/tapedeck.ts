import { AudioRecorder } from 'tapedeck';
import { expose } from './raw-mic';

const params = new URLSearchParams(location.search);
const encoder = params.get('encoder') ?? 'wav';
const recorder = new AudioRecorder({ encoder, channels: 2, sampleRate: encoder === 'opus' ? 48000 : 44100 });
// ?meter: a level meter listens, as a recorder's UI would (amplitude every 50 ms, the default meterIntervalMs).
let levels = 0;
if (params.has('meter')) recorder.on('amplitude', () => levels++);
expose({
  start: () => recorder.startRecording(),
  async stop() {
    const url = await recorder.stopRecording();
    const recording = recorder.getTemporaryContent()!;
    // What tapedeck itself said it could not capture (device silence, a late audio thread, an encoder behind).
    return { url, blob: recording.blob, reportedGapMs: recording.gaps.reduce((sum, gap) => sum + gap.ms, 0) };
  },
});
