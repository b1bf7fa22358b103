// Test double: the real encoder worker in a worker where OPFS does not exist. (A static import runs first, but the
// worker only looks at navigator.storage when a take starts, after this module's body has run.)
import '/dist/runtime/encoder-worker.js';

Object.defineProperty(self.navigator, 'storage', { get: () => undefined });
