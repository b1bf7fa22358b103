import { MediaRecorder, register } from 'extendable-media-recorder';
import { connect } from 'extendable-media-recorder-wav-encoder';
import { expose, rawMicrophone, withUrl } from './raw-mic';

let recorder: InstanceType<typeof MediaRecorder>;
const chunks: Blob[] = [];
const registered = connect().then(register);
expose({
  async start() {
    await registered;
    recorder = new MediaRecorder(await rawMicrophone(), { mimeType: 'audio/wav' });
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const started = new Promise((resolve) => (recorder.onstart = resolve));
    recorder.start();
    await started;
  },
  stop: () =>
    new Promise((resolve) => {
      recorder.onstop = () => resolve(withUrl(new Blob(chunks, { type: 'audio/wav' })));
      recorder.stop();
    }),
});
