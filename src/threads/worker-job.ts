import { TapedeckError } from '../errors';
import { withTimeout } from '../timeout';
import { startEncoderWorker } from './files';
import { WORKER_HELP } from './worker-start';
import type { WorkerCommand, WorkerReport } from '../worker/protocol';

/**
 * Sends one `command` (not a take) to a fresh encoder worker and resolves with its report of `type`; the worker is
 * ended after. `what` names the job in the timeout's message.
 */
export async function askWorker<T extends WorkerReport['type']>(
  workerUrl: string | undefined,
  command: WorkerCommand,
  type: T,
  timeoutMs: number,
  what: string,
): Promise<Extract<WorkerReport, { type: T }>> {
  const worker = startEncoderWorker(workerUrl);
  try {
    const reply = new Promise<Extract<WorkerReport, { type: T }>>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WorkerReport>) => {
        if (event.data.type === type) resolve(event.data as Extract<WorkerReport, { type: T }>);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new TapedeckError('encoder-failed', `The encoder worker could not start from ${workerUrl ?? 'the file beside tapedeck'} (${event.message || 'no message'}). ${WORKER_HELP}`));
      };
    });
    worker.postMessage(command);
    return await withTimeout(reply, timeoutMs, () => new TapedeckError('encoder-failed', `${what} did not finish within ${timeoutMs / 1000} s.`));
  } finally {
    worker.terminate();
  }
}
