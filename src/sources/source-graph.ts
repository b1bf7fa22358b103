import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import type { RecordableSource } from './sources';
import { stopTracks } from './tracks';

/** A device switch keeps the old input this long (s) before cross-fading to the new one over SWITCH_FADE_S. */
const SWITCH_DELAY_S = 0.06;
const SWITCH_FADE_S = 0.02;

/** How long an element may take to load its metadata before it counts as having no media. */
const METADATA_TIMEOUT_MS = 5_000;

/** Sources wired into one mixing node of a context. */
export interface SourceGraph {
  /** The node that sums every source; connect it to the capture node. */
  output: AudioNode;
  /** Tracks whose ending means the input is gone. */
  tracks: MediaStreamTrack[];
  /** Disconnects everything and stops the streams tapedeck opened itself (never the caller's). */
  release(): void;
  /**
   * Puts `next` (a stream tapedeck opened) in the place of `previous`: the new input is connected before the old one
   * is disconnected, so the recording has no gap; the old stream is stopped. `immediate` when the old stream is dead
   * already: no cross-fade (the caller holds capture until the new device delivers).
   */
  swapStream(previous: MediaStream, next: MediaStream, immediate?: boolean): void;
}

type CaptureStream = () => MediaStream;

// Elements routed through createMediaElementSource (where captureStream is missing): an element can have only one
// such node in its lifetime, so it is kept and reused.
const elementNodes = new WeakMap<HTMLMediaElement, MediaElementAudioSourceNode>();

function unrecordable(message: string, cause?: unknown): TapedeckError {
  return new TapedeckError('source-unrecordable', `This source cannot be recorded: ${message}`, cause);
}

async function loadedMetadata(element: HTMLMediaElement): Promise<void> {
  if (element.readyState >= HTMLMediaElement.HAVE_METADATA) return;
  const loaded = new Promise<void>((resolve, reject) => {
    element.addEventListener('loadedmetadata', () => resolve(), { once: true });
    element.addEventListener('error', () => reject(unrecordable('the element\'s media failed to load (reason: no-media).')), { once: true });
  });
  await withTimeout(loaded, METADATA_TIMEOUT_MS, () => unrecordable(`the element had no media after ${METADATA_TIMEOUT_MS / 1000} s (reason: no-media).`));
}

/**
 * The element's sound as a stream, leaving its playback untouched. Quirk #5: Safari has no captureStream();
 * there the element is routed through createMediaElementSource instead (and keeps playing through `context`).
 */
async function elementSource(context: AudioContext, element: HTMLMediaElement, owned: MediaStream[]): Promise<AudioNode> {
  if (element.srcObject instanceof MediaStream) return context.createMediaStreamSource(element.srcObject);
  await loadedMetadata(element);
  const capture = (element as { captureStream?: CaptureStream }).captureStream ?? (element as { mozCaptureStream?: CaptureStream }).mozCaptureStream;
  if (!capture) {
    let node = elementNodes.get(element);
    if (node && node.context !== context) throw unrecordable('the element is already wired to another AudioContext (reason: other-context).');
    if (!node) {
      node = context.createMediaElementSource(element);
      node.connect(context.destination); // keep it audible
      elementNodes.set(element, node);
    }
    return node;
  }
  let stream: MediaStream;
  try {
    stream = capture.call(element);
  } catch (error) {
    // Chromium refuses to capture cross-origin media outright.
    throw unrecordable('the element plays media from another origin without CORS (reason: cross-origin).', error);
  }
  owned.push(stream);
  if (stream.getAudioTracks().length === 0) throw unrecordable('the element\'s media has no audio (reason: no-audio-track).');
  return context.createMediaStreamSource(stream);
}

/**
 * Plays `stream` in a muted, detached <audio> element. Quirk: Chromium delivers a remote WebRTC track's audio to Web
 * Audio only while some media element plays it; without one, a MediaStreamAudioSourceNode of it gives silence.
 */
function playMuted(stream: MediaStream): HTMLAudioElement {
  const sink = new Audio();
  sink.muted = true;
  sink.srcObject = stream;
  void sink.play().catch(() => undefined);
  return sink;
}

/** Connects every source to one mixing node in `context`. `owned` streams are stopped at release. */
export async function connectSources(context: AudioContext, sources: readonly RecordableSource[], owned: MediaStream[]): Promise<SourceGraph> {
  const mixer = context.createGain();
  const inputs: AudioNode[] = [];
  const tracks: MediaStreamTrack[] = [];
  const streamInputs = new Map<MediaStream, AudioNode>();
  const sinks: HTMLAudioElement[] = [];
  const release = () => {
    for (const sink of sinks) sink.srcObject = null;
    for (const input of inputs) {
      try {
        input.disconnect(mixer);
      } catch {
        // already disconnected
      }
    }
    mixer.disconnect();
    owned.forEach(stopTracks);
  };
  try {
    for (const source of sources) {
      if (source instanceof AudioNode) {
        inputs.push(source);
      } else if (source instanceof MediaStream) {
        if (!owned.includes(source)) sinks.push(playMuted(source));
        // Each stream reaches the mixer through its own gain, so that a device switch can cross-fade.
        const node = context.createMediaStreamSource(source).connect(context.createGain());
        streamInputs.set(source, node);
        inputs.push(node);
        tracks.push(...source.getAudioTracks());
      } else if (source instanceof MediaStreamTrack) {
        const stream = new MediaStream([source]);
        sinks.push(playMuted(stream));
        inputs.push(context.createMediaStreamSource(stream));
        tracks.push(source);
      } else {
        inputs.push(await elementSource(context, source, owned));
      }
    }
  } catch (error) {
    release();
    throw error;
  }
  for (const input of inputs) input.connect(mixer);
  const swapStream = (previous: MediaStream, next: MediaStream, immediate = false) => {
    const old = streamInputs.get(previous) as GainNode | undefined;
    if (!old) throw new Error('swapStream: that stream is not an input of this graph.');
    const node = context.createMediaStreamSource(next).connect(new GainNode(context, { gain: immediate ? 1 : 0 })) as GainNode;
    node.connect(mixer);
    const disconnectOld = () => {
      old.disconnect();
      stopTracks(previous);
    };
    if (immediate) {
      disconnectOld();
    } else {
      // A new device delivers its first audio some milliseconds after it is connected: keep the old one until then,
      // and cross-fade, so the take has neither a gap nor a click.
      const at = context.currentTime + SWITCH_DELAY_S;
      old.gain.setValueAtTime(1, at);
      old.gain.linearRampToValueAtTime(0, at + SWITCH_FADE_S);
      node.gain.setValueAtTime(0, at);
      node.gain.linearRampToValueAtTime(1, at + SWITCH_FADE_S);
      setTimeout(disconnectOld, (SWITCH_DELAY_S + SWITCH_FADE_S) * 1000 + 50);
    }
    streamInputs.delete(previous);
    streamInputs.set(next, node);
    inputs.splice(inputs.indexOf(old), 1, node);
    // In place: the take's watcher holds this array.
    const gone = new Set<MediaStreamTrack>(previous.getAudioTracks());
    const kept = tracks.filter((t) => !gone.has(t));
    tracks.splice(0, tracks.length, ...kept, ...next.getAudioTracks());
    owned.push(next);
    const index = owned.indexOf(previous);
    if (index >= 0) owned.splice(index, 1);
  };
  return { output: mixer, tracks, release, swapStream };
}
