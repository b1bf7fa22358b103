import RecordRTC, { StereoAudioRecorder } from 'recordrtc';
import { expose, rawMicrophone, withUrl } from './raw-mic';

let recorder: InstanceType<typeof RecordRTC>;
expose({
  async start() {
    recorder = new RecordRTC(await rawMicrophone(), { type: 'audio', recorderType: StereoAudioRecorder, numberOfAudioChannels: 2 });
    recorder.startRecording();
  },
  stop: () => new Promise((resolve) => recorder.stopRecording(() => resolve(withUrl(recorder.getBlob())))),
});
