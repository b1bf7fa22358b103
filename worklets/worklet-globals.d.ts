// The AudioWorkletGlobalScope names the capture processor uses (TypeScript's lib has none of them).
declare const sampleRate: number;
/** The audio clock: the context time of the render quantum about to be processed, in seconds. */
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;
