/**
 * What one take records from, and all that holds: the microphone's leases (or the sources the caller gave), the graph
 * that mixes them into one node, and the watch on their tracks. release() gives every lease back, including one that
 * arrives after it (a device switch still under way), so no microphone is left open.
 */
import { TapedeckError } from '../errors';
import type { MicrophoneLease } from '../session/microphone-pool';
import { readInputSettings, type TrackSettings, type MicrophoneRequest } from '../sources/microphone';
import { connectSources, type SourceGraph } from '../sources/source-graph';
import { nodeContextOf, type RecordableSource } from '../sources/sources';
import { stopTracks, whenAllEnded } from '../sources/tracks';

/** After a device switch, the old device is released this late (ms): after the cross-fade. */
const SWITCH_RELEASE_MS = 200;

/** A new device delivers its first audio this long (ms) after it is connected. */
const FIRST_AUDIO_MS = 60;

/** How soon a source track the page stops (no 'ended' event: Quirk #4) ends the take, in ms. */
const TRACK_POLL_MS = 100;

/** Where a take's input comes from: the page's audio session by default (see RecorderHost). */
export interface InputHost {
  /** The context for sources that are not Web Audio nodes. */
  context(): AudioContext;
  /** Lends a stream of the microphone (the page's audio session shares one per device). */
  leaseMicrophone(request: MicrophoneRequest): Promise<MicrophoneLease>;
}

/** What the input reports. */
export interface InputEvents {
  /** Every input track has ended (unplugged, stopped): the input is gone. */
  onEnded(): void;
  /**
   * Following the session: the microphone's device was lost. Resolve true once the take has moved to another device
   * (switchMicrophone), false to let its stream end (the take then ends through onEnded).
   */
  onLost(): Promise<boolean>;
}

/** What the input is made of. */
export interface InputRequest {
  /** The sources to record, or null for the microphone. */
  sources: readonly RecordableSource[] | null;
  /** The microphone's settings (device, channels, the browser's processing). */
  microphone: MicrophoneRequest;
  /** Whether the session follows the microphone (and so reports its loss through onLost instead of ending it). */
  followSession: boolean;
}

/** See the module comment. */
export class TakeInput {
  private readonly leases = new Set<MicrophoneLease>();
  private released = false;
  private stopWatching: () => void = () => undefined;
  private microphone: MediaStream | null = null;
  private graph!: SourceGraph;
  /** What the browser applied to the microphone (updated by a switch); null for other sources. */
  inputSettings: TrackSettings | null = null;

  private constructor(
    private readonly request: InputRequest,
    private readonly host: InputHost,
    private readonly events: InputEvents,
    /** The context the take captures in: the sources' own for Web Audio nodes, else the host's. */
    readonly context: AudioContext,
  ) {}

  /** Opens the input: the microphone unless sources are given, mixed into one node. */
  static async open(request: InputRequest, host: InputHost, events: InputEvents): Promise<TakeInput> {
    const context = (request.sources && nodeContextOf(request.sources)) ?? host.context();
    const input = new TakeInput(request, host, events, context);
    try {
      await input.connect();
      return input;
    } catch (error) {
      input.release();
      throw error;
    }
  }

  /** The node that mixes the input: connect it to the capture node. */
  get output(): AudioNode {
    return this.graph.output;
  }

  /** True for a microphone take (which switchMicrophone() can move). */
  get isMicrophone(): boolean {
    return this.microphone !== null;
  }

  private async connect(): Promise<void> {
    const owned: MediaStream[] = [];
    let sources = this.request.sources;
    if (!sources) {
      const lease = await this.lease(this.request.microphone.deviceId);
      const track = lease.stream.getAudioTracks()[0];
      if (!track) throw new TapedeckError('device-not-found', 'The microphone stream has no audio track.');
      this.microphone = lease.stream;
      this.inputSettings = readInputSettings(track);
      owned.push(lease.stream);
      sources = [lease.stream];
    }
    try {
      this.graph = await connectSources(this.context, sources, owned);
    } catch (error) {
      owned.forEach(stopTracks);
      throw error;
    }
    if (this.released) return this.graph.release();
    // Following the session, a lost microphone is the session's to report (onLost); else the tracks say it.
    if (!(this.microphone && this.request.followSession)) this.stopWatching = whenAllEnded(this.graph.tracks, TRACK_POLL_MS, () => this.events.onEnded());
  }

  /** A lease on device `deviceId` (the default when undefined), given back at once if the input was released meanwhile. */
  private async lease(deviceId: string | undefined): Promise<MicrophoneLease> {
    const lease = await this.host.leaseMicrophone({ ...this.request.microphone, deviceId });
    if (this.request.followSession) lease.onLost = () => this.events.onLost();
    if (this.released) {
      lease.release();
      throw new TapedeckError('invalid-state', 'The take ended while its microphone was being opened.');
    }
    this.leases.add(lease);
    return lease;
  }

  /**
   * Moves a microphone take to input device `deviceId` (the default when undefined) in the same file, opening the new
   * device before letting the old one go: cross-faded while the old one still plays; when it is dead, `hold` stops
   * capture until the new one delivers, so the file has no silent hole.
   */
  async switchMicrophone(deviceId: string | undefined, hold: () => () => void): Promise<TrackSettings> {
    const previous = this.microphone;
    if (!previous) throw new TapedeckError('invalid-state', 'Only a microphone take can move to another device.');
    const dead = !previous.getAudioTracks().some((t) => t.readyState === 'live');
    const unhold = dead ? hold() : () => undefined;
    try {
      const next = await this.lease(deviceId);
      const old = [...this.leases].find((lease) => lease.stream === previous);
      this.graph.swapStream(previous, next.stream, dead);
      this.microphone = next.stream;
      // The old device is given back once the cross-fade away from it is over.
      setTimeout(() => this.give(old), SWITCH_RELEASE_MS);
      this.inputSettings = readInputSettings(next.stream.getAudioTracks()[0]!);
      return this.inputSettings;
    } finally {
      setTimeout(unhold, FIRST_AUDIO_MS);
    }
  }

  private give(lease: MicrophoneLease | undefined): void {
    if (!lease || !this.leases.delete(lease)) return;
    lease.release();
  }

  /** Stops watching, disconnects the sources, stops the streams tapedeck opened and gives every lease back. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.stopWatching();
    this.graph?.release();
    for (const lease of [...this.leases]) this.give(lease);
  }
}
