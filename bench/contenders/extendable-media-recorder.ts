import { MediaRecorder, register } from 'extendable-media-recorder';
import { connect } from 'extendable-media-recorder-wav-encoder';
import { exposeMediaRecorder } from './raw-mic';

exposeMediaRecorder((stream) => new MediaRecorder(stream, { mimeType: 'audio/wav' }) as never, 'audio/wav', connect().then(register));
