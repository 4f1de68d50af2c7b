// The package in real Chromium without a bundler: training on the page and in a Web Worker, WASM
// vs JS in the same page, main-thread frame gaps while a worker trains, cancel, strict CSP, and the
// byte fallback when the server sends the .wasm with the wrong MIME type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, runPage, serve, type StaticServer } from './harness.js';

interface Results {
  error?: string;
  xorPage: number;
  spiralsPage: number;
  speed?: { wasm: number; js: number };
  xorWorker?: number;
  spiralsWorker?: number;
  frames?: { worstGapMs: number; frames: number; trainingMs: number };
  cancel?: { rejected: boolean; name?: string; progress: number; ms?: number };
  capabilities?: { kernels: string; threads: { available: number; sharedMemory: boolean } };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Chromium, no bundler (import map to dist/src/index.js)', () => {
  let server: StaticServer;
  let r: Results;
  let errors: string[];
  beforeAll(async () => {
    server = await serve();
    ({ results: r, errors } = await runPage<Results>(browser, `${server.url}/test/browser/pages/plain.html`));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('runs without errors', () => {
    expect(r.error).toBeUndefined();
    expect(errors).toEqual([]);
  });
  it('capabilities(): relaxed SIMD, the cores, no shared memory (the page is not crossOriginIsolated); only the relaxed .wasm is fetched', () => {
    expect(r.capabilities).toMatchObject({ kernels: 'relaxed-simd', threads: { sharedMemory: false } });
    expect(r.capabilities!.threads.available).toBeGreaterThanOrEqual(1);
    const wasm = server.requests.filter((p) => p.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0); // the page, then each worker
    expect(new Set(wasm)).toEqual(new Set(['/dist/backprop-relaxed.wasm']));
  });
  it('XOR and the two spirals train to >= 95% on the page', () => {
    expect(r.xorPage).toBeGreaterThanOrEqual(0.95);
    expect(r.spiralsPage).toBeGreaterThanOrEqual(0.95);
  });
  it('XOR and the two spirals train to >= 95% in a Web Worker', () => {
    expect(r.xorWorker).toBeGreaterThanOrEqual(0.95);
    expect(r.spiralsWorker).toBeGreaterThanOrEqual(0.95);
  });
  it('WASM trains faster than JS in the same page', () => {
    expect(r.speed!.wasm).toBeGreaterThan(r.speed!.js);
  });
  // Against the training's own length, not a fixed number of milliseconds (which a busy CI stretches):
  // training on the main thread would leave one gap as long as the training; in a worker, frames keep
  // coming throughout it.
  it('the page keeps drawing frames while a worker trains', () => {
    expect(r.frames!.frames).toBeGreaterThan(5);
    expect(r.frames!.worstGapMs).toBeLessThan(r.frames!.trainingMs / 4);
  });
  // Promptness by the work done before the rejection, not by wall-clock time (which a busy CI stretches).
  it('cancel rejects with an AbortError promptly (after under 1% of the training)', () => {
    expect(r.cancel).toMatchObject({ rejected: true, name: 'AbortError' });
    expect(r.cancel!.progress).toBeLessThan(1000); // of 100,000
  });
});

describe('Chromium, strict Content-Security-Policy and a wrong .wasm MIME type', () => {
  it("trains under script-src 'self' 'wasm-unsafe-eval' (no eval, no inline script)", async () => {
    const server = await serve(undefined, {
      headers: () => ({
        'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
      }),
      wasmType: 'application/octet-stream',
    });
    try {
      const { results, errors } = await runPage<Results>(browser, `${server.url}/test/browser/pages/csp.html`);
      expect(results.error).toBeUndefined();
      expect(errors).toEqual([]);
      expect(results.xorPage).toBeGreaterThanOrEqual(0.95);
      expect(results.spiralsWorker).toBeGreaterThanOrEqual(0.95);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('Chromium, crossOriginIsolated (COOP and COEP headers)', () => {
  it('capabilities() reports shared WebAssembly memory', async () => {
    const server = await serve(undefined, {
      headers: () => ({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }),
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/test/browser/pages/blank.html`);
      // A string, not a function: vitest rewrites import() inside test functions.
      const caps = await page.evaluate(`import('${server.url}/dist/src/index.js')
        .then(async (lib) => ({ isolated: crossOriginIsolated, caps: await lib.capabilities() }))`);
      expect(caps).toMatchObject({
        isolated: true,
        caps: { kernels: 'relaxed-simd', threads: { sharedMemory: true } },
      });
      await page.close();
    } finally {
      await server.close();
    }
  }, 60_000);

  it('trainInWorker trains on 2 threads (nested workers over shared memory), bit-identically to 1', async () => {
    const server = await serve(undefined, {
      headers: () => ({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }),
    });
    try {
      const { results, errors } = await runPage<Record<string, unknown>>(
        browser,
        `${server.url}/test/browser/pages/threads.html`,
      );
      expect(errors).toEqual([]);
      expect(results).toMatchObject({
        isolated: true,
        oneError: null,
        twoError: null,
        autoError: null,
        twoEqualsOne: true,
        autoEqualsOne: true,
      });
      expect(server.requests).toContain('/dist/src/worker/browser-thread-worker.js');
      expect(server.requests.some((p) => /backprop(-relaxed)?-threads\.wasm$/.test(p))).toBe(true);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('Chromium, the plain kernel build forced', () => {
  it("init({ kernels: 'simd128' }) fetches and trains with the plain build only", async () => {
    const server = await serve();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/test/browser/pages/blank.html`);
      // A string, not a function: vitest rewrites import() inside test functions.
      const result = (await page.evaluate(`import('${server.url}/dist/src/index.js').then(async (lib) => {
        await lib.init({ kernels: 'simd128' });
        const net = await lib.Network.create({ layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'crossEntropy', seed: 1 });
        const h = net.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], { epochs: 300, batchSize: 4, learningRate: 0.05 });
        return { first: h.loss[0], last: h.loss[h.loss.length - 1] };
      })`)) as { first: number; last: number };
      expect(result.last).toBeLessThan(result.first);
      expect(server.requests).toContain('/dist/backprop.wasm');
      expect(server.requests).not.toContain('/dist/backprop-relaxed.wasm');
      await page.close();
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('Chromium, not cross-origin isolated', () => {
  it("threads: 'auto' falls back to one thread; an explicit 2 is refused with what to do", async () => {
    const server = await serve();
    try {
      const { results } = await runPage<Record<string, unknown>>(
        browser,
        `${server.url}/test/browser/pages/threads.html`,
      );
      expect(results).toMatchObject({ isolated: false, oneError: null, autoError: null, autoEqualsOne: true });
      expect(results.twoError).toMatch(/ValidationError: threads: 2 needs a thread pool .* cross-origin isolated page/);
      expect(server.requests.some((p) => /threads\.wasm$|thread-worker/.test(p))).toBe(false); // no threaded build, no thread workers
    } finally {
      await server.close();
    }
  }, 120_000);
});
