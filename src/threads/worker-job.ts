/** The encoder worker's jobs (recovery, deleting a take's files, settling an upload, remuxing): one fresh worker each. */
import { TapedeckError } from '../errors';
import type { WorkerCommand, WorkerReport } from '../worker/protocol';
import { startEncoderWorker } from './files';
import { WORKER_HELP } from './worker-start';

/**
 * Sends `command` to a fresh encoder worker and resolves with its report of `type`; the worker is ended after. The
 * job may go `timeoutMs` without news: a report of type `progress` restarts the wait (recovery, per take). `what`
 * names the job in the timeout's message.
 */
export async function askWorker<T extends WorkerReport['type']>(
  workerUrl: string | undefined,
  command: WorkerCommand,
  type: T,
  timeoutMs: number,
  what: string,
  progress?: WorkerReport['type'],
): Promise<Extract<WorkerReport, { type: T }>> {
  const worker = startEncoderWorker(workerUrl);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<Extract<WorkerReport, { type: T }>>((resolve, reject) => {
      const wait = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new TapedeckError('encoder-failed', `${what} did not finish within ${timeoutMs / 1000} s.`)), timeoutMs);
      };
      worker.onmessage = (event: MessageEvent<WorkerReport>) => {
        if (event.data.type === type) resolve(event.data as Extract<WorkerReport, { type: T }>);
        else if (event.data.type === progress) wait();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new TapedeckError('encoder-failed', `The encoder worker could not start from ${workerUrl ?? 'the file beside tapedeck'} (${event.message || 'no message'}). ${WORKER_HELP}`));
      };
      wait();
      worker.postMessage(command);
    });
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}
