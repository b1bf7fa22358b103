// A bundled app's entry: tapedeck imported by its package name, nothing configured for its files.
import { AudioRecorder } from 'tapedeck';
import { installRecordTake } from './record-take.js';

installRecordTake(AudioRecorder);
