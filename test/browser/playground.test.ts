// The playground in Chromium: loads without console errors, trains the spirals with its default
// settings (no loss spikes) in a worker, its decision boundary changes over training (pixels of two
// captures compared), the loss curve and samples/s show, Stop cancels, every invalid setting gets an
// inline message and leaves the controls usable, the layout fits 800 and 360 px wide, and the digits
// tab refuses a bad epoch count and reads digits drawn through the page's pointer events (its CNN:
// playground-cnn.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, ROOT, serve, type StaticServer } from './harness.js';
import { readDrawnDigits } from './draw-digits.js';

interface PlaygroundState {
  epochs: number;
  snapshots: number;
  done: boolean;
  accuracy: number | null;
  losses: number[];
}
let browser: Browser;
let server: StaticServer;
let page: Page;
const errors: string[] = [];

const boundaryPixels = () =>
  page.evaluate(() => {
    const c = document.getElementById('boundary') as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  });
const state = () => page.evaluate(() => (window as unknown as { __playground: PlaygroundState }).__playground);
const waitDone = () =>
  page.waitForFunction(() => (window as unknown as { __playground: PlaygroundState }).__playground.done, undefined, {
    timeout: 60_000,
  });

beforeAll(async () => {
  browser = await launch();
  server = await serve();
  page = await browser.newPage({ viewport: { width: 1180, height: 720 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/examples/playground/index.html`);
  await page.waitForFunction(
    () => (window as unknown as { __playground?: { ready?: boolean } }).__playground?.ready === true,
  );
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('playground', () => {
  it('trains the spirals with the default settings, without loss spikes; the decision boundary changes over training', async () => {
    await page.selectOption('#dataset', 'spirals');
    await page.$eval('#noise', (el) => {
      (el as HTMLInputElement).value = '0.02';
      el.dispatchEvent(new Event('input'));
    });
    // The first snapshot's picture, caught as it is drawn: training 800 epochs takes well under a
    // second, so polling could see only the last one.
    await page.evaluate(() =>
      addEventListener(
        'playground:snapshot',
        () => {
          const c = document.getElementById('boundary') as HTMLCanvasElement;
          (window as unknown as { __first: number[] }).__first = Array.from(
            c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data,
          );
        },
        { once: true },
      ),
    );
    await page.click('#train');
    await waitDone();
    const early = await page.evaluate(() => (window as unknown as { __first: number[] }).__first);
    const late = await boundaryPixels();
    let changed = 0;
    for (let i = 0; i < early.length; i += 4) {
      if (
        Math.abs(early[i]! - late[i]!) +
          Math.abs(early[i + 1]! - late[i + 1]!) +
          Math.abs(early[i + 2]! - late[i + 2]!) >
        30
      )
        changed++;
    }
    expect(changed / (early.length / 4)).toBeGreaterThan(0.05);
    const s = await state();
    expect(s.epochs).toBe(800);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.95);
    // No spike: past the first 50 epochs, the loss never climbs more than 0.05 above its lowest so far.
    let lowest = Infinity,
      worst = 0;
    s.losses.forEach((l, e) => {
      if (e >= 50) worst = Math.max(worst, l - lowest);
      lowest = Math.min(lowest, l);
    });
    expect(worst).toBeLessThan(0.05);
    expect(s.losses.at(-1)).toBeLessThan(0.05);
    expect(await page.locator('#loss canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#rateWasm')).toMatch(/^[\d,]+ samples\/s$/);
    if (process.env.UPDATE_SCREENSHOT) writeFileSync(join(ROOT, 'docs', 'playground.png'), await page.screenshot()); // README picture
  }, 90_000);

  it('Stop cancels training', async () => {
    await page.fill('#epochs', '100000');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { __playground: PlaygroundState }).__playground.epochs >= 3);
    await page.click('#stop');
    await waitDone();
    const { epochs } = await state();
    await page.waitForTimeout(200);
    expect((await state()).epochs).toBe(epochs);
    expect(await page.isEnabled('#train')).toBe(true);
  }, 60_000);

  it('every invalid setting shows an inline message and leaves the controls usable', async () => {
    const bad: [string, string, RegExp][] = [
      ['#rate', '0', /learning rate must be above 0/],
      ['#rate', '', /learning rate must be above 0/],
      ['#layers', '16,abc', /"abc" is not a size/],
      ['#layers', '16,,8', /"" is not a size/],
      ['#layers', '0', /"0" is not a size/],
      ['#batch', '0', /batch size must be a whole number/],
      ['#epochs', '2.5', /epochs must be a whole number/],
      ['#points', '5', /points must be a whole number from 20/],
    ];
    await page.fill('#epochs', '5');
    const before = (await state()).epochs; // from the Stop test
    for (const [field, value, message] of bad) {
      const good = await page.inputValue(field);
      await page.fill(field, value);
      await page.click('#train');
      expect(await page.textContent('#formError'), `${field} = "${value}"`).toMatch(message);
      expect(await page.isVisible('#formError')).toBe(true);
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.isEnabled('#train')).toBe(true);
      expect(await page.isDisabled('#stop')).toBe(true);
      expect((await state()).epochs).toBe(before); // nothing trained: not 2-16-1 for "16,abc"
      await page.fill(field, good); // fixing the value clears the message
      expect(await page.isVisible('#formError')).toBe(false);
    }
    await page.click('#train'); // and training works again
    await waitDone();
    expect((await state()).epochs).toBe(5);
    expect(errors).toEqual([]);
  }, 60_000);

  it('fits 800 and 360 px wide without horizontal scrolling, on both tabs', async () => {
    for (const width of [800, 360]) {
      await page.setViewportSize({ width, height: 720 });
      for (const tab of ['digits', 'shapes']) {
        await page.click(`.tab[data-tab=${tab}]`);
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(scroll, `${tab} tab at ${width} px`).toBeLessThanOrEqual(client);
      }
    }
    await page.setViewportSize({ width: 1180, height: 720 });
  }, 30_000);

  it('the digits tab refuses an epoch count that is not a whole number from 1 to 50, and stays usable', async () => {
    await page.click('.tab[data-tab=digits]');
    for (const value of ['0', '2.5', '51', '']) {
      await page.fill('#digitEpochs', value);
      await page.click('#trainDigits');
      expect(await page.textContent('#digitsStatus'), `"${value}"`).toBe('epochs must be a whole number from 1 to 50');
      expect(await page.isEnabled('#trainDigits')).toBe(true);
      expect(
        await page.evaluate(() => (window as unknown as { __digits: { trained: boolean } }).__digits.trained),
      ).toBe(false);
    }
    await page.selectOption('#digitModel', 'cnn'); // a model's default epochs come back with it
    await page.selectOption('#digitModel', 'mlp');
    expect(await page.inputValue('#digitEpochs')).toBe('8');
  }, 30_000);

  it('the digits tab trains the MLP on the MNIST digits and reads digits drawn with the pointer', async () => {
    await page.click('.tab[data-tab=digits]');
    await page.click('#trainDigits');
    await page.waitForFunction(
      () => (window as unknown as { __digits: { trained: boolean } }).__digits.trained,
      undefined,
      { timeout: 90_000 },
    );
    const read = await readDrawnDigits(page);
    expect(read).toEqual({ 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 7: 7 });
    // The default model and epochs, on one thread (this page is not cross-origin isolated).
    expect(await page.evaluate(() => (window as unknown as { __digits: object }).__digits)).toMatchObject({
      model: 'mlp',
      epochs: 8,
      threads: 1,
    });
    expect(errors).toEqual([]);
  }, 120_000);
});
