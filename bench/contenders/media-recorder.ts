import { expose, rawMicrophone, withUrl } from './raw-mic';

let recorder: MediaRecorder;
const chunks: Blob[] = [];
expose({
  async start() {
    recorder = new MediaRecorder(await rawMicrophone(), { mimeType: 'audio/webm;codecs=opus' });
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const started = new Promise((resolve) => (recorder.onstart = resolve));
    recorder.start();
    await started;
  },
  stop: () =>
    new Promise((resolve) => {
      recorder.onstop = () => resolve(withUrl(new Blob(chunks, { type: recorder.mimeType })));
      recorder.stop();
    }),
});
