// Test double: the real encoder worker, frozen for 2.5 s shortly after it starts (as on an overloaded machine).
import '/dist/runtime/encoder-worker.js';

setTimeout(() => {
  const until = Date.now() + 2500;
  while (Date.now() < until) {
    // busy: frame messages queue up and the worklet's chunk pool runs dry
  }
}, 300);
