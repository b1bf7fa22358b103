import { TapedeckError } from '../errors';

/** Something tapedeck can record: a stream, one track, an `<audio>`/`<video>` element, or a Web Audio node. */
export type RecordableSource = MediaStream | MediaStreamTrack | HTMLMediaElement | AudioNode;

/** What `startRecording({ source })` takes: one source, or several mixed into one recording. */
export type RecordingSource = RecordableSource | readonly RecordableSource[];

/** Why a source would record nothing. */
export type UnrecordableReason =
  | 'no-audio-track'
  | 'track-ended'
  | 'cross-origin'
  | 'no-media'
  | 'other-context'
  | 'context-closed'
  | 'offline-context'
  /** This browser cannot route a media element into Web Audio (WebKit on Linux: see Quirk #10). */
  | 'engine-unsupported';

/** A source that would record nothing, and why (Roblox's GetUnrecordableInstancesAsync). */
export interface UnrecordableSource {
  /** The source, as it was passed. */
  source: RecordableSource;
  /** A stable reason code. */
  reason: UnrecordableReason;
  /** What is wrong and what to do. */
  message: string;
}

const MESSAGES: Record<UnrecordableReason, string> = {
  'no-audio-track': 'it has no audio track: pass a stream or track with audio.',
  'track-ended': 'its audio track has ended: pass a live track.',
  'cross-origin':
    'it plays media from another origin without CORS, so the browser would feed silence: serve the media with ' +
    'Access-Control-Allow-Origin and set crossorigin="anonymous" on the element.',
  'no-media': 'the element has no media (no src, or its media failed to load).',
  'other-context': 'it belongs to a different AudioContext than the other nodes: all AudioNode sources must share one context.',
  'context-closed': 'its AudioContext is closed.',
  'offline-context': 'it belongs to an OfflineAudioContext, which renders faster than real time: record from a real-time AudioContext.',
  'engine-unsupported':
    'this browser cannot route a media element into Web Audio (its MediaElementAudioSourceNode gives silence): record ' +
    "the element's MediaStream (srcObject) or an AudioNode that plays the same media instead.",
};

/**
 * Quirk #10: WebKit's GStreamer ports (WebKitGTK, WPE: WebKit on Linux; measured in WebKitGTK 2.50) have no
 * captureStream(), and their MediaElementAudioSourceNode gives silence while the element goes on playing to the
 * speakers, even in a bare AudioContext. Safari (WebKit on Apple platforms) routes the element correctly.
 */
function elementsGiveSilence(): boolean {
  const ua = globalThis.navigator?.userAgent ?? '';
  return /AppleWebKit/.test(ua) && /Linux|X11/.test(ua) && !/Chrome|Chromium|Android/.test(ua);
}

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';
const isStream = (value: unknown): value is MediaStream => has('MediaStream') && value instanceof MediaStream;
const isTrack = (value: unknown): value is MediaStreamTrack => has('MediaStreamTrack') && value instanceof MediaStreamTrack;
const isElement = (value: unknown): value is HTMLMediaElement => has('HTMLMediaElement') && value instanceof HTMLMediaElement;
const isNode = (value: unknown): value is AudioNode => has('AudioNode') && value instanceof AudioNode;

/** True for the kinds of object tapedeck can record. */
export function isRecordableSource(value: unknown): value is RecordableSource {
  return isStream(value) || isTrack(value) || isElement(value) || isNode(value);
}

/** `source` as a non-empty list; throws `invalid-option` for anything that is not a source. */
export function toSourceList(source: unknown): RecordableSource[] {
  const list = Array.isArray(source) ? source : [source];
  if (list.length === 0) throw new TapedeckError('invalid-option', 'options.source, when an array, must hold at least one source.');
  list.forEach((item, i) => {
    if (!isRecordableSource(item)) {
      const where = Array.isArray(source) ? `options.source[${i}]` : 'options.source';
      throw new TapedeckError(
        'invalid-option',
        `${where} must be a MediaStream, a MediaStreamTrack, an HTMLMediaElement or an AudioNode (got ${item === null ? 'null' : typeof item}).`,
      );
    }
  });
  return list as RecordableSource[];
}

function elementUrl(element: HTMLMediaElement): string {
  return element.currentSrc || element.src || element.querySelector('source')?.src || '';
}

function elementReason(element: HTMLMediaElement): UnrecordableReason | null {
  if (element.srcObject) return null;
  const canCapture = 'captureStream' in element || 'mozCaptureStream' in element;
  if (!canCapture && elementsGiveSilence()) return 'engine-unsupported';
  const src = elementUrl(element);
  if (!src || element.error) return 'no-media';
  const url = new URL(src, document.baseURI);
  const sameOrigin = url.origin === location.origin || url.protocol === 'blob:' || url.protocol === 'data:';
  return !sameOrigin && element.crossOrigin === null ? 'cross-origin' : null;
}

function reasonFor(source: RecordableSource, nodeContext: BaseAudioContext | null): UnrecordableReason | null {
  if (isStream(source)) {
    const tracks = source.getAudioTracks();
    if (tracks.length === 0) return 'no-audio-track';
    return tracks.every((t) => t.readyState === 'ended') ? 'track-ended' : null;
  }
  if (isTrack(source)) {
    if (source.kind !== 'audio') return 'no-audio-track';
    return source.readyState === 'ended' ? 'track-ended' : null;
  }
  if (isElement(source)) return elementReason(source);
  if (has('OfflineAudioContext') && source.context instanceof OfflineAudioContext) return 'offline-context';
  if (source.context.state === 'closed') return 'context-closed';
  return nodeContext !== null && source.context !== nodeContext ? 'other-context' : null;
}

/** The AudioContext that the AudioNode sources share (the first node's), or null when there are none. */
export function nodeContextOf(sources: readonly RecordableSource[]): AudioContext | null {
  const node = sources.find(isNode);
  return node ? (node.context as AudioContext) : null;
}

/** Every source in `sources` that would record nothing, with the reason. */
export function findUnrecordable(sources: readonly RecordableSource[]): UnrecordableSource[] {
  const context = nodeContextOf(sources);
  const found: UnrecordableSource[] = [];
  for (const source of sources) {
    const reason = reasonFor(source, context);
    if (reason) found.push({ source, reason, message: `This source cannot be recorded: ${MESSAGES[reason]}` });
  }
  return found;
}

/** Throws `source-unrecordable` for the first source in `sources` that would record nothing. */
export function assertRecordable(sources: readonly RecordableSource[]): void {
  const [first] = findUnrecordable(sources);
  if (first) throw new TapedeckError('source-unrecordable', `${first.message} (reason: ${first.reason})`);
}
