import Recorder from 'recorder-core';
import 'recorder-core/src/engine/mp3';
import 'recorder-core/src/engine/mp3-engine';
import 'recorder-core/src/engine/wav';
import { expose, withUrl } from './raw-mic';

const type = new URLSearchParams(location.search).get('type') ?? 'mp3';
const recorder = Recorder({ type, sampleRate: 44100, bitRate: type === 'mp3' ? 128 : 16 });
expose({
  start: () =>
    new Promise<void>((resolve, reject) =>
      recorder.open(
        () => {
          recorder.start();
          resolve();
        },
        (message: string) => reject(new Error(message)),
      ),
    ),
  stop: () =>
    new Promise((resolve, reject) =>
      recorder.stop(
        (blob: Blob) => resolve(withUrl(blob)),
        (message: string) => reject(new Error(message)),
      ),
    ),
});
