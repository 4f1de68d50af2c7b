// Browser test harness: a static file server on 127.0.0.1 (correct MIME types, optional headers per
// path) and Debian's Chromium driven by playwright-core. Never downloads a browser.
import { createServer, type Server } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface StaticServer {
  url: string;
  close(): Promise<void> /** Paths requested so far, in order. */;
  requests: string[];
}

/** Serves `root`; `headers(path)` adds response headers; `wasmType` overrides the .wasm MIME type. */
export async function serve(
  root = ROOT,
  options: { headers?: (path: string) => Record<string, string>; wasmType?: string } = {},
): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    let path: string;
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    requests.push(path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    } // Chromium asks for it on every page
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const ext = extname(file);
    res.writeHead(200, {
      'content-type':
        ext === '.wasm' && options.wasmType ? options.wasmType : (TYPES[ext] ?? 'application/octet-stream'),
      'cache-control': 'no-store',
      ...options.headers?.(path),
    });
    res.end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens url, collecting console errors and page errors; waits for window.__done and returns window.__results. */
export async function runPage<T>(
  browser: Browser,
  url: string,
  timeout = 90_000,
): Promise<{ results: T; errors: string[]; page: Page }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __done?: boolean }).__done === true, undefined, { timeout });
  const results = (await page.evaluate(() => (window as unknown as { __results: unknown }).__results)) as T;
  return { results, errors, page };
}
