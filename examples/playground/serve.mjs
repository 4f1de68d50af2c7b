// npm run demo: serves the repository on http://127.0.0.1:8080 (PORT to change; 0 for any free
// port) for the playground, cross-origin isolated (COOP and COEP headers) so that the digits tab
// trains on threads.
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = await realpath(fileURLToPath(new URL('../../', import.meta.url)));
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
  // Only this machine's names (a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused),
  // and no dot-files or dot-folders (.git, .env).
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    res.writeHead(403).end('forbidden: open the playground at http://127.0.0.1');
    return;
  }
  if (path.split(/[\\/]/).some((part) => part.startsWith('.'))) {
    res.writeHead(404).end('not found');
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/examples/playground/' }).end();
    return;
  }
  // The real path (links followed) must stay inside the repository.
  const file = await realpath(join(root, path.endsWith('/') ? `${path}index.html` : path)).catch(() => null);
  const info = file?.startsWith(root + sep) ? await stat(file).catch(() => null) : null;
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
