// A training worker that fails in Chromium is reported in words: a worker script that cannot be
// loaded fires an error event without a message (this used to read "worker failed: undefined"), and
// one that throws while loading reports what it threw. Each page serves a copy of dist/ with
// browser-worker.js removed or replaced, and calls trainInWorker.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, ROOT, runPage, serve } from './harness.js';

interface Results {
  resolved?: boolean;
  name?: string;
  message?: string;
  ms?: number;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "backprop-wasm": "/dist/src/index.js" } }</script></head><body>
<script type="module">
  import { trainInWorker } from 'backprop-wasm';
  const t0 = performance.now();
  try {
    await trainInWorker({ network: { create: { layers: [2, 4, 1] } }, x: new Float32Array([0, 0, 1, 1]), y: new Float32Array([0, 1]), fit: { epochs: 2 } }).result;
    window.__results = { resolved: true };
  } catch (e) {
    window.__results = { name: e.name, message: e.message, ms: performance.now() - t0 };
  }
  window.__done = true;
</script></body></html>`;

/** A served copy of the package whose browser-worker.js is `worker` (null: missing). */
function site(worker: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'bpw-worker-load-'));
  cpSync(join(ROOT, 'dist/src'), join(root, 'dist/src'), { recursive: true });
  for (const wasm of ['backprop.wasm', 'backprop-relaxed.wasm'])
    cpSync(join(ROOT, 'dist', wasm), join(root, 'dist', wasm));
  const file = join(root, 'dist/src/worker/browser-worker.js');
  if (worker === null) rmSync(file);
  else writeFileSync(file, worker);
  writeFileSync(join(root, 'index.html'), PAGE);
  return root;
}

let browser: Browser;
const roots: string[] = [];
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function failure(worker: string | null): Promise<Results> {
  const root = site(worker);
  roots.push(root);
  const server = await serve(`${root}/`);
  try {
    const { results } = await runPage<Results>(browser, `${server.url}/index.html`, 30_000);
    return results;
  } finally {
    await server.close();
  }
}

describe('Chromium: a training worker that fails', () => {
  it('cannot be loaded (404): the job rejects saying so, with the URL and what to do', async () => {
    const r = await failure(null);
    expect(r.resolved).toBeUndefined();
    expect(r.message).not.toMatch(/undefined/);
    expect(r.message).toMatch(
      /the training worker script could not be loaded \(http:\/\/127\.0\.0\.1:\d+\/dist\/src\/worker\/browser-worker\.js\)/,
    );
    expect(r.message).toMatch(/bundle 'backprop-wasm\/worker' as a second entry named browser-worker/);
    expect(r.message).toMatch(/init\(url\)/);
  }, 60_000);

  it('throws while loading: the job rejects with what it threw', async () => {
    const r = await failure("throw new Error('broken worker script');");
    expect(r.message).toMatch(/the training worker failed: .*broken worker script/);
  }, 60_000);
});
