// The package as a dependency of apps built by bundlers, run in Chromium: a Vite production build,
// the Vite dev server (with the documented optimizeDeps.exclude), and an esbuild bundle (with init(url)
// and the worker as a second entry point, as docs/guide.md, "In a browser", describes). Each app links the package into
// its node_modules, as npm link does, so resolution goes through the real exports map.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, ROOT, runPage, serve } from './harness.js';

interface Results {
  error?: string;
  xorPage: number;
  spiralsPage: number;
  xorWorker?: number;
  spiralsWorker?: number;
}

const dirs: string[] = [];
function app(main: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-app-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'backprop-wasm'), 'dir');
  writeFileSync(join(dir, 'datasets.js'), readFileSync(join(ROOT, 'examples/playground/datasets.js')));
  writeFileSync(
    join(dir, 'scenario.js'),
    readFileSync(join(ROOT, 'test/browser/pages/scenario.js'), 'utf8').replace(
      '../../../examples/playground/datasets.js',
      './datasets.js',
    ),
  );
  writeFileSync(join(dir, 'main.js'), main);
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>',
  );
  return dir;
}

const MAIN =
  "import * as lib from 'backprop-wasm';\nimport { run } from './scenario.js';\nrun(lib, { speed: false });\n";

function expectTrained(r: Results, errors: string[]): void {
  expect(r.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect(r.xorPage).toBeGreaterThanOrEqual(0.95);
  expect(r.spiralsPage).toBeGreaterThanOrEqual(0.95);
  expect(r.xorWorker).toBeGreaterThanOrEqual(0.95);
  expect(r.spiralsWorker).toBeGreaterThanOrEqual(0.95);
}

/** Serves a built app's folder and checks that it trains. */
async function servedAndTrained(dir: string): Promise<void> {
  const server = await serve(dir);
  try {
    const { results, errors } = await runPage<Results>(browser, `${server.url}/index.html`);
    expectTrained(results, errors);
  } finally {
    await server.close();
  }
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bundlers', () => {
  it('Vite production build: the .wasm and the worker are emitted and found', async () => {
    const dir = app(MAIN);
    const { build } = await import('vite');
    await build({ root: dir, logLevel: 'silent', build: { outDir: join(dir, 'dist') } });
    await servedAndTrained(join(dir, 'dist'));
  }, 180_000);

  it("Vite dev server with optimizeDeps: { exclude: ['backprop-wasm'] }", async () => {
    const dir = app(MAIN);
    const { createServer } = await import('vite');
    const server = await createServer({
      root: dir,
      logLevel: 'silent',
      configFile: false,
      optimizeDeps: { exclude: ['backprop-wasm'] },
      server: { host: '127.0.0.1', port: 0, fs: { allow: [dir, ROOT] } },
    });
    await server.listen();
    try {
      const url = server.resolvedUrls!.local[0]!;
      const { results, errors } = await runPage<Results>(browser, `${url}index.html`);
      expectTrained(results, errors);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('esbuild bundle (platform browser): no Node built-ins, no top-level await, init(url) and the worker entry', async () => {
    const dir = app(
      [
        "import * as lib from 'backprop-wasm';",
        "import wasmUrl from 'backprop-wasm/backprop.wasm';",
        "import { run } from './scenario.js';",
        'run(lib, { speed: false, init: wasmUrl });',
      ].join('\n'),
    );
    const esbuild = await import('esbuild');
    await esbuild.build({
      absWorkingDir: dir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outdir: join(dir, 'out'),
      entryPoints: { main: 'main.js', 'browser-worker': 'backprop-wasm/worker' },
      loader: { '.wasm': 'file' },
      logLevel: 'silent',
      supported: { 'top-level-await': false }, // the build fails if the package uses top-level await
    });
    writeFileSync(join(dir, 'out', 'index.html'), readFileSync(join(dir, 'index.html')));
    await servedAndTrained(join(dir, 'out'));
  }, 180_000);
});
