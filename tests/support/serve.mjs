// The browser tests' static server: the repository root on 127.0.0.1 (see static-server.mjs for its headers).
// Usage: node tests/support/serve.mjs [port]
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.argv[2] ?? process.env.PORT ?? 4317);
const { origin } = await startStaticServer({ root, port });
console.log(`serving ${root} on ${origin}`);
