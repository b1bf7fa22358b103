import { Recorder } from 'vmsg';
import wasmURL from 'vmsg/vmsg.wasm?url';
import { expose, withUrl } from './raw-mic';

const recorder = new Recorder({ wasmURL });
expose({
  async start() {
    await recorder.init();
    recorder.startRecording();
  },
  stop: async () => withUrl(await recorder.stopRecording()),
});
