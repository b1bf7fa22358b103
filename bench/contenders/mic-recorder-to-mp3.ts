import { expose, withUrl } from './raw-mic';

interface MicRecorder {
  start(): Promise<void>;
  stop(): { getMp3(): Promise<[unknown, Blob]> };
}
const MicRecorderClass = (window as unknown as { MicRecorder: new (options: object) => MicRecorder }).MicRecorder;
const recorder = new MicRecorderClass({ bitRate: 128 });
expose({
  start: () => recorder.start(),
  async stop() {
    const [, blob] = await recorder.stop().getMp3();
    return withUrl(blob);
  },
});
