/**
 * The encoder worker's entry (dist/runtime/encoder-worker.js): one worker per take, or per job. Every message the
 * main thread sends is one of WorkerCommand (protocol.ts), handled by an exhaustive switch; anything else is an error.
 */
import { discardJob, recoverJob, remuxJob, settleJob } from './jobs';
import type { WorkerCommand, WorkerReport } from './protocol';
import { TakeWriter } from './take-writer';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerCommand>) => void) | null;
  postMessage(message: WorkerReport, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;
const report = (message: WorkerReport, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

let take: Promise<TakeWriter> | null = null;

scope.onmessage = ({ data: command }) => {
  switch (command.type) {
    case 'take':
      take = TakeWriter.open(command.port, command.config, report, command.encoderPort);
      take.then(
        () => report({ type: 'ready' }),
        (error: unknown) => report({ type: 'error', message: describe(error), blob: null, frames: 0 }),
      );
      return;
    case 'cancel':
      void (take ?? Promise.reject(new Error('no take')))
        .then((writer) => writer.cancel())
        .catch(() => undefined)
        .then(() => report({ type: 'cancelled' }));
      return;
    case 'read':
      void (take ?? Promise.reject(new Error('no take')))
        .then((writer) => writer.read(command.start, command.end))
        .then(
          (blob) => report({ type: 'range', id: command.id, blob, error: null }),
          (error: unknown) => report({ type: 'range', id: command.id, blob: null, error: describe(error) }),
        );
      return;
    case 'recover':
      void recoverJob(report).then(report);
      return;
    case 'settle':
      void settleJob(command.id).then(report);
      return;
    case 'discard':
      void discardJob(command.id).then(report);
      return;
    case 'remux':
      void remuxJob(command.blob).then(report);
      return;
    default: {
      const unknown: never = command;
      report({ type: 'error', message: `The encoder worker got an unknown message: ${JSON.stringify((unknown as { type?: unknown }).type)}.`, blob: null, frames: 0 });
    }
  }
};
