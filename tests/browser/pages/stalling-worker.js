// Test double: the real encoder worker, frozen for 2.5 s 300 ms into its take (as on an overloaded machine): after
// the take has started, however long the start took.
import '/dist/runtime/encoder-worker.js';

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'take') return;
  setTimeout(() => {
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      // busy: frame messages queue up and the worklet's chunk pool runs dry
    }
  }, 300);
});
