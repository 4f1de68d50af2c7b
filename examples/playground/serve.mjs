// npm run demo: serves the repository on http://127.0.0.1:8080 (PORT to change; 0 for any free
// port) for the playground, cross-origin isolated (COOP and COEP headers) so that the digits tab
// trains on threads.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};
const port = Number(process.env.PORT ?? 8080);

const server = createServer(async (req, res) => {
  let path;
  try {
    path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  } catch {
    res.writeHead(400).end('bad request: the path is not valid percent-encoding');
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/examples/playground/' }).end();
    return;
  }
  const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
  const info = file.startsWith(root) ? await stat(file).catch(() => null) : null;
  if (info?.isDirectory()) {
    res.writeHead(301, { location: `${path}/` }).end();
    return;
  }
  if (!info?.isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  let body;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(500).end('could not read the file');
    return;
  }
  // Cross-origin isolation (COOP and COEP): shared memory, so the training worker can run threads.
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(body);
}).listen(port, '127.0.0.1', () =>
  console.log(`playground: http://127.0.0.1:${server.address().port}/examples/playground/`),
);
