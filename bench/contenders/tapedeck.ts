import { AudioRecorder } from 'tapedeck';
import { expose } from './raw-mic';

const encoder = new URLSearchParams(location.search).get('encoder') ?? 'wav';
const recorder = new AudioRecorder({ encoder, channels: 2, sampleRate: encoder === 'opus' ? 48000 : 44100 });
expose({
  start: () => recorder.startRecording(),
  async stop() {
    const url = await recorder.stopRecording();
    return { url, blob: recorder.getTemporaryContent()!.blob };
  },
});
