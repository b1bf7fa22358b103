// The compare bench's input: 48 kHz stereo, 440 Hz left and 660 Hz right at 0.4, plus white noise at 0.05. The noise
// is a fixed sequence, so every half second of it is unique (bench/align.ts relies on it).
//
// The fake microphone loops its file, and its loop turn is not seamless: in a 10 s loop every recorder's 60 s file
// (MediaRecorder's too) held 44–54 ms of audio the input never had, about 9 ms per turn. So each take gets an input
// that outlasts it and never turns (inputSecondsFor).

export const INPUT_RATE = 48000;

/** The input's length for a take of `takeSeconds`: the take, with room for the page's start-up before it. */
export const inputSecondsFor = (takeSeconds: number) => takeSeconds + 20;

/** The tones, Hz, left and right. */
export const INPUT_TONES = [440, 660];

/** `seconds` of the input as interleaved stereo 16-bit samples. */
export function benchInputPcm(seconds: number): Int16Array {
  const FRAMES = INPUT_RATE * seconds;
  const pcm = new Int16Array(FRAMES * 2);
  // A 32-bit LCG in integer arithmetic (Numerical Recipes' constants): its period is 2^32, far beyond any input.
  let seed = 1;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < FRAMES; i++) {
    pcm[i * 2] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * INPUT_TONES[0]! * i) / INPUT_RATE) + 0.05 * noise()));
    pcm[i * 2 + 1] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * INPUT_TONES[1]! * i) / INPUT_RATE) + 0.05 * noise()));
  }
  return pcm;
}

/** The input mixed to mono (as a recorder that records mono, and ffmpeg's `-ac 1`, mix it), as floats. */
export function benchInputMono(seconds: number): Float32Array {
  const pcm = benchInputPcm(seconds);
  const FRAMES = pcm.length / 2;
  const mono = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) mono[i] = (pcm[i * 2]! + pcm[i * 2 + 1]!) / 2 / 32768;
  return mono;
}
