import { TapedeckError } from '../errors';
import { OPTION_RULES } from '../recorder/options';
import { checkOptions, rules, type Rule } from '../validate';
import { Emitter } from '../events';
import type { MicrophoneRequest } from '../sources/microphone';
import { createAudioContext } from '../threads/worklet-module';
import { watchDevices, type AudioDevice } from './device-watch';
import { MicrophonePool, type DeviceSignal, type MicrophoneLease } from './microphone-pool';

/** What kind of audio the page does (Flutter's audio_session configuration); recorders take their defaults from it. */
export interface AudioSessionConfig {
  /** The browser's echo cancellation for microphones. */
  cancelEcho?: boolean;
  /** The browser's noise suppression for microphones. */
  suppressNoise?: boolean;
  /** The browser's automatic gain control for microphones. */
  autoGain?: boolean;
  /** Output channels of recordings, 1 or 2. */
  channels?: 1 | 2;
  /** Output sample rate of recordings, Hz. */
  sampleRate?: number;
  /** What registered players do while a recorder records: 'duck' (lower to `duckVolume`, default), 'pause' or 'none'. */
  playersWhileRecording?: 'duck' | 'pause' | 'none';
  /** The volume ducked players get, as a fraction of their own. Default 0.2. */
  duckVolume?: number;
  /** Where the browser has navigator.audioSession (Safari): its type. Default 'play-and-record'. */
  type?: 'auto' | 'playback' | 'transient' | 'transient-solo' | 'ambient' | 'play-and-record';
}

/** Something took the page's audio away (`begin: true`) or gave it back (`begin: false`). */
export interface AudioInterruption {
  /** True when the interruption starts, false when it ends. */
  begin: boolean;
  /**
   * What recorders should do: pause (and resume at the end), lower their volume, or unknown ('device-lost': recorders
   * on that device move to the default one, or stop and keep what they recorded if there is none).
   */
  type: 'pause' | 'duck' | 'unknown';
  /**
   * What happened: the page was hidden or frozen, the browser suspended the audio context, a microphone's track was
   * muted (by the system or another app), or a microphone was lost (unplugged, or its stream stopped).
   */
  reason: 'page-hidden' | 'page-frozen' | 'context-suspended' | 'track-muted' | 'device-lost';
  /** For 'track-muted' and 'device-lost': the device concerned. Only recorders on it follow. */
  deviceId?: string;
}

/** The events of the {@link AudioSession}. */
export interface AudioSessionEvents {
  /** configure() changed the configuration. */
  configured: AudioSessionConfig;
  /** The page's audio was interrupted, or the interruption ended. */
  interruption: AudioInterruption;
  /** The browser's list of audio devices changed (one was plugged in or out): every audio device now. */
  devicesChanged: { devices: AudioDevice[] };
  /**
   * An output device went away (headphones unplugged), so audio would now play aloud. Registered players that were
   * playing are paused; apps pause their own.
   */
  becomingNoisy: { lostOutputs: AudioDevice[] };
}

/** The settings' rules: those that are also recorder options are checked as a recorder's (see validate.ts). */
const SETTINGS: Record<keyof AudioSessionConfig, Rule> = {
  cancelEcho: OPTION_RULES.cancelEcho,
  suppressNoise: OPTION_RULES.suppressNoise,
  autoGain: rules.boolean, // the browser's (a recorder's 'software' is its own)
  channels: OPTION_RULES.channels,
  sampleRate: OPTION_RULES.sampleRate,
  playersWhileRecording: rules.oneOf(['duck', 'pause', 'none']),
  duckVolume: rules.numberIn(0, 1),
  type: rules.oneOf(['auto', 'playback', 'transient', 'transient-solo', 'ambient', 'play-and-record']),
};

let session: AudioSession | null = null;

/**
 * The page's one audio session: what kind of audio the page does, one AudioContext shared by every recorder,
 * and one getUserMedia stream per input device and processing, shared by every recorder that records it.
 */
export class AudioSession extends Emitter<AudioSessionEvents> {
  private config: AudioSessionConfig = {};
  private sharedContext: AudioContext | null = null;
  private readonly microphones = new MicrophonePool((signal) => this.deviceSignal(signal));

  private readonly active = new Set<AudioInterruption['reason']>();
  private readonly players = new Map<HTMLMediaElement, { volume: number; paused: boolean } | null>();
  private readonly recording = new Set<object>();

  private constructor() {
    super();
    if (typeof document === 'undefined') return;
    document.addEventListener('visibilitychange', () => this.interrupt('page-hidden', document.visibilityState === 'hidden'));
    // Page Lifecycle: a frozen page runs no tasks; its audio stops.
    document.addEventListener('freeze', () => this.interrupt('page-frozen', true));
    document.addEventListener('resume', () => this.interrupt('page-frozen', false));
    watchDevices(({ devices, lostOutputs }) => {
      this.emit('devicesChanged', { devices });
      if (lostOutputs.length === 0) return;
      for (const [element, saved] of this.players) {
        element.pause();
        if (saved) saved.paused = true; // not to be restarted when recording ends
      }
      this.emit('becomingNoisy', { lostOutputs });
    });
  }

  /** A microphone's track muted or unmuted, or the microphone was lost (see MicrophonePool). */
  private deviceSignal({ reason, begin, deviceId }: DeviceSignal): void {
    this.emit('interruption', { begin, type: reason === 'track-muted' ? 'pause' : 'unknown', reason, deviceId });
  }

  /** Emits the start or the end of an interruption, once each. */
  private interrupt(reason: AudioInterruption['reason'], begin: boolean): void {
    if (begin === this.active.has(reason)) return;
    if (begin) this.active.add(reason);
    else this.active.delete(reason);
    this.emit('interruption', { begin, type: 'pause', reason });
  }

  /** The page's session (created on first use). */
  static instance(): AudioSession {
    session ??= new AudioSession();
    return session;
  }

  /** The session's configuration when configure() was called on it, for recorders' defaults; null otherwise. */
  static defaults(): AudioSessionConfig | null {
    return session && Object.keys(session.config).length > 0 ? session.config : null;
  }

  /** For voice: echo cancellation, noise suppression and auto gain on, mono. */
  static speech(): AudioSessionConfig {
    return { cancelEcho: true, suppressNoise: true, autoGain: true, channels: 1, type: 'play-and-record' };
  }

  /** For music: the browser's processing off, stereo, 48 kHz. */
  static music(): AudioSessionConfig {
    return { cancelEcho: false, suppressNoise: false, autoGain: false, channels: 2, sampleRate: 48000, type: 'play-and-record' };
  }

  /** The configuration in force. */
  get configuration(): Readonly<AudioSessionConfig> {
    return { ...this.config };
  }

  /** Sets what kind of audio the page does; recorders created afterwards take it as their defaults (their own options win). */
  configure(config: AudioSessionConfig): void {
    checkOptions<AudioSessionConfig>(config, 'config', 'a setting of the audio session', SETTINGS);
    this.config = { ...config };
    const native = (navigator as Navigator & { audioSession?: { type: string } }).audioSession;
    if (native) native.type = config.type ?? 'play-and-record';
    this.emit('configured', this.configuration);
  }

  /**
   * Lets the session duck (lower) or pause `element` while any recorder records, per `playersWhileRecording`, and
   * restore it after. Returns a function that unregisters it (restoring it first).
   */
  registerPlayer(element: HTMLMediaElement): () => void {
    if (!(element instanceof HTMLMediaElement)) throw new TapedeckError('invalid-option', 'registerPlayer(element): element must be an <audio> or <video> element.');
    this.players.set(element, null);
    if (this.recording.size > 0) this.quiet(element);
    return () => {
      this.restore(element);
      this.players.delete(element);
    };
  }

  /** @internal Recorders say when they start and stop recording, so that players are ducked while any records. */
  recorderActive(recorder: object, active: boolean): void {
    const before = this.recording.size;
    if (active) this.recording.add(recorder);
    else this.recording.delete(recorder);
    if (before === 0 && this.recording.size > 0) for (const element of this.players.keys()) this.quiet(element);
    if (before > 0 && this.recording.size === 0) for (const element of this.players.keys()) this.restore(element);
  }

  private quiet(element: HTMLMediaElement): void {
    const mode = this.config.playersWhileRecording ?? 'duck';
    if (mode === 'none' || this.players.get(element)) return;
    this.players.set(element, { volume: element.volume, paused: element.paused });
    if (mode === 'pause') element.pause();
    else element.volume = element.volume * (this.config.duckVolume ?? 0.2);
  }

  private restore(element: HTMLMediaElement): void {
    const saved = this.players.get(element);
    if (!saved) return;
    this.players.set(element, null);
    element.volume = saved.volume;
    if (!saved.paused && element.paused) void element.play().catch(() => undefined);
  }

  /** The AudioContext every recorder of the page captures in (created on first use). */
  get context(): AudioContext {
    if (!this.sharedContext || this.sharedContext.state === 'closed') {
      const context = createAudioContext();
      // The browser suspending the context (Safari's 'interrupted', a lost output device) interrupts every recorder.
      context.addEventListener('statechange', () => {
        if (this.suspending) return;
        this.interrupt('context-suspended', context.state !== 'running' && context.state !== 'closed');
      });
      this.sharedContext = context;
    }
    return this.sharedContext;
  }

  /** True while setActive(false) suspends the context on purpose (not an interruption). */
  private suspending = false;

  /**
   * Resumes (true) or suspends (false) the shared context. Resolves `{ active }` with a `reason` when the browser
   * keeps it suspended (no user gesture yet) — never throws or hangs.
   */
  async setActive(active: boolean): Promise<{ active: boolean; reason?: string }> {
    const context = this.context;
    try {
      if (!active) {
        this.suspending = true;
        try {
          await context.suspend();
        } finally {
          this.suspending = false;
        }
        return { active: false };
      }
      await Promise.race([context.resume(), new Promise((r) => setTimeout(r, 1000))]);
    } catch (error) {
      return { active: context.state === 'running', reason: error instanceof Error ? error.message : String(error) };
    }
    return context.state === 'running'
      ? { active: true }
      : { active: false, reason: `The browser keeps audio ${context.state} until the user interacts with the page (a click or a key press).` };
  }

  /**
   * @internal A recorder's stream of the microphone `request` asks for. The page opens each device (with each processing) once:
   * every recorder gets its own clone, and the device is released when the last lease is given back. If the device is
   * lost, each lease's `onLost` may move it to another device; the other leases' streams are ended.
   */
  leaseMicrophone(request: MicrophoneRequest): Promise<MicrophoneLease> {
    return this.microphones.lease(request);
  }
}
