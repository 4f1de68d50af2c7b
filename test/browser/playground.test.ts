// The playground in Chromium: loads without console errors, trains in a worker, its decision
// boundary changes over training (pixels of two captures compared), the loss curve and samples/s
// show, Stop cancels, and the digits tab classifies a digit drawn with the mouse.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, ROOT, serve, type StaticServer } from './harness.js';

let browser: Browser;
let server: StaticServer;
let page: Page;
const errors: string[] = [];

const boundaryPixels = () => page.evaluate(() => {
  const c = document.getElementById('boundary') as HTMLCanvasElement;
  return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
});
const state = () => page.evaluate(() => (window as unknown as { __playground: { epochs: number; snapshots: number; done: boolean; accuracy: number | null } }).__playground);

beforeAll(async () => {
  browser = await launch();
  server = await serve();
  page = await browser.newPage({ viewport: { width: 1180, height: 720 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/examples/playground/index.html`);
  await page.waitForFunction(() => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true);
}, 60_000);
afterAll(async () => { await browser?.close(); await server?.close(); });

describe('playground', () => {
  it('trains in a worker and its decision boundary changes over training', async () => {
    await page.selectOption('#dataset', 'spirals');
    await page.$eval('#noise', (el) => { (el as HTMLInputElement).value = '0.02'; el.dispatchEvent(new Event('input')); });
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { __playground: { snapshots: number } }).__playground.snapshots >= 2);
    const early = await boundaryPixels();
    await page.waitForFunction(() => (window as unknown as { __playground: { done: boolean } }).__playground.done, undefined, { timeout: 60_000 });
    const late = await boundaryPixels();
    let changed = 0;
    for (let i = 0; i < early.length; i += 4) {
      if (Math.abs(early[i]! - late[i]!) + Math.abs(early[i + 1]! - late[i + 1]!) + Math.abs(early[i + 2]! - late[i + 2]!) > 30) changed++;
    }
    expect(changed / (early.length / 4)).toBeGreaterThan(0.05);
    const s = await state();
    expect(s.epochs).toBe(800);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(await page.locator('#loss canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#rateWasm')).toMatch(/^[\d,]+ samples\/s$/);
    if (process.env.UPDATE_SCREENSHOT) writeFileSync(join(ROOT, 'docs', 'playground.png'), await page.screenshot()); // README picture
  }, 90_000);

  it('Stop cancels training', async () => {
    await page.fill('#epochs', '100000');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { __playground: { epochs: number } }).__playground.epochs >= 3);
    await page.click('#stop');
    await page.waitForFunction(() => (window as unknown as { __playground: { done: boolean } }).__playground.done);
    const { epochs } = await state();
    await page.waitForTimeout(200);
    expect((await state()).epochs).toBe(epochs);
    expect(await page.isEnabled('#train')).toBe(true);
  }, 60_000);

  it('the digits tab trains on the MNIST digits and classifies a drawn digit', async () => {
    await page.click('.tab[data-tab=digits]');
    await page.click('#trainDigits');
    await page.waitForFunction(() => (window as unknown as { __digits: { trained: boolean } }).__digits.trained, undefined, { timeout: 60_000 });
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    for (let y = 40; y <= 240; y += 10) await page.mouse.move(box.x + 140 + (y - 40) / 40, box.y + y);
    await page.mouse.up();
    const prediction = await page.evaluate(() => (window as unknown as { __digits: { prediction: number | null } }).__digits.prediction);
    expect(prediction).toBe(1);
    expect(errors).toEqual([]);
  }, 90_000);
});
