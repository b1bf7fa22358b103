// Every contender records the same thing: whatever it asks getUserMedia for, it gets the raw stereo track
// (echo cancellation, noise suppression and auto gain off, 2 channels).
const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) =>
  original({
    ...constraints,
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 2 },
  });

/** What every contender page offers the bench runner. */
export interface Contender {
  /** Opens the microphone and starts recording; resolves once it records. */
  start(): Promise<void>;
  /** Stops; resolves with the recording's Blob URL (and the Blob). */
  stop(): Promise<{ url: string; blob: Blob }>;
}

/** Publishes `contender` for the runner. */
export function expose(contender: Contender): void {
  (window as unknown as { contender: Contender; contenderReady: boolean }).contender = contender;
  (window as unknown as { contenderReady: boolean }).contenderReady = true;
}

/** The raw microphone stream (for contenders that take a stream). */
export const rawMicrophone = () => navigator.mediaDevices.getUserMedia({ audio: true });

/** A Blob and its URL, made the moment a contender hands its Blob over. */
export const withUrl = (blob: Blob) => ({ url: URL.createObjectURL(blob), blob });

/** The part of the MediaRecorder API the bench uses (the native one, and extendable-media-recorder's). */
interface MediaRecorderLike {
  ondataavailable: ((event: BlobEvent) => void) | null;
  onstart: ((event: Event) => void) | null;
  onstop: ((event: Event) => void) | null;
  start(): void;
  stop(): void;
}

/** Exposes a MediaRecorder-style recorder made by `create` on the raw microphone, its chunks joined as `type`. */
export function exposeMediaRecorder(create: (stream: MediaStream) => MediaRecorderLike, type: string, ready: Promise<unknown> = Promise.resolve()): void {
  let recorder: MediaRecorderLike;
  const chunks: Blob[] = [];
  expose({
    async start() {
      await ready;
      recorder = create(await rawMicrophone());
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const started = new Promise((resolve) => (recorder.onstart = resolve));
      recorder.start();
      await started;
    },
    stop: () =>
      new Promise((resolve) => {
        recorder.onstop = () => resolve(withUrl(new Blob(chunks, { type })));
        recorder.stop();
      }),
  });
}
