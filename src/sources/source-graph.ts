import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import type { RecordableSource } from './sources';

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

/** Connects every source to one mixing node in `context`. `owned` streams are stopped at release. */
export async function connectSources(context: AudioContext, sources: readonly RecordableSource[], owned: MediaStream[]): Promise<SourceGraph> {
  const mixer = context.createGain();
  const inputs: AudioNode[] = [];
  const tracks: MediaStreamTrack[] = [];
  const release = () => {
    for (const input of inputs) {
      try {
        input.disconnect(mixer);
      } catch {
        // already disconnected
      }
    }
    mixer.disconnect();
    for (const stream of owned) for (const track of stream.getTracks()) track.stop();
  };
  try {
    for (const source of sources) {
      if (source instanceof AudioNode) {
        inputs.push(source);
      } else if (source instanceof MediaStream) {
        inputs.push(context.createMediaStreamSource(source));
        tracks.push(...source.getAudioTracks());
      } else if (source instanceof MediaStreamTrack) {
        inputs.push(context.createMediaStreamSource(new MediaStream([source])));
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
  return { output: mixer, tracks, release };
}
