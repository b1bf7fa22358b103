/**
 * tapedeck/testing/page — in-page helpers for tests of apps that record with tapedeck: check what a recording
 * holds, and fake a microphone in browsers without Chromium's flags. As a script: window.TapedeckTesting.
 */
import { dominantFrequency, longestSilence, rms } from './analysis';

/** What {@link analyzeRecording} measures. */
export interface RecordingAnalysis {
  /** Length of the decoded audio, in ms. */
  durationMs: number;
  /** Channels decoded. */
  channels: number;
  /** Hz of the file (WAV and raw PCM: from the file; others: the rate passed, or 48000 it is decoded at). */
  sampleRate: number;
  /** Root mean square of the first channel, 0 to 1. */
  rms: number;
  /** Largest absolute sample of the first channel, 0 to 1. */
  peak: number;
  /** The strongest frequency of the first channel, in Hz. */
  dominantFrequency: number;
  /**
   * The longest near-silent stretch (|x| < 0.01) of the first channel after its first 50 ms, in ms: a gap in a
   * recording of a continuous tone (a lost buffer, a device switch). A 440 Hz tone's own zero crossings are < 0.1 ms.
   */
  longestSilenceMs: number;
}

function rateFromWav(bytes: ArrayBuffer): number | null {
  const view = new DataView(bytes);
  if (bytes.byteLength < 28 || view.getUint32(0, false) !== 0x52494646 || view.getUint32(8, false) !== 0x57415645) return null;
  return view.getUint32(24, true);
}

function rawPcm(blob: Blob, bytes: ArrayBuffer): { sampleRate: number; channels: Float32Array[] } | null {
  if (!blob.type.startsWith('audio/pcm')) return null;
  const param = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(blob.type)?.[1]);
  const count = param('channels') || 1;
  const samples = new Int16Array(bytes, 0, Math.floor(bytes.byteLength / 2));
  const frames = Math.floor(samples.length / count);
  const channels = Array.from({ length: count }, (_, c) => Float32Array.from({ length: frames }, (_, i) => samples[i * count + c]! / 32768));
  return { sampleRate: param('rate') || 48000, channels };
}

/**
 * Decodes a recording (a Blob, or tapedeck's Recording) and measures it: duration, channels, rate, level and
 * dominant frequency. A 440 Hz fake microphone should come back with `dominantFrequency` ≈ 440.
 */
export async function analyzeRecording(recording: Blob | { blob: Blob; sampleRate?: number }): Promise<RecordingAnalysis> {
  const blob = recording instanceof Blob ? recording : recording.blob;
  const bytes = await blob.arrayBuffer();
  let sampleRate: number;
  let channels: Float32Array[];
  const raw = rawPcm(blob, bytes);
  if (raw) {
    ({ sampleRate, channels } = raw);
  } else {
    sampleRate = (recording instanceof Blob ? undefined : recording.sampleRate) ?? rateFromWav(bytes) ?? 48000;
    const audio = await new OfflineAudioContext(1, 1, sampleRate).decodeAudioData(bytes.slice(0));
    channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
  }
  const first = channels[0] ?? new Float32Array(0);
  let peak = 0;
  for (const sample of first) peak = Math.max(peak, Math.abs(sample));
  return {
    durationMs: (first.length / sampleRate) * 1000,
    channels: channels.length,
    sampleRate,
    rms: rms(first),
    peak,
    dominantFrequency: first.length > 0 ? dominantFrequency(first, sampleRate) : 0,
    longestSilenceMs: (longestSilence(first, Math.round(sampleRate * 0.05)).length / sampleRate) * 1000,
  };
}

/** What {@link installFakeMicrophone} plays. */
export interface FakeMicrophoneTone {
  /** Hz. Default 440. */
  frequency?: number;
  /** Peak, 0 to 1. Default 0.5. */
  amplitude?: number;
  /** Channels of the stream. Default 1. */
  channels?: number;
}

/**
 * Makes getUserMedia({ audio }) return a live sine tone from an OscillatorNode, and enumerateDevices() list one
 * fake input, in any browser (no launch flags needed). Video requests go to the real getUserMedia. Returns a
 * function that puts the originals back. Run it before the app asks for the microphone (e.g. in an init script).
 */
export function installFakeMicrophone(tone: FakeMicrophoneTone = {}): () => void {
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  const enumerateDevices = devices.enumerateDevices.bind(devices);
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.audio) return getUserMedia(constraints);
    const context = new AudioContext();
    const oscillator = new OscillatorNode(context, { frequency: tone.frequency ?? 440 });
    const gain = new GainNode(context, { gain: tone.amplitude ?? 0.5 });
    const destination = new MediaStreamAudioDestinationNode(context, { channelCount: tone.channels ?? 1 });
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    void context.resume();
    const [track] = destination.stream.getAudioTracks();
    const stop = track!.stop.bind(track);
    track!.stop = () => {
      stop();
      void context.close();
    };
    return destination.stream;
  };
  devices.enumerateDevices = async () => [
    ...(await enumerateDevices()).filter((d) => d.kind !== 'audioinput'),
    { deviceId: 'tapedeck-fake-microphone', groupId: 'tapedeck', kind: 'audioinput', label: 'tapedeck fake microphone', toJSON: () => ({}) },
  ];
  return () => {
    devices.getUserMedia = getUserMedia;
    devices.enumerateDevices = enumerateDevices;
  };
}
