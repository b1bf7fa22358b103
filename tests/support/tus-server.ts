// A real tus server for the upload tests: @tus/server with its file store, on 127.0.0.1, stoppable and restartable
// on the same port (to play a network outage).
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

export interface TusTestServer {
  /** The endpoint to create uploads at. */
  endpoint: string;
  /** The bytes stored for an upload, by its URL. */
  stored(uploadUrl: string): Buffer;
  /** The tus metadata stored for an upload, by its URL (the file store keeps it beside the bytes). */
  metadata(uploadUrl: string): Record<string, string | null>;
  /** PATCH requests answered so far (each one commits bytes). */
  patches(): number;
  /** Stops answering (drops open connections too). */
  stop(): Promise<void>;
  /** Answers again, on the same port. */
  restart(): Promise<void>;
}

/** `patchDelayMs`: each PATCH is answered this late, as over a slow link. */
export async function startTusServer({ patchDelayMs = 0 } = {}): Promise<TusTestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'tapedeck-tus-'));
  const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
  let http: HttpServer | null = null;
  let port = 0;
  let patches = 0;
  const listen = async () => {
    http = createServer((request, response) => {
      if (request.method !== 'PATCH') return void tus.handle(request, response);
      response.on('finish', () => patches++);
      setTimeout(() => void tus.handle(request, response), patchDelayMs);
    });
    await new Promise<void>((resolve) => http!.listen(port, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  };
  await listen();
  const idOf = (uploadUrl: string) => new URL(uploadUrl).pathname.split('/').pop()!;
  return {
    endpoint: `http://127.0.0.1:${port}/files/`,
    stored: (uploadUrl) => readFileSync(join(directory, idOf(uploadUrl))),
    metadata: (uploadUrl) => (JSON.parse(readFileSync(join(directory, `${idOf(uploadUrl)}.json`), 'utf8')) as { metadata: Record<string, string | null> }).metadata,
    patches: () => patches,
    stop: async () => {
      const server = http!;
      http = null;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    restart: listen,
  };
}
