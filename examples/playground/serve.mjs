// npm run demo: serves the repository on http://127.0.0.1:8080 (PORT to change; 0 for any free
// port) for the playground, cross-origin isolated (COOP and COEP headers) so that the digits tab
// trains on threads.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png' };
const port = Number(process.env.PORT ?? 8080);

const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  if (path === '/') { res.writeHead(302, { location: '/examples/playground/' }).end(); return; }
  const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end('not found'); return; }
  // Cross-origin isolation (COOP and COEP): shared memory, so the training worker can run threads.
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(await readFile(file));
}).listen(port, '127.0.0.1', () => console.log(`playground: http://127.0.0.1:${server.address().port}/examples/playground/`));
