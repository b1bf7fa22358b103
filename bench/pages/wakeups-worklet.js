// Posts the main thread a small message every `every` frames (0: never), as a level meter would.
class Wakeups extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.every = options.processorOptions.every;
    this.frames = 0;
    this.message = { type: 'level', frames: 0, peak: 0 };
  }
  process() {
    this.frames += 128;
    if (this.every > 0 && this.frames >= this.every) {
      this.frames = 0;
      this.message.frames++;
      this.port.postMessage(this.message);
    }
    return true;
  }
}
registerProcessor('wakeups', Wakeups);
