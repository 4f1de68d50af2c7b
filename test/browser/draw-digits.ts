// Digits drawn on the playground's pad through the page's pointer events, as a person would (not
// too neat), for the digits-tab tests: each is cleared, drawn, and the page's prediction read.
import type { Page } from 'playwright-core';

const arc = (cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 24): number[][] =>
  Array.from({ length: n + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });

/** Strokes in pad pixels (280 x 280), by digit. */
export const DRAWN: Record<number, number[][][]> = {
  0: [arc(140, 140, 60, 95, -90, 275)],
  1: [
    [
      [150, 45],
      [145, 120],
      [138, 235],
    ],
  ],
  2: [[...arc(140, 100, 55, 50, 200, 360), [120, 190], [85, 235], [200, 232]]],
  3: [[...arc(138, 92, 52, 45, 200, 450), ...arc(138, 185, 58, 50, 270, 500)]],
  4: [
    [
      [115, 45],
      [88, 160],
      [205, 160],
    ],
    [
      [172, 80],
      [168, 240],
    ],
  ],
  7: [
    [
      [80, 55],
      [200, 55],
      [125, 240],
    ],
  ],
};

/** Draws each of DRAWN on the pad (the digits tab showing) and returns what the page predicted for each. */
export async function readDrawnDigits(page: Page): Promise<Record<number, number | null>> {
  const box = (await page.locator('#pad').boundingBox())!;
  const read: Record<number, number | null> = {};
  for (const [digit, strokes] of Object.entries(DRAWN)) {
    await page.click('#clearPad');
    for (const stroke of strokes) {
      await page.mouse.move(box.x + stroke[0]![0]!, box.y + stroke[0]![1]!);
      await page.mouse.down();
      for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x!, box.y + y!, { steps: 4 });
      await page.mouse.up();
    }
    read[Number(digit)] = await page.evaluate(
      () => (window as unknown as { __digits: { prediction: number | null } }).__digits.prediction,
    );
  }
  return read;
}
