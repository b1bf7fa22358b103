// The compare bench's input: 48 kHz stereo, 440 Hz left and 660 Hz right at 0.4, plus white noise at 0.05, a 10 s
// loop. The noise is a fixed sequence, so every half second of the loop is unique (bench/align.ts relies on it).

export const INPUT_RATE = 48000;
const FRAMES = INPUT_RATE * 10;

/** The tones, Hz, left and right. */
export const INPUT_TONES = [440, 660];

/** The input as interleaved stereo 16-bit samples . */
export function benchInputPcm(): Int16Array {
  const pcm = new Int16Array(FRAMES * 2);
  // A 32-bit LCG in integer arithmetic (Numerical Recipes' constants): its period is 2^32, far beyond the loop.
  let seed = 1;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < FRAMES; i++) {
    pcm[i * 2] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * INPUT_TONES[0]! * i) / INPUT_RATE) + 0.05 * noise()));
    pcm[i * 2 + 1] = Math.round(32767 * (0.4 * Math.sin((2 * Math.PI * INPUT_TONES[1]! * i) / INPUT_RATE) + 0.05 * noise()));
  }
  return pcm;
}

/** The input mixed to mono (as a recorder that records mono, and ffmpeg's `-ac 1`, mix it), as floats. */
export function benchInputMono(): Float32Array {
  const pcm = benchInputPcm();
  const mono = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) mono[i] = (pcm[i * 2]! + pcm[i * 2 + 1]!) / 2 / 32768;
  return mono;
}
