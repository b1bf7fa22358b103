/**
 * What an AudioRecorder needs from the page: its audio session (defaults, interruptions, ducking players) and a way
 * to open takes. The session is the default host; tests of the recorder's state machine pass fakes
 * (AudioRecorder.withHost), so that it runs in node without a browser.
 */
import { AudioSession, type AudioSessionConfig } from '../session/audio-session';
import { followInterruptions, type Follower } from '../session/interruption-follower';
import { Take, type TakeEvents, type TakeRequest } from '../take/take';

/** What the recorder uses of a take. */
export type TakeHandle = Pick<
  Take,
  'sampleRate' | 'contextRate' | 'contextTime' | 'tapStream' | 'inputSettings' | 'isMicrophone' | 'uploadDone' | 'pause' | 'resume' | 'resumeAtSpeech' | 'setMeterInterval' | 'switchInput' | 'finish' | 'cancel' | 'abort'
>;

/** See the module comment. */
export interface RecorderHost {
  /** The session's configuration when configure() was called: recorders' defaults. */
  defaults(): AudioSessionConfig | null;
  /** Opens a take (its input, pipeline, files, upload). */
  openTake(request: TakeRequest, events: TakeEvents): Promise<TakeHandle>;
  /** Makes `recorder` follow the session's interruptions. */
  follow(recorder: Follower): { stop(): void; reset(): void };
  /** The recorder records (true) or not: the session ducks registered players while any does. */
  setRecording(recorder: object, active: boolean): void;
}

/** The page's audio session as a recorder's host. */
export function sessionHost(): RecorderHost {
  const session = () => AudioSession.instance();
  return {
    defaults: () => AudioSession.defaults(),
    openTake: (request, events) =>
      Take.open(request, { context: () => session().context, leaseMicrophone: (microphone) => session().leaseMicrophone(microphone) }, events),
    follow: (recorder) => followInterruptions(session(), recorder),
    setRecording: (recorder, active) => session().recorderActive(recorder, active),
  };
}
