// JS heaps of every thread a page runs — its main thread and each worker — read over the Chrome DevTools Protocol.
// Playwright's CDP sessions reach pages only, so the bench opens the browser's own debugging port and attaches to
// each worker target there (a recorder that keeps its bytes in a worker holds them in that worker's heap). Array
// buffers count: `backingStorageSize` is where encoded bytes live, outside the V8 heap proper.
import WebSocket from 'ws';

interface HeapUsage {
  usedSize: number;
  backingStorageSize?: number;
}

/** A connection to the browser's debugging port that can read every page's and worker's heap. */
export class ThreadHeaps {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
  }

  /** Connects to the browser listening on `port` (launched with --remote-debugging-port). */
  static async connect(port: number): Promise<ThreadHeaps> {
    const { webSocketDebuggerUrl } = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
    const socket = new WebSocket(webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new ThreadHeaps(socket);
  }

  /** Sends a CDP command to the browser, or to an attached target's `sessionId`. */
  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
  }

  private readonly sessions = new Map<string, string>();

  /** The page and worker targets, each with its (flat) session, attaching to new ones. */
  async targets(): Promise<Array<{ type: string; url: string; sessionId: string }>> {
    const { targetInfos } = await this.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
    const found = [];
    for (const target of targetInfos) {
      if (target.type !== 'page' && target.type !== 'worker') continue;
      let sessionId = this.sessions.get(target.targetId);
      if (!sessionId) {
        ({ sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true }));
        this.sessions.set(target.targetId, sessionId);
      }
      found.push({ type: target.type, url: target.url, sessionId });
    }
    return found;
  }

  /** Bytes in use (heap plus array buffers) of the page's main thread, and of all its workers together. */
  async read(): Promise<{ pageBytes: number; workerBytes: number }> {
    let pageBytes = 0;
    let workerBytes = 0;
    for (const target of await this.targets().catch(() => [])) {
      try {
        const heap = await this.send<HeapUsage>('Runtime.getHeapUsage', {}, target.sessionId);
        const bytes = heap.usedSize + (heap.backingStorageSize ?? 0);
        if (target.type === 'page') pageBytes += bytes;
        else workerBytes += bytes;
      } catch {
        // the worker ended meanwhile
      }
    }
    return { pageBytes, workerBytes };
  }

  /** Collects garbage in the page and every worker. */
  async collectGarbage(): Promise<void> {
    await this.read(); // attaches to any new target
    await Promise.all([...this.sessions.values()].map((sessionId) => this.send('HeapProfiler.collectGarbage', {}, sessionId).catch(() => undefined)));
  }

  close(): void {
    this.socket.close();
  }
}
