import { CONTAINERS, type Container, type EncoderId } from '../formats/built-in';
import { formatIds, formatOf } from '../formats/registry';
import { UPLOAD_FIELDS, type UploadOptions } from '../upload/upload-options';
import { checkOptions, invalidOption, rules, type Rule } from '../validate';

/** Options of an {@link AudioRecorder}; every field is optional. */
export interface AudioRecorderOptions {
  /**
   * Output format: 'wav' (16-bit PCM), 'pcm16' (raw little-endian), 'mp3', 'opus', 'aac' (in MP4), 'flac', or the id
   * of a plugin added with registerEncoder(). Default 'wav'.
   */
  encoder?: EncoderId | (string & {});
  /** Container for 'opus': 'webm' (default) or 'ogg'. */
  container?: Container;
  /** Bits per second for compressed encoders (MP3: the nearest constant rate); ignored by wav, pcm16 and flac. Default 128000. */
  bitRate?: number;
  /**
   * Output sample rate in Hz; the input is resampled to it. Formats with fixed rates (mp3, opus, aac) get the
   * nearest they can store, and the Recording says which. Default 44100.
   */
  sampleRate?: number;
  /** Output channels, 1 or 2; the input is up- or down-mixed to it. Default 2. */
  channels?: 1 | 2;
  /**
   * Automatic gain control: `true` asks the browser's (microphones only, where it has one); `'software'` is
   * tapedeck's own, in the encoder worker, for any source: speech is brought to −20 dBFS RMS, the gain held
   * through pauses so the room between words is not pumped up. Default false.
   */
  autoGain?: boolean | 'software';
  /** Ask the browser for echo cancellation. Default false. */
  cancelEcho?: boolean;
  /** Ask the browser for noise suppression (microphones only). Default false. See also `denoise`. */
  suppressNoise?: boolean;
  /**
   * Noise suppression by tapedeck (`'rnnoise'`: RNNoise, a recurrent network trained on speech, in WebAssembly in the
   * encoder worker), for any source: a media element, a remote WebRTC track, a microphone whose browser has no
   * `noiseSuppression`. The file, the tap and the voice activity all get the cleaned audio (a startOnSpeech take's
   * detector hears the raw input while it waits); the level meter shows the input. Loads runtime/codecs/rnnoise.js
   * + rnnoise.wasm only when set. Default false.
   */
  denoise?: 'rnnoise' | false;
  /** Linear gain applied in the capture worklet, 0 to 16. Default 1. */
  gain?: number;
  /** An input device id from `getInputDevices()`; the default device when omitted. */
  deviceId?: string;
  /** Stop by itself at this length, in milliseconds. */
  maxDurationMs?: number;
  /**
   * Where the take is kept while it records: 'memory' (default), or 'opfs', the Origin Private File System, written
   * as it is encoded with a journal, so that `AudioRecorder.recover()` gets it back after a crash or a reload, and
   * the file's bytes stay out of memory however long the take. Not in a private (incognito) window: there Chromium
   * keeps the Origin Private File System itself in memory, so memory grows with the file and nothing outlives the
   * window.
   */
  persist?: 'memory' | 'opfs';
  /** Stop by itself (`limitreached`, reason 'memory') before the file would exceed this many bytes. */
  maxBufferBytes?: number;
  /** Emit a `data` event with the encoded bytes at this period, in milliseconds (at least 20). */
  timesliceMs?: number;
  /**
   * How often `amplitude` events come while anyone listens to them (or getAmplitude() is polled), in ms (20–1000,
   * default 50). Without either the worklet reports only every 5 s: each report is a task on the main thread, and
   * `timeLength` runs on the audio clock between them.
   */
  meterIntervalMs?: number;
  /**
   * Upload each take to a tus server as it records (see UploadOptions). The take is then written append-only, so
   * that the server's file and the local Recording are the same bytes: a WAV keeps its "size unknown" header, an MP3
   * has no Info frame.
   */
  upload?: UploadOptions;
  /**
   * Follow the page's audio session (default true): pause while the context is suspended or the microphone's track
   * muted (the system or another app took it), and resume after; when the microphone is lost, move to the default
   * device in the same file (or stop, keeping the take, if there is none). With false, a lost input stops the take.
   */
  handleInterruptions?: boolean;
  /**
   * Also pause while the page is hidden or frozen (default false). Browsers keep capturing in a hidden tab, so by
   * default a take records on through a tab switch (the `interruption` event still tells); what really stops capture
   * on phones is the track being muted or ended, which handleInterruptions follows.
   */
  pauseWhenHidden?: boolean;
  /** Hold the Screen Wake Lock while recording (phones: the screen does not lock mid-take); released after. Default false. */
  keepAwake?: boolean;
  /**
   * A second output of every take, while the file is written: the captured audio resampled (band-limited) to its own
   * rate and channels, as a ReadableStream of PCM chunks (`recorder.tapStream`), for speech-to-text engines (Whisper,
   * Vosk, a cloud service's websocket). See TapOptions.
   */
  tap?: TapOptions;
  /**
   * Pre-roll, in ms (0–3000, default 0): while the take is paused (`startRecording({ paused: true })` arms it), the
   * last this-many ms of the input are kept on the audio thread, and each resume() puts them at the head of what
   * follows, so the first syllable is never cut (a resume after a session interruption does not). With
   * `vad.startOnSpeech`, the take begins this long before the speech.
   */
  preRollMs?: number;
  /**
   * Voice activity detection (WebRTC's detector, in the encoder worker, on the frames the file is made of): the
   * `speechstart` and `speechend` events, `Recording.speechSegments`, and, with `autoStop`, a take that ends by itself
   * once the speaker is done. `true` for the defaults; see VadOptions. Its code (12 KB gzipped) is loaded only by a
   * take that asks for it.
   */
  vad?: boolean | VadOptions;
  /** URL of the capture worklet file, for sites whose Content-Security-Policy forbids blob: scripts. */
  workletUrl?: string;
  /** URL of the encoder worker file, for sites whose Content-Security-Policy forbids blob: scripts. */
  workerUrl?: string;
}

/** The `tap` option: a live PCM stream of each take beside its file. */
export interface TapOptions {
  /** Hz, 8000–48000 (default 16000, what speech-to-text engines take). */
  sampleRate?: number;
  /** 1 (default: the channels' mean) or 2. */
  channels?: 1 | 2;
  /** 'f32' (default): Float32Array chunks (full scale ±1, not clamped); 's16': Int16Array chunks (clamped). Interleaved when stereo. */
  format?: 'f32' | 's16';
  /** Audio per chunk, in ms (10–1000, default 100); the last chunk of a take may be shorter. */
  chunkMs?: number;
}

/** The `vad` option. */
export interface VadOptions {
  /**
   * How sure the detector must be, 0 to 3 (default 3: the least flagged as speech, the best against room noise and
   * hum; 0 flags the most, for quiet rooms and soft voices).
   */
  aggressiveness?: 0 | 1 | 2 | 3;
  /**
   * End the take by itself once this much silence (in ms, 500–600000) follows speech: `limitreached` with reason
   * 'silence', and the file ends that long after the last word (cut in the worker, at most one 30 ms detector frame and one
   * 2048-frame chunk later). Nothing ends a take that has heard no speech.
   */
  autoStop?: { afterSilenceMs: number };
  /**
   * Wait for speech (default false): startRecording() opens everything and the recorder is 'paused' until the
   * detector hears speech; the take then begins by itself (statechange to 'recording') where the speech began, less
   * `preRollMs`. Nothing is in the file before that.
   */
  startOnSpeech?: boolean;
}

/** The `vad` option, filled in. */
export type ResolvedVad = Required<Pick<VadOptions, 'aggressiveness' | 'startOnSpeech'>> & Pick<VadOptions, 'autoStop'>;

const VAD_FIELDS: Record<keyof VadOptions, Rule> = {
  aggressiveness: rules.oneOf([0, 1, 2, 3], '0, 1, 2 or 3'),
  autoStop: rules.object('options.vad.autoStop', 'an autoStop option', { afterSilenceMs: { rule: rules.numberIn(500, 600_000), required: true } }),
  startOnSpeech: rules.boolean,
};

/** The tap's options, filled in. */
export type ResolvedTap = Required<TapOptions>;

const TAP_FIELDS: Record<keyof TapOptions, Rule> = {
  sampleRate: rules.integerIn(8_000, 48_000),
  channels: rules.oneOf([1, 2], '1 or 2'),
  format: rules.oneOf(['f32', 's16']),
  chunkMs: rules.numberIn(10, 1000),
};

type FilledOptions = 'tap' | 'vad';
type OptionalOptions = 'container' | 'deviceId' | 'maxDurationMs' | 'maxBufferBytes' | 'timesliceMs' | 'upload' | 'workletUrl' | 'workerUrl';

/** The options with every default filled in (the tap's too, when there is one). */
export type ResolvedOptions = Required<Omit<AudioRecorderOptions, OptionalOptions | FilledOptions>> &
  Pick<AudioRecorderOptions, OptionalOptions> & { tap?: ResolvedTap; vad?: ResolvedVad };

/** The defaults, as Flet's RecordConfig has them. */
export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
  encoder: 'wav',
  bitRate: 128_000,
  sampleRate: 44_100,
  channels: 2,
  autoGain: false,
  cancelEcho: false,
  suppressNoise: false,
  denoise: false,
  gain: 1,
  persist: 'memory',
  handleInterruptions: true,
  pauseWhenHidden: false,
  keepAwake: false,
  meterIntervalMs: 50,
  preRollMs: 0,
});

/** The options' rules (see validate.ts). `encoder` is any known format name: a built-in, an alias, or a plugin. */
export const OPTION_RULES: Record<keyof AudioRecorderOptions, Rule> = {
  encoder: (value) =>
    typeof value === 'string' && formatOf(value) ? null : `one of ${formatIds().map((id) => `'${id}'`).join(', ')} (or a plugin's id after registerEncoder())`,
  container: rules.oneOf(CONTAINERS),
  bitRate: rules.integerIn(6_000, 512_000),
  sampleRate: rules.integerIn(8_000, 192_000),
  channels: rules.oneOf([1, 2], '1 or 2'),
  autoGain: rules.oneOf([true, false, 'software'], "true, false or 'software'"),
  cancelEcho: rules.boolean,
  suppressNoise: rules.boolean,
  denoise: rules.oneOf(['rnnoise', false], "'rnnoise' or false"),
  handleInterruptions: rules.boolean,
  pauseWhenHidden: rules.boolean,
  keepAwake: rules.boolean,
  gain: rules.numberIn(0, 16),
  deviceId: rules.nonEmptyString,
  maxDurationMs: rules.numberIn(0, 86_400_000, true),
  maxBufferBytes: rules.integerIn(1024, Number.MAX_SAFE_INTEGER),
  persist: rules.oneOf(['memory', 'opfs']),
  timesliceMs: rules.numberIn(20, 3_600_000),
  meterIntervalMs: rules.numberIn(20, 1000),
  upload: rules.object('options.upload', 'an upload option', UPLOAD_FIELDS),
  tap: rules.object('options.tap', 'a tap option', TAP_FIELDS),
  preRollMs: rules.numberIn(0, 3000),
  vad: (value) => {
    if (typeof value === 'boolean') return null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'true, false or an object of VadOptions';
    return rules.object('options.vad', 'a vad option', VAD_FIELDS)(value);
  },
  workletUrl: rules.nonEmptyString,
  workerUrl: rules.nonEmptyString,
};

const definedFields = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The fields of an audio session's configuration that are also recorder options (its `type` is not). */
function pickRecorderOptions(config: Partial<AudioRecorderOptions> | null): Partial<Omit<AudioRecorderOptions, FilledOptions>> {
  if (!config) return {};
  const picked: Record<string, unknown> = {};
  for (const key of ['cancelEcho', 'suppressNoise', 'autoGain', 'channels', 'sampleRate'] as const) {
    if (config[key] !== undefined) picked[key] = config[key];
  }
  return picked;
}

/**
 * Validates `options` field by field and fills in the defaults; throws `invalid-option` naming the field. The
 * encoder's name is resolved to its format's id (Flet's 'aacLc' becomes 'aac').
 */
export function resolveOptions(options: unknown, sessionDefaults: Partial<AudioRecorderOptions> | null = null): ResolvedOptions {
  const defaults = { ...DEFAULT_OPTIONS, ...pickRecorderOptions(sessionDefaults) };
  if (options === undefined) return defaults;
  const given = checkOptions<AudioRecorderOptions>(options, 'options', 'an option of AudioRecorder', OPTION_RULES);
  const resolved: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) resolved[key] = value;
  const format = formatOf(resolved.encoder as string)!;
  resolved.encoder = format.id;
  if (given.tap) resolved.tap = { sampleRate: 16_000, channels: 1, format: 'f32', chunkMs: 100, ...definedFields(given.tap) } satisfies ResolvedTap;
  if (given.vad === false) delete resolved.vad;
  else if (given.vad) resolved.vad = { aggressiveness: 3, startOnSpeech: false, ...definedFields(given.vad === true ? {} : given.vad) } satisfies ResolvedVad;
  if (resolved.container !== undefined && !format.containers.includes(resolved.container as string)) {
    invalidOption(`options.container applies to the 'opus' encoder only (the encoder is '${String(resolved.encoder)}').`);
  }
  return resolved as ResolvedOptions;
}
