// A static file server for tests: serves a folder on 127.0.0.1, with the headers the tests need.
// A request whose query has `cors` is answered with Access-Control-Allow-Origin: * (for cross-origin tests);
// files under a /csp/ folder (or asked for with ?csp) are served with a strict Content-Security-Policy.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/**
 * Serves `root` on `port` (0: any free port); resolves with the server and its origin. With `cors: true` every
 * response allows any origin (a CDN). `onServed(path)` hears of every file served (the bench counts downloads).
 */
export function startStaticServer({ root, port = 0, cors = false, onServed = undefined }) {
  const base = resolve(root) + sep;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const path = normalize(decodeURIComponent(url.pathname));
    const allowOrigin = cors || url.searchParams.has('cors') ? { 'access-control-allow-origin': '*' } : {};
    // Pages under /csp/ get a strict Content-Security-Policy: scripts from this origin only (no blob:, no inline).
    // So are files asked for with `?csp`: a worker's policy is its own response's, not its page's.
    const csp = path.includes('/csp/') || url.searchParams.has('csp') ? { 'content-security-policy': "script-src 'self'; worker-src 'self'" } : {};
    const file = join(base, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(base)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...allowOrigin, ...csp });
      response.end(await readFile(file));
      onServed?.(path);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain', ...allowOrigin }).end('not found');
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}
