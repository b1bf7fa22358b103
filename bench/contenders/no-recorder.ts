// The baseline: the microphone open and an AudioContext playing it into a node, nothing recording. What every
// Web Audio recorder's rows cost above this is the recorder's own.
import { expose, rawMicrophone, withUrl } from './raw-mic';

let context: AudioContext;
let stream: MediaStream;
expose({
  async start() {
    stream = await rawMicrophone();
    context = new AudioContext();
    context.createMediaStreamSource(stream).connect(context.createGain());
    await context.resume();
  },
  async stop() {
    for (const track of stream.getTracks()) track.stop();
    await context.close();
    return withUrl(new Blob([], { type: 'audio/wav' }));
  },
});
