// Networks with image layers through the public API, on both backends: gradients by finite
// differences through fit (every conv kernel, bias and dense weight), net.layers and
// summary() with output shapes, getWeights/setWeights in Keras' kernel layout, model files and
// checkpoints that resume exactly, predict/evaluate in chunks, and the errors of bad specifications.
import { describe, expect, it } from 'vitest';
import { Network, ResourceError, trainInWorker, ValidationError, type LayerOptions } from 'backprop-wasm';
import { LOSSES } from '../dist/src/ops/losses.js';
import { Rng } from './helpers.js';

// conv 'same' stride 2 over 3 channels (gelu: its derivative from the kept z), max pooling 'same',
// conv 'valid' 2×2 with 5 filters (tanh), average pooling with stride 1, flatten, dense softmax.
const LAYERS: LayerOptions[] = [
  { type: 'conv2d', filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'gelu' },
  { type: 'maxPooling2d', poolSize: 2, strides: 1, padding: 'same' },
  { type: 'conv2d', filters: 5, kernelSize: 2, activation: 'tanh' },
  { type: 'averagePooling2d', poolSize: 2, strides: 1 },
  { type: 'flatten' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const SHAPE = [7, 6, 3],
  ROWS = 5,
  WIDTH = 7 * 6 * 3;

function data(seed = 3): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  return {
    x: Array.from({ length: ROWS }, () => Array.from({ length: WIDTH }, () => 2 * rng.next() - 1)),
    y: Array.from({ length: ROWS }, (_, r) => r % 3),
  };
}
const create = (o: object = {}) =>
  Network.create({
    inputShape: SHAPE,
    layers: LAYERS,
    loss: 'crossEntropy',
    backend: 'js',
    dtype: 'float64',
    seed: 9,
    ...o,
  });
type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const refill = (v: Nested, src: number[], at: { i: number }): Nested =>
  Array.isArray(v) ? v.map((e) => refill(e, src, at)) : src[at.i++]!;

describe.each(['js', 'wasm'] as const)('a convolutional network on backend %s', (backend) => {
  it('fit moves every parameter by minus its gradient (five-point finite differences, float64)', async () => {
    const net = await create({ backend });
    const { x, y } = data();
    const w0 = net.getWeights() as unknown as { W: Nested; b: number[] }[];
    const theta = w0.flatMap((w) => [...flat(w.W), ...w.b]);
    const set = (t: number[]) => {
      const at = { i: 0 };
      net.setWeights(w0.map((w) => ({ W: refill(w.W, t, at), b: refill(w.b, t, at) })) as never);
    };
    const lossSum = (t: number[]) => {
      set(t);
      return net.evaluate(x, y).loss * ROWS;
    };
    const h = 1e-4,
      at = (i: number, d: number) => {
        const t = theta.slice();
        t[i]! += d;
        return lossSum(t);
      };
    const numeric = theta.map((_, i) => (8 * (at(i, h) - at(i, -h)) - (at(i, 2 * h) - at(i, -2 * h))) / (12 * h));
    set(theta);
    net.fit(x, y, {
      epochs: 1,
      batchSize: ROWS,
      learningRate: 1,
      lossReduction: 'sum',
      shuffle: false,
      optimizer: 'sgd',
    });
    const after = (net.getWeights() as unknown as { W: Nested; b: number[] }[]).flatMap((w) => [...flat(w.W), ...w.b]);
    expect(after.length).toBe(theta.length);
    theta.forEach((t, i) => {
      const a = t - after[i]!,
        n = numeric[i]!;
      expect(
        Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), 1e-4),
        `parameter ${i}: analytic ${a}, numeric ${n}`,
      ).toBeLessThan(2e-6);
    });
    expect(numeric.filter((n) => Math.abs(n) > 1e-3).length).toBeGreaterThan(theta.length / 4);
  });

  it('model files and checkpoints: predict bit-exactly, resume exactly', async () => {
    const { x, y } = data();
    const a = await create({ backend }),
      b = await create({ backend });
    const fit = { epochs: 2, batchSize: 2, optimizer: 'adam' as const, learningRate: 0.01 };
    a.fit(x, y, { ...fit, epochs: 4 });
    b.fit(x, y, fit);
    for (const saved of [
      await Network.fromJSON(JSON.stringify(b.checkpoint()), { backend }),
      await Network.fromBytes(b.toBytes({ training: true }), { backend }),
    ]) {
      expect(saved.layers).toEqual(b.layers);
      expect(saved.predict(x)).toEqual(b.predict(x));
      saved.fit(x, y, { ...fit, epochs: 4, initialEpoch: 2 });
      expect(saved.predict(x)).toEqual(a.predict(x));
    }
  });

  it('predict and evaluate in chunks equal one row at a time; typed rows equal nested rows', async () => {
    const net = await create({ backend });
    const rng = new Rng(4),
      rows = 300;
    const x = new Float64Array(rows * WIDTH).map(() => rng.next());
    const all = net.predict(x);
    const one = Array.from({ length: rows }, (_, r) => Array.from(net.predict(x.subarray(r * WIDTH, (r + 1) * WIDTH))));
    // On WebAssembly a single row's small products take the unpacked gemm (no fused multiply-add in the relaxed build): equal to rounding.
    if (backend === 'js') expect(Array.from(all)).toEqual(one.flat());
    else Array.from(all).forEach((v, i) => expect(Math.abs(v - one.flat()[i]!)).toBeLessThan(1e-14));
    expect(net.predict([Array.from(x.subarray(0, WIDTH))])[0]).toEqual(one[0]);
    const labels = Array.from({ length: rows }, (_, r) => r % 3);
    expect(net.evaluate(x, labels).loss).toBeCloseTo(one.reduce((s, p, r) => s - Math.log(p[r % 3]!), 0) / rows, 12);
  });
});

describe('a convolutional network on the JS backend', () => {
  it('net.layers, summary() with output shapes, and the kernel layout [kh][kw][inChannels][filters]', async () => {
    const net = await create();
    expect(net.inputShape).toEqual(SHAPE);
    expect(net.layers[0]).toEqual({
      type: 'conv2d',
      filters: 3,
      kernelSize: [3, 2],
      strides: 2,
      padding: 'same',
      activation: 'gelu',
      useBias: true,
    });
    expect(net.layers[1]).toEqual({ type: 'maxPooling2d', poolSize: 2, strides: 1, padding: 'same' });
    const s = net.summary();
    // 7×6 with stride 2 'same' -> 4×3; pooling 'same' stride 1 keeps 4×3; conv 2×2 valid -> 3×2×5; average 2×2 stride 1 -> 2×1×5; flatten 10.
    for (const row of [
      'input         7×6×3',
      'conv2d        4×3×3',
      'maxPooling2d  4×3×3',
      'conv2d        3×2×5',
      'averagePooling2d  2×1×5',
      'flatten       10',
      'output        10 → 3',
    ].map((r) => r.replace(/ +/g, ' +'))) {
      expect(s).toMatch(new RegExp(row));
    }
    expect(s).toMatch(/total parameters: 155\b/); // (3·2·3·3 + 3) + (2·2·3·5 + 5) + (10·3 + 3)
    const w = net.getWeights() as unknown as { W: number[][][][]; b: number[] }[];
    expect([w[0]!.W.length, w[0]!.W[0]!.length, w[0]!.W[0]![0]!.length, w[0]!.W[0]![0]![0]!.length]).toEqual([
      3, 2, 3, 3,
    ]);
    expect([w[1]!.W.length, w[1]!.W[0]![0]![0]!.length, w[2]!.W.length]).toEqual([2, 5, 10]);
  });

  it("fit's memory estimate counts the conv parameters and every image layer's batch buffers", async () => {
    const net = await create({ memoryLimit: 5000 }); // the network alone (4,960 B) fits; fit does not
    const { x, y } = data();
    const error = (() => {
      try {
        net.fit(x, y, { epochs: 1, batchSize: ROWS, shuffle: false });
      } catch (e) {
        return e as ResourceError;
      }
    })();
    expect(error).toBeInstanceOf(ResourceError);
    const logits = LOSSES.find((l) => l.name === 'crossEntropy')!.needsLogits ? 1 : 0;
    // Parameters (155) x 4 copies; the data (5 rows of 126 + 3); two f64 of statistics; per batch row:
    // conv 1 (gelu keeps z) A, D, Z of 36; max pooling A, D, argmax of 36; conv 2 A, D of 30; average
    // pooling A, D of 10 (flatten has none: the rows are flat already); the output's A, D (and z) of 3; the im2col scratch of the widest conv
    // (the WebAssembly kernels': conv 1's 4×3 windows of 3×2×3, as conv 2's 3×2 of 2×2×3 are fewer); the gathered input and target rows.
    const perRow = 3 * 36 + 3 * 36 + 2 * 30 + 2 * 10 + (2 + logits) * 3 + 12 * 18 + WIDTH + 3;
    expect(error!.requested).toBe(155 * 4 * 8 + ROWS * (WIDTH + 3) * 8 + 16 + ROWS * perRow * 8);
  });

  it('trainInWorker trains it as fit does on this thread, bit for bit', async () => {
    const o = {
      inputShape: SHAPE,
      layers: LAYERS,
      loss: 'crossEntropy' as const,
      backend: 'js' as const,
      dtype: 'float32' as const,
      seed: 9,
    };
    const rows = () => {
      const { x, y } = data();
      return {
        x: Float32Array.from(x.flat()),
        y: Float32Array.from(y.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)))),
      };
    };
    const { network } = await trainInWorker({ network: { create: o }, ...rows(), fit: { epochs: 3, batchSize: 2 } })
      .result;
    const here = await Network.create(o),
      { x, y } = rows();
    here.fit(x, y, { epochs: 3, batchSize: 2 });
    expect(network.layers).toEqual(here.layers);
    expect(network.getWeights()).toEqual(here.getWeights());
  });
});

describe('bad image-layer specifications', () => {
  const bad = async (layers: unknown[], inputShape: unknown = [5, 5, 1], extra: object = {}) =>
    Network.create({ inputShape, layers, backend: 'js', ...extra } as never);
  const conv = (o: object = {}) => ({ type: 'conv2d', filters: 2, kernelSize: 3, ...o });
  const dense = { type: 'dense', units: 2 };
  it.each([
    [
      [conv({ kernelSize: 7 }), { type: 'flatten' }, dense],
      [5, 5, 1],
      "layers[0] (conv2d): kernel 7×7 is larger than its 5×5 input with padding 'valid'",
    ],
    [
      [conv(), dense],
      [5, 5, 1],
      'layers[1] (dense): a dense layer takes a flat input [features]; got the shape [3, 3, 2] (put a flatten layer before it)',
    ],
    [
      [conv(), { type: 'dropout', rate: 0.5 }, { type: 'flatten' }, dense],
      [5, 5, 1],
      'layers[1] (dropout): dropout must follow a dense layer',
    ],
    [
      [{ type: 'flatten' }, conv(), dense],
      [5, 5, 1],
      'layers[1] (conv2d): takes an image [height, width, channels]; got the shape [25]',
    ],
    [
      [conv(), { type: 'flatten' }, { type: 'flatten' }, dense],
      [5, 5, 1],
      'layers[2] (flatten): its input [18] is flat already',
    ],
    [[conv({ padding: 'full' }), { type: 'flatten' }, dense], [5, 5, 1], 'layers[0] (conv2d): padding must be'],
    [
      [{ type: 'maxPooling2d', poolSize: 6 }, { type: 'flatten' }, dense],
      [5, 5, 1],
      "layers[0] (maxPooling2d): pool 6×6 is larger than its 5×5 input with padding 'valid'",
    ],
    [
      [conv(), { type: 'flatten' }, dense],
      [5, 5],
      'inputShape must be [features] or an image [height, width, channels]; got [5, 5]',
    ],
    [
      [conv(), { type: 'flatten' }, { type: 'dense', units: 2 }],
      [5, 5, 0],
      'inputShape must list positive integer sizes',
    ],
    [
      [conv(), { type: 'flatten' }, dense],
      [8192, 8192, 2],
      'inputShape: [8192, 8192, 2] holds 134,217,728 values per row, more than the 67,108,864 an image layer takes',
    ],
    [
      [conv({ filters: 4096, padding: 'same' }), { type: 'flatten' }, dense],
      [256, 256, 1],
      'layers[0] (conv2d): [256, 256, 4096] holds 268,435,456 values per row',
    ],
  ])('%j on %j', async (layers, shape, message) => {
    await expect(bad(layers, shape)).rejects.toThrow(ValidationError);
    await expect(bad(layers, shape)).rejects.toThrow(message);
  });
  it("options given as arrays are copied: changing the caller's array later changes nothing", async () => {
    const k: [number, number] = [3, 3];
    const net = await bad([conv({ kernelSize: k }), { type: 'flatten' }, dense]);
    k[0] = 1;
    expect(net.layers[0]).toMatchObject({ kernelSize: [3, 3] });
    expect(Object.isFrozen((net.layers[0] as { kernelSize: number[] }).kernelSize)).toBe(true);
  });
  it('a model file written on the JS backend loads on the WebAssembly backend (the default) and predicts the same', async () => {
    const js = await bad([conv(), { type: 'flatten' }, dense], [5, 5, 1], { dtype: 'float64' });
    const wasm = await Network.fromBytes(js.toBytes());
    const x = [Array.from({ length: 25 }, (_, i) => Math.sin(i))];
    expect(wasm.backend).toBe('wasm');
    const [p, q] = [js.predict(x)[0]!, wasm.predict(x)[0]!];
    p.forEach((v, i) => expect(Math.abs(v - q[i]!)).toBeLessThan(1e-15));
  });
  it('weights in the wrong layout name the layer and the shape', async () => {
    const net = await bad([conv(), { type: 'flatten' }, dense]);
    const w = net.getWeights() as unknown as { W: number[][][][]; b: number[] }[];
    expect(() => net.setWeights([{ W: w[0]!.W.slice(0, 2), b: w[0]!.b }, w[1]!] as never)).toThrow(
      'setWeights[0].W must list 3 entries (W is [3][3][1][2]',
    );
    expect(() => net.setWeights([{ W: [[[[1, 2]]]], b: w[0]!.b }, w[1]!] as never)).toThrow(ValidationError);
    const flatW = w[0]!.W.flat(2);
    expect(() => net.setWeights([{ W: flatW, b: w[0]!.b }, w[1]!] as never)).toThrow(ValidationError);
    expect(net.getWeights()).toEqual(w); // a refused call changed nothing
  });
});
