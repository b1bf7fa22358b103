// The compared recorders that ship no types: typed as loosely as the bench uses them.
declare module 'recordrtc' {
  const RecordRTC: any;
  export const StereoAudioRecorder: any;
  export default RecordRTC;
}
declare module 'recorder-core' {
  const Recorder: any;
  export default Recorder;
}
declare module 'recorder-core/src/engine/*';
declare module 'opus-recorder' {
  const Recorder: any;
  export default Recorder;
}
