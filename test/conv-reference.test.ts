// The image layers' reference math (src/layers/: conv2d, maxPooling2d, averagePooling2d) against
// PyTorch float64 autograd (test/fixtures/conv-torch.json, from scripts/conv_reference.py): outputs
// and the gradients of x, W and b to 1e-9 over valid and same padding (asymmetric where Keras pads
// so), strides 1 to 3, kernels 1×1 to 5×5, odd sizes and channel counts that are not multiples of 4;
// then finite differences of the same functions; then the layers' validation messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dForward, convWindow } from '../dist/src/layers/conv2d.js';
import { maxPoolBackward, maxPoolForward } from '../dist/src/layers/max-pooling2d.js';
import { averagePoolBackward, averagePoolForward } from '../dist/src/layers/average-pooling2d.js';
import { poolWindow } from '../dist/src/layers/pooling.js';
import { spatialShapes } from '../dist/src/layers/spatial.js';
import { resolveLayer as resolveSpatial } from '../dist/src/layers/index.js';
import { ValidationError } from '../dist/src/errors.js';
import type { Conv2dConfig, Pooling2dConfig } from '../dist/src/layers/kind.js';
import { expectClose, Rng } from './helpers.js';

interface Case {
  type: 'conv2d' | 'maxPooling2d' | 'averagePooling2d';
  shape: [number, number, number, number];
  padding: 'valid' | 'same';
  strides: [number, number];
  filters?: number;
  kernelSize?: [number, number];
  poolSize?: [number, number];
  x: number[];
  W?: number[];
  b?: number[];
  y: number[];
  dy: number[];
  dx: number[];
  dW?: number[];
  db?: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/conv-torch.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

/** y and the gradients of Σ y·dy by this library's reference layers. */
function run(c: Case, x: ArrayLike<number>, W?: ArrayLike<number>, b?: ArrayLike<number>) {
  const [n, h, w, ch] = c.shape;
  if (c.type === 'conv2d') {
    const cfg = resolveSpatial(
      { type: 'conv2d', filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding },
      'case',
    ) as Conv2dConfig;
    const win = convWindow(cfg, [h, w, ch]),
      F = c.filters!;
    const y = new Float64Array(n * win.oh * win.ow * F),
      dx = new Float64Array(x.length),
      dW = new Float64Array(W!.length),
      db = new Float64Array(F);
    conv2dForward(win, F, n, x, W!, b!, y);
    conv2dBackward(win, F, n, x, W!, c.dy, dx, dW, db);
    return { y, dx, dW, db };
  }
  const cfg = resolveSpatial(
    { type: c.type, poolSize: c.poolSize, strides: c.strides, padding: c.padding },
    'case',
  ) as Pooling2dConfig;
  const win = poolWindow(cfg, [h, w, ch]),
    y = new Float64Array(n * win.oh * win.ow * ch),
    dx = new Float64Array(x.length);
  if (c.type === 'maxPooling2d') {
    const arg = new Int32Array(y.length);
    maxPoolForward(win, n, x, y, arg);
    maxPoolBackward(win, n, arg, c.dy, dx);
  } else {
    averagePoolForward(win, n, x, y);
    averagePoolBackward(win, n, c.dy, dx);
  }
  return { y, dx };
}

const label = (c: Case) =>
  `${c.type} ${c.shape.join('×')} ${c.type === 'conv2d' ? `${c.filters}f k${c.kernelSize!.join('×')}` : `pool ${c.poolSize!.join('×')}`} s${c.strides.join('×')} ${c.padding}`;

describe('image layers against PyTorch float64', () => {
  it('the fixture covers both paddings, strides 1 and 2, kernels 1×1 to 5×5 and each kind', () => {
    for (const t of ['conv2d', 'maxPooling2d', 'averagePooling2d']) {
      for (const p of ['valid', 'same'])
        expect(
          cases.some((c) => c.type === t && c.padding === p),
          `${t} ${p}`,
        ).toBe(true);
    }
    const kernels = cases.filter((c) => c.type === 'conv2d').map((c) => c.kernelSize![0]);
    for (const k of [1, 2, 3, 4, 5]) expect(kernels).toContain(k);
    expect(cases.some((c) => c.type === 'conv2d' && c.shape[3] % 4 !== 0 && c.strides[0] === 2)).toBe(true);
  });

  it.each(cases.map((c) => [label(c), c] as const))('%s: y, dx, dW, db to 1e-9', (_l, c) => {
    const got = run(c, c.x, c.W, c.b);
    expectClose(got.y, c.y, 1e-9, 1e-9, 'y');
    expectClose(got.dx, c.dx, 1e-9, 1e-9, 'dx');
    if ('dW' in got) {
      expectClose(got.dW, c.dW!, 1e-9, 1e-9, 'dW');
      expectClose(got.db, c.db!, 1e-9, 1e-9, 'db');
    }
  });
});

describe('image layers by finite differences', () => {
  const loss = (c: Case, x: ArrayLike<number>, W?: ArrayLike<number>, b?: ArrayLike<number>) =>
    run(c, x, W, b).y.reduce((s, v, i) => s + v * c.dy[i]!, 0);
  // Central differences of Σ y·dy at a few coordinates of each array (max pooling's ties have probability 0 on random inputs).
  it.each(cases.filter((_, i) => i % 2 === 0).map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const rng = new Rng(7),
      eps = 1e-6;
    const got = run(c, c.x, c.W, c.b);
    const probe = (name: 'x' | 'W' | 'b', grad: ArrayLike<number>) => {
      const base = Float64Array.from(c[name]!);
      for (let t = 0; t < 6; t++) {
        const i = Math.floor(rng.next() * base.length),
          v = base[i]!;
        const at = (d: number) => {
          base[i] = v + d;
          const arr = { x: c.x, W: c.W, b: c.b, [name]: base };
          return loss(c, arr.x, arr.W, arr.b);
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        base[i] = v;
        expect(Math.abs(fd - grad[i]!), `${name}[${i}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    };
    probe('x', got.dx);
    if (c.type === 'conv2d') {
      probe('W', (got as { dW: Float64Array }).dW);
      probe('b', (got as { db: Float64Array }).db);
    }
  });
});

describe('image layer validation names the layer and the shapes', () => {
  const conv = (o: object) => resolveSpatial({ type: 'conv2d', filters: 4, kernelSize: 3, ...o }, 'layers[2]');
  it.each([
    [{ filters: 0 }, 'layers[2] (conv2d): filters must be a positive integer'],
    [{ filters: 2.5 }, 'filters must be a positive integer'],
    [{ kernelSize: [3] }, 'layers[2] (conv2d): kernelSize must be a positive integer or [height, width]'],
    [{ kernelSize: -1 }, 'kernelSize must be'],
    [{ strides: [1, 0] }, 'strides must be'],
    [{ padding: 'SAME' }, "padding must be 'valid' or 'same'; got \"SAME\""],
    [{ activation: 'softmax' }, 'activation "softmax" is not one of'],
    [{ useBias: 1 }, 'useBias must be true or false'],
    [{ kernel: 3 }, "unknown option 'kernel'"],
  ])('conv2d %j', (o, message) => {
    expect(() => conv(o)).toThrow(ValidationError);
    expect(() => conv(o)).toThrow(message);
  });
  it('filters and kernelSize are required; pooling options are checked', () => {
    expect(() => resolveSpatial({ type: 'conv2d', kernelSize: 3 }, 'layers[0]')).toThrow(
      "layers[0] (conv2d): 'filters' is required",
    );
    expect(() => resolveSpatial({ type: 'maxPooling2d', poolSize: 0 }, 'layers[1]')).toThrow(
      'layers[1] (maxPooling2d): poolSize must be',
    );
    expect(() => resolveSpatial({ type: 'averagePooling2d', strides: 'x' }, 'layers[1]')).toThrow(
      'layers[1] (averagePooling2d): strides must be',
    );
    expect(() => resolveSpatial({ type: 'conv3d' }, 'layers[1]')).toThrow(
      "type \"conv3d\" is not one of 'dense', 'dropout', 'conv2d', 'maxPooling2d', 'averagePooling2d', 'flatten'",
    );
    expect(resolveSpatial({ type: 'maxPooling2d' }, 'l')).toEqual({
      type: 'maxPooling2d',
      poolSize: 2,
      strides: null,
      padding: 'valid',
    });
  });
  it("shapes: a kernel larger than its valid input, a flat input, C1's output shapes", () => {
    const c5 = conv({ kernelSize: 5 });
    expect(() => spatialShapes([3, 3, 1], [c5], 2)).toThrow(
      "layers[2] (conv2d): kernel 5×5 is larger than its 3×3 input with padding 'valid'",
    );
    expect(spatialShapes([3, 3, 1], [conv({ kernelSize: 5, padding: 'same' })], 2).map((s) => s.output)).toEqual([
      [3, 3, 4],
    ]);
    expect(() => spatialShapes([784], [c5], 0)).toThrow(
      'layers[0] (conv2d): takes an image [height, width, channels]; got the shape [784]',
    );
    const flat = resolveSpatial({ type: 'flatten' }, 'l');
    expect(() => spatialShapes([4, 4, 1], [flat, flat], 0)).toThrow(
      'layers[1] (flatten): its input [16] is flat already',
    );
    const pool = resolveSpatial({ type: 'maxPooling2d', poolSize: 2 }, 'l');
    const c1 = [conv({ filters: 32, activation: 'relu' }), pool, conv({ filters: 64, activation: 'relu' }), pool, flat];
    expect(spatialShapes([28, 28, 1], c1, 0).map((s) => s.output)).toEqual([
      [26, 26, 32],
      [13, 13, 32],
      [11, 11, 64],
      [5, 5, 64],
      [1600],
    ]);
    expect(() => spatialShapes([1, 1, 3], [pool], 4)).toThrow(
      "layers[4] (maxPooling2d): pool 2×2 is larger than its 1×1 input with padding 'valid'",
    );
  });
});
