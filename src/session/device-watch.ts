/** An audio device the browser lists. */
export interface AudioDevice {
  /** The device's id (empty until the page has microphone permission). */
  id: string;
  /** Its name (empty until the page has microphone permission). */
  label: string;
  /** A microphone, or an output (speakers, headphones). */
  kind: 'audioinput' | 'audiooutput';
  /** Devices of one physical product (a headset's microphone and speakers) share a group id. */
  groupId: string;
}

/** What changed in the device list. */
export interface DeviceChange {
  /** Every audio device now. */
  devices: AudioDevice[];
  /** Output devices that were listed before and are gone now (headphones unplugged): audio would now play aloud. */
  lostOutputs: AudioDevice[];
}

async function listAudioDevices(): Promise<AudioDevice[]> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return all
    .filter((d): d is MediaDeviceInfo & { kind: AudioDevice['kind'] } => d.kind === 'audioinput' || d.kind === 'audiooutput')
    .map((d) => ({ id: d.deviceId, label: d.label, kind: d.kind, groupId: d.groupId }));
}

const sameDevice = (a: AudioDevice, b: AudioDevice) => a.kind === b.kind && a.id === b.id && a.groupId === b.groupId && a.label === b.label;

/** The outputs of `before` with no match in `now` (a multiset difference: without permission, ids are all empty). */
function lostOutputs(before: AudioDevice[], now: AudioDevice[]): AudioDevice[] {
  const left = now.filter((d) => d.kind === 'audiooutput');
  const lost: AudioDevice[] = [];
  for (const device of before.filter((d) => d.kind === 'audiooutput')) {
    const match = left.findIndex((d) => sameDevice(d, device));
    if (match >= 0) left.splice(match, 1);
    else lost.push(device);
  }
  return lost;
}

/**
 * Follows the browser's `devicechange` and calls `onChange` with the new list and the outputs that went away.
 * Returns a function that stops following; does nothing where the page has no mediaDevices.
 */
export function watchDevices(onChange: (change: DeviceChange) => void): () => void {
  const mediaDevices = globalThis.navigator?.mediaDevices;
  if (!mediaDevices?.addEventListener) return () => undefined;
  let known: Promise<AudioDevice[]> = listAudioDevices().catch(() => []);
  const changed = () => {
    known = known.then(async (before) => {
      const devices = await listAudioDevices().catch(() => before);
      onChange({ devices, lostOutputs: lostOutputs(before, devices) });
      return devices;
    });
  };
  mediaDevices.addEventListener('devicechange', changed);
  return () => mediaDevices.removeEventListener('devicechange', changed);
}
