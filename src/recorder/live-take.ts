import { TapedeckError } from '../errors';
import { everyInterval } from '../shared-timer';
import type { MicrophoneLease } from '../session/microphone-pool';
import { closeStream, readInputSettings, type InputSettings, type MicrophoneRequest } from '../sources/microphone';
import { connectSources, type SourceGraph } from '../sources/source-graph';
import { nodeContextOf, type RecordableSource } from '../sources/sources';
import { getPlugin } from '../encoders/plugins';
import { mimeTypeFor, outputSampleRate } from '../encoders/registry';
import { ensureCaptureModule } from '../worklets-host/capture-context';
import type { ResolvedOptions } from './options';
import { Take, type TakeCallbacks } from './take';

/** After a device switch, the old device is released this late (ms): after the cross-fade. */
const SWITCH_RELEASE_MS = 200;

/** How often an uploaded take hands its new bytes to the upload, in ms (unless timesliceMs says otherwise). */
const UPLOAD_SLICE_MS = 1000;

/** A new device delivers its first audio this long (ms) after it is connected. */
const FIRST_AUDIO_MS = 60;

/** How often a live take checks whether its input tracks have ended, in ms. */
const TRACK_POLL_MS = 100;

/** A running take with everything it holds: the pipeline, the source graph, the streams it opened. */
export interface LiveTake {
  take: Take;
  /** Hz of the context the take captures in. */
  contextRate: number;
  /** Hz of the file: the rate asked for, or the nearest the format can store. */
  sampleRate: number;
  /** The file's MIME type. */
  mimeType: string;
  /** What the browser applied to the microphone (updated by a switch); null for other sources. */
  inputSettings: InputSettings | null;
  /** Stops watching the input, disconnects the sources and stops the streams tapedeck opened. */
  release(): void;
  /**
   * For a microphone take: moves to input device `deviceId` (the default when undefined) in the same file, opening
   * the new device before letting the old one go (cross-faded while the old one still plays; when it is dead, capture
   * holds until the new one delivers, so the file has no silent hole). Null for takes of other sources.
   */
  switchMicrophone: ((deviceId: string | undefined) => Promise<InputSettings>) | null;
}

/** What opening a take needs. */
export interface LiveTakeParams {
  options: ResolvedOptions;
  /** The sources to record, or null for the microphone. */
  sources: readonly RecordableSource[] | null;
  /** Hand out raw PCM16 as it comes (callbacks.onPcm) instead of keeping a file. */
  streamOnly: boolean;
  /** Start with capture paused (until take.resume()). */
  paused: boolean;
  /** ms between level reports at the start. */
  meterIntervalMs: number;
  /** Write the take to OPFS under this id (persist: 'opfs'), or null. */
  persist: { id: string; startedAt: number } | null;
  workletUrl: string;
  /** The `workerUrl` option: undefined for the worker shipped with tapedeck. */
  workerUrl: string | undefined;
  /** The context for sources that are not Web Audio nodes (the page's audio session's). */
  ownContext(): AudioContext;
  /** Lends a stream of the microphone (the page's audio session shares one per device). */
  leaseMicrophone(request: MicrophoneRequest): Promise<MicrophoneLease>;
  callbacks: TakeCallbacks & {
    /** Every input track has ended (unplugged, stopped): the input is gone. */
    onInputEnded(): void;
    /**
     * With `handleInterruptions`: the microphone's device was lost; resolve true once the take has moved to another
     * (switchMicrophone), false to let its stream end (the take then ends through onInputEnded).
     */
    onMicrophoneLost(): Promise<boolean>;
  };
}

/** Calls `onEnded` once every track in `tracks` has ended; returns a function that stops watching. */
function watchTracks(tracks: readonly MediaStreamTrack[], onEnded: () => void): () => void {
  if (tracks.length === 0) return () => undefined;
  let done = false;
  const check = () => {
    if (!done && tracks.every((t) => t.readyState === 'ended')) {
      done = true;
      onEnded();
    }
  };
  for (const track of tracks) track.addEventListener('ended', check);
  // Quirk #4: by spec, track.stop() fires no 'ended' on that track, so a track the page stops is noticed by polling.
  const stopPolling = everyInterval(TRACK_POLL_MS, check);
  return () => {
    done = true;
    stopPolling();
    for (const track of tracks) track.removeEventListener('ended', check);
  };
}

/** Opens the input (the microphone unless sources are given), wires it to a new Take, and starts capturing. */
export async function openLiveTake(params: LiveTakeParams): Promise<LiveTake> {
  const o = params.options;
  const owned: MediaStream[] = [];
  let sources = params.sources;
  let inputSettings: InputSettings | null = null;
  const request = (deviceId: string | undefined) => ({
    deviceId,
    channels: o.channels,
    autoGain: o.autoGain,
    cancelEcho: o.cancelEcho,
    suppressNoise: o.suppressNoise,
  });
  let microphone: MediaStream | null = null;
  const leases: MicrophoneLease[] = [];
  const releaseLeases = () => leases.splice(0).forEach((lease) => lease.release());
  // Following interruptions, a lost device is the session's to report (it calls onLost before ending the stream).
  const lease = async (deviceId: string | undefined) => {
    const next = await params.leaseMicrophone(request(deviceId));
    if (o.handleInterruptions) next.onLost = params.callbacks.onMicrophoneLost;
    return next;
  };
  if (!sources) {
    const lease0 = await lease(o.deviceId);
    leases.push(lease0);
    microphone = lease0.stream;
    owned.push(microphone);
    sources = [microphone];
    const track = microphone.getAudioTracks()[0];
    if (!track) {
      releaseLeases();
      throw new TapedeckError('device-not-found', 'The microphone stream has no audio track.');
    }
    inputSettings = readInputSettings(track);
  }

  let graph: SourceGraph | null = null;
  try {
    // Web Audio nodes are recorded in their own context; everything else in the recorder's.
    const context = nodeContextOf(sources) ?? params.ownContext();
    await ensureCaptureModule(context, params.workletUrl);
    graph = await connectSources(context, sources, owned);
    const encoder = params.streamOnly ? 'pcm16' : o.encoder;
    const sampleRate = outputSampleRate(encoder, o.sampleRate);
    const plugin = params.streamOnly ? undefined : getPlugin(encoder);
    const container = o.container ?? 'webm';
    // An uploaded take is written append-only and handed out every second (or every timesliceMs) for the upload.
    const uploading = !params.streamOnly && o.upload !== undefined;
    const timesliceMs = o.timesliceMs ?? (uploading ? UPLOAD_SLICE_MS : undefined);
    const take = await Take.start({
      context,
      source: graph.output,
      workerUrl: params.workerUrl,
      gain: o.gain,
      limitFrames: o.maxDurationMs === undefined ? 0 : Math.round((o.maxDurationMs * context.sampleRate) / 1000),
      encoderPort: plugin?.connect ? await plugin.connect() : undefined,
      paused: params.paused,
      meterIntervalMs: params.meterIntervalMs,
      encoder: {
        encoder,
        mimeType: mimeTypeFor(encoder, sampleRate, o.channels, container),
        pluginModule: plugin?.workerModule,
        inputSampleRate: context.sampleRate,
        sampleRate,
        channels: o.channels,
        bitRate: o.bitRate,
        container,
        timesliceFrames: params.streamOnly || timesliceMs === undefined ? 0 : Math.max(1, Math.round((timesliceMs * sampleRate) / 1000)),
        maxBytes: params.streamOnly ? 0 : (o.maxBufferBytes ?? 0),
        streamOnly: params.streamOnly,
        persist: params.persist,
        appendOnly: uploading,
      },
      callbacks: params.callbacks,
    });
    const connected = graph;
    const sessionWatches = microphone !== null && o.handleInterruptions;
    const stopWatching = sessionWatches ? () => undefined : watchTracks(connected.tracks, params.callbacks.onInputEnded);
    const switchMicrophone = async (deviceId: string | undefined): Promise<InputSettings> => {
      const dead = !microphone!.getAudioTracks().some((t) => t.readyState === 'live');
      const unhold = dead ? take.hold() : () => undefined;
      try {
        const next = await lease(deviceId);
        const previous = leases.shift();
        leases.push(next);
        connected.swapStream(microphone!, next.stream, dead);
        microphone = next.stream;
        // The old device is given back once the cross-fade away from it is over.
        setTimeout(() => previous?.release(), SWITCH_RELEASE_MS);
        live.inputSettings = readInputSettings(next.stream.getAudioTracks()[0]!);
        return live.inputSettings;
      } finally {
        setTimeout(unhold, FIRST_AUDIO_MS);
      }
    };
    const live: LiveTake = {
      take,
      contextRate: context.sampleRate,
      sampleRate,
      mimeType: mimeTypeFor(encoder, sampleRate, o.channels, container),
      inputSettings,
      release: () => {
        stopWatching();
        connected.release();
        releaseLeases();
      },
      switchMicrophone: microphone ? switchMicrophone : null,
    };
    return live;
  } catch (error) {
    if (graph) graph.release();
    else owned.forEach(closeStream);
    releaseLeases();
    throw error;
  }
}
