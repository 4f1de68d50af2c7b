// A small image table for the CLI tests: 8×8 images (one channel, or `channels`) of four shapes (a
// bar, a column, a diagonal, a box outline) at random places over noise, pixels 0 to 255, one row
// per image flattened channels-last (p<y>_<x> or p<y>_<x>_<c>), the shape's name in the last column.
// Seeded; the classes take turns, so every split holds each.
import { rng } from './cli-run.js';

export const SHAPES = ['bar', 'column', 'diagonal', 'box'];
export const SIZE = 8;

export interface Images {
  csv: string;
  pixels: number[][];
  labels: string[];
  header: string[];
}

export function images(n: number, seed: number, { channels = 1, noise = 120 } = {}): Images {
  const r = rng(seed),
    S = SIZE;
  const header: string[] = [];
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++)
      for (let c = 0; c < channels; c++) header.push(channels > 1 ? `p${y}_${x}_${c}` : `p${y}_${x}`);
  const lines = [[...header, 'shape'].join(',')],
    pixels: number[][] = [],
    labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % SHAPES.length,
      on = new Uint8Array(S * S);
    const y0 = Math.floor(r() * 4),
      x0 = Math.floor(r() * 4);
    const set = (y: number, x: number): void => {
      on[y * S + x] = 1;
    };
    for (let t = 0; t < 4; t++) {
      if (k === 0) set(y0 + 2, x0 + t);
      if (k === 1) set(y0 + t, x0 + 2);
      if (k === 2) set(y0 + t, x0 + t);
    }
    if (k === 3)
      for (let t = 0; t < 3; t++) {
        set(y0, x0 + t);
        set(y0 + 2, x0 + t);
        set(y0 + t, x0);
        set(y0 + t, x0 + 2);
      }
    const row = Array.from(on).flatMap((v) =>
      Array.from({ length: channels }, () => Math.min(255, Math.round(v * (255 - noise) + r() * noise))),
    );
    pixels.push(row);
    labels.push(SHAPES[k]!);
    lines.push([...row, SHAPES[k]].join(','));
  }
  return { csv: `${lines.join('\n')}\n`, pixels, labels, header };
}
