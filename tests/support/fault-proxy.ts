// A small HTTP proxy on 127.0.0.1 in front of a real tus server, that plays the faults an upload meets: connections
// dropped, requests cut off halfway through their body, 5xx answers, refusals, stalls and the server gone. The tests
// switch its mode as a take records, and read what it forwarded.
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startTusServer, type TusTestServer } from './tus-server';

/**
 * How the proxy treats requests (CORS preflights always pass, as a real server's front would answer them):
 * - pass: forwards them;
 * - drop: closes the connection without an answer;
 * - cut: forwards the first half of a PATCH body, then closes both sides (the server keeps a part);
 * - error: answers 503;
 * - refuse: answers 403 (a refusal the upload does not retry);
 * - stall: forwards them, but never answers (the server may have stored a PATCH the client never hears of);
 * - down: not listening at all (connections refused).
 */
export type FaultMode = 'pass' | 'drop' | 'cut' | 'error' | 'refuse' | 'stall' | 'down';

export interface FaultProxy {
  /** The endpoint to give the recorder (the proxy's). */
  endpoint: string;
  /** Switches the mode; leaving 'down' listens again on the same port (requests stalled before stay unanswered). */
  set(mode: FaultMode): Promise<void>;
  /** Every request that reached the proxy: method, path and headers. */
  seen: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
  /** The bytes the tus server stored for an upload, by its URL (the proxy's or the server's). */
  stored(uploadUrl: string): Buffer;
  /** The tus metadata the server stored for an upload. */
  metadata(uploadUrl: string): Record<string, string | null>;
  stop(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'Location, Upload-Offset, Upload-Length, Tus-Resumable',
};

export async function startFaultProxy(): Promise<FaultProxy> {
  const tus: TusTestServer = await startTusServer();
  const target = new URL(tus.endpoint);
  let mode: FaultMode = 'pass';
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const seen: FaultProxy['seen'] = [];

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    seen.push({ method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers });
    const preflight = incoming.method === 'OPTIONS';
    if (!preflight && mode === 'drop') return incoming.socket.destroy();
    if (!preflight && (mode === 'error' || mode === 'refuse')) {
      outgoing.writeHead(mode === 'error' ? 503 : 403, CORS).end();
      return incoming.resume();
    }
    const stall = !preflight && mode === 'stall';
    const upstream = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        if (stall) {
          answer.resume();
          return; // the client never hears back
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => incoming.socket.destroy());
    if (!preflight && mode === 'cut' && incoming.method === 'PATCH') {
      // Half the body reaches the server, then the connection breaks: the server keeps what it got.
      const half = Number(incoming.headers['content-length'] ?? 0) / 2;
      let sent = 0;
      incoming.on('data', (chunk: Buffer) => {
        if (sent >= half) return;
        const part = chunk.subarray(0, Math.max(0, half - sent));
        sent += part.length;
        upstream.write(part);
        if (sent >= half) {
          setTimeout(() => {
            upstream.destroy();
            incoming.socket.destroy();
          }, 50);
        }
      });
      return;
    }
    incoming.pipe(upstream);
  };

  const listen = async () => {
    server = createServer(handle);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const close = async () => {
    const closing = server;
    server = null;
    if (!closing) return;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => closing.close(resolve));
  };
  await listen();
  const idOf = (uploadUrl: string) => new URL(uploadUrl).pathname.split('/').pop()!;

  return {
    endpoint: `http://127.0.0.1:${port}${target.pathname}`,
    seen,
    async set(next) {
      const previous = mode;
      mode = next;
      if (next === 'down' && previous !== 'down') await close();
      if (previous === 'down' && next !== 'down') await listen();
    },
    stored: (uploadUrl) => tus.stored(`${tus.endpoint}${idOf(uploadUrl)}`),
    metadata: (uploadUrl) => tus.metadata(`${tus.endpoint}${idOf(uploadUrl)}`),
    async stop() {
      await close();
      await tus.stop();
    },
  };
}
