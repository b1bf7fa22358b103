// Test double: the real encoder worker in a worker whose OPFS quota runs out at 200,000 bytes per file: a write that
// would go past it throws QuotaExceededError, as a full disk does. (The journal slots stay far below it.)
import '/dist/runtime/encoder-worker.js';

const QUOTA_BYTES = 200_000;
const write = FileSystemSyncAccessHandle.prototype.write;
FileSystemSyncAccessHandle.prototype.write = function (buffer, options = {}) {
  const at = options.at ?? this.getSize();
  if (at + buffer.byteLength > QUOTA_BYTES) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  return write.call(this, buffer, options);
};
