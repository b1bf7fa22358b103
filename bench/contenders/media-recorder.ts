import { exposeMediaRecorder } from './raw-mic';

exposeMediaRecorder((stream) => new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' }), 'audio/webm;codecs=opus');
