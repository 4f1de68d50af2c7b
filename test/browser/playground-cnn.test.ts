// The playground's digits tab with its CNN, in Chromium: on a cross-origin isolated page (COOP and
// COEP, as npm run demo serves it) the training worker runs threads and the page says so; on a page
// that is not isolated it trains on one thread and says that. The work is bounded by epochs (one
// epoch, 282 batches of 32 over 9,000 digits), never by time; the two runs must agree bit for bit
// (threads give the single thread's result), and the CNN must read digits drawn on the pad.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, ROOT, serve, type StaticServer } from './harness.js';
import { readDrawnDigits } from './draw-digits.js';

interface Digits {
  trained: boolean;
  model: string;
  threads: number;
  epochs: number;
  heldOutAccuracy: number;
}

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the playground from `server`, trains the CNN for one epoch on the digits tab, and reports. */
async function trainCnn(server: StaticServer): Promise<{
  page: Page;
  errors: string[];
  isolated: boolean;
  cores: number;
  threadsNote: string;
  status: string;
  digits: Digits;
}> {
  const page = await browser.newPage({ viewport: { width: 1180, height: 720 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/examples/playground/index.html`);
  await page.waitForFunction(
    () => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true,
  );
  await page.click('.tab[data-tab=digits]');
  await page.selectOption('#digitModel', 'cnn');
  expect(await page.inputValue('#digitEpochs')).toBe('4'); // the CNN's default
  await page.fill('#digitEpochs', '1');
  await page.click('#trainDigits');
  await page.waitForFunction(() => (window as unknown as { __digits: Digits }).__digits.trained, undefined, {
    timeout: 150_000,
  });
  const { isolated, cores, digits } = await page.evaluate(() => ({
    isolated: crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    digits: (window as unknown as { __digits: Digits }).__digits,
  }));
  return {
    page,
    errors,
    isolated,
    cores,
    digits,
    threadsNote: (await page.textContent('#digitsThreads'))!,
    status: (await page.textContent('#digitsStatus'))!,
  };
}

describe('the digits tab trains its CNN in a worker', () => {
  let accuracyOnThreads: number | undefined;

  it('on a cross-origin isolated page, on threads, and reads drawn digits', async () => {
    const server = await serve(undefined, { headers: () => ISOLATION });
    try {
      const { page, errors, isolated, cores, threadsNote, status, digits } = await trainCnn(server);
      expect(isolated).toBe(true);
      expect(threadsNote).toMatch(/^threads on: the page is cross-origin isolated/);
      // 'auto' on an isolated page: one thread per core (this machine has 2 or more).
      expect(cores).toBeGreaterThan(1);
      expect(digits).toMatchObject({ model: 'cnn', epochs: 1, threads: Math.min(cores, 64) });
      expect(status).toMatch(new RegExp(`trained on ${Math.min(cores, 64)} threads in [\\d.]+ s: draw a digit$`));
      expect(server.requests).toContain('/dist/src/worker/browser-thread-worker.js');
      expect(server.requests.some((p) => /-threads\.wasm$/.test(p))).toBe(true);
      // One epoch reaches about 97% on the 1,000 held-out digits; far below that means it did not learn.
      expect(digits.heldOutAccuracy).toBeGreaterThan(0.85);
      expect(await readDrawnDigits(page)).toEqual({ 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 7: 7 });
      expect(errors).toEqual([]);
      accuracyOnThreads = digits.heldOutAccuracy;
      await page.close();
    } finally {
      await server.close();
    }
  }, 180_000);

  it('on a page that is not isolated, on one thread (and says so), to the same result', async () => {
    const server = await serve();
    try {
      const { page, errors, isolated, threadsNote, status, digits } = await trainCnn(server);
      expect(isolated).toBe(false);
      expect(threadsNote).toMatch(/^threads off: the page is not cross-origin isolated .* one thread$/);
      expect(digits).toMatchObject({ model: 'cnn', epochs: 1, threads: 1 });
      expect(status).toMatch(/trained on one thread in [\d.]+ s: draw a digit$/);
      expect(server.requests.some((p) => /threads\.wasm$|thread-worker/.test(p))).toBe(false);
      expect(digits.heldOutAccuracy).toBeGreaterThan(0.85);
      // Threads are bit-identical to one thread: the same held-out accuracy, to the last digit.
      if (accuracyOnThreads !== undefined) expect(digits.heldOutAccuracy).toBe(accuracyOnThreads);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe('npm run demo (examples/playground/serve.mjs)', () => {
  it('serves the playground cross-origin isolated, so its digits tab has threads on', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'examples', 'playground', 'serve.mjs')], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout
          .setEncoding('utf8')
          .once('data', (line: string) => resolve(line.replace(/^playground: /, '').trim()));
        child.once('exit', (code) => reject(new Error(`serve.mjs exited (code ${code})`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/examples\/playground\/$/);
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(
        () => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true,
      );
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await page.textContent('#digitsThreads')).toMatch(/^threads on/);
      await page.close();
    } finally {
      child.kill();
    }
  }, 60_000);
});
