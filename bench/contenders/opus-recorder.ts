import Recorder from 'opus-recorder';
import encoderPath from 'opus-recorder/dist/encoderWorker.min.js?url';
import { expose, withUrl } from './raw-mic';

const recorder = new Recorder({ encoderPath, numberOfChannels: 2, encoderSampleRate: 48000 });
let finished: Promise<Blob>;
expose({
  async start() {
    finished = new Promise((resolve) => (recorder.ondataavailable = (data: Uint8Array) => resolve(new Blob([data as BlobPart], { type: 'audio/ogg' }))));
    await recorder.start();
  },
  async stop() {
    recorder.stop();
    return withUrl(await finished);
  },
});
