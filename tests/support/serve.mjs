// A static file server for the browser tests: serves the repository root on 127.0.0.1.
// A request whose query has `cors` is answered with Access-Control-Allow-Origin: * (for cross-origin tests);
// files under a /csp/ folder (or asked for with ?csp) are served with a strict Content-Security-Policy.
// Usage: node tests/support/serve.mjs [port]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.argv[2] ?? process.env.PORT ?? 4317);
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

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  const path = normalize(decodeURIComponent(url.pathname));
  const cors = url.searchParams.has('cors') ? { 'access-control-allow-origin': '*' } : {};
  // Pages under /csp/ get a strict Content-Security-Policy: scripts from this origin only (no blob:, no inline).
  // So are files asked for with `?csp`: a worker's policy is its own response's, not its page's.
  const csp = path.includes('/csp/') || url.searchParams.has('csp') ? { 'content-security-policy': "script-src 'self'; worker-src 'self'" } : {};
  const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(root)) {
    response.writeHead(403).end();
    return;
  }
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...cors, ...csp });
    response.end(await readFile(file));
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${port}`));
