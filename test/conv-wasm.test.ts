// The WebAssembly image kernels (assembly/conv.ts, pool.ts, image.ts) through the public API: conv
// gradients equal PyTorch float64 autograd (test/fixtures/conv-torch.json) to 1e-9; training
// trajectories equal the JS reference backend's over tile-edge shapes (channels not multiples of 4,
// odd sizes, kernels 1×1 to 5×5, strides 2, same and valid, no bias, both poolings); threads give the
// weights of one thread bit for bit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network, type LayerOptions } from 'backprop-wasm';
import { expectClose } from './helpers.js';
import { ARCHITECTURES, conv, trajectory } from './conv-cases.js';
import { C1, splitDigits } from '../dist/examples/mnist-data.js';

type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const refill = (v: Nested, src: ArrayLike<number>, at: { i: number }): Nested =>
  Array.isArray(v) ? v.map((e) => refill(e, src, at)) : src[at.i++]!;
type Weights = { W: Nested; b: number[] }[];
const weightsOf = (net: Network) => net.getWeights() as unknown as Weights;
const allWeights = (net: Network) => weightsOf(net).flatMap((w) => [...flat(w.W), ...w.b]);
/** Sets layer i's W and b from flat arrays (in the getWeights order). */
function setFlat(net: Network, arrays: { W: ArrayLike<number>; b: ArrayLike<number> }[]): void {
  net.setWeights(
    weightsOf(net).map((w, i) => ({
      W: refill(w.W, arrays[i]!.W, { i: 0 }),
      b: refill(w.b, arrays[i]!.b, { i: 0 }),
    })) as never,
  );
}

interface Case {
  type: string;
  shape: [number, number, number, number];
  padding: 'valid' | 'same';
  strides: [number, number];
  filters?: number;
  kernelSize?: [number, number];
  x: number[];
  W?: number[];
  b?: number[];
  dy: number[];
  dW?: number[];
  db?: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/conv-torch.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const convCases = cases.filter((c) => c.type === 'conv2d');

describe('conv2d gradients on the WebAssembly backend against PyTorch float64', () => {
  // Per image n: conv → flatten → one linear unit whose weights are dy_n, mse against (output − 1), so
  // dL/d(conv output) = dy_n; one sgd step of rate 1 moves W and b by minus their gradient. Summed over n.
  it.each(
    convCases.map(
      (c) =>
        [
          `${c.shape.join('×')} ${c.filters}f k${c.kernelSize!.join('×')} s${c.strides.join('×')} ${c.padding}`,
          c,
        ] as const,
    ),
  )('%s: dW, db to 1e-9', async (_l, c) => {
    const [n, h, w, ch] = c.shape,
      per = c.dy.length / n;
    const dW = new Float64Array(c.W!.length),
      db = new Float64Array(c.filters!);
    for (let i = 0; i < n; i++) {
      const net = await Network.create({
        inputShape: [h, w, ch],
        layers: [
          { type: 'conv2d', filters: c.filters!, kernelSize: c.kernelSize!, strides: c.strides, padding: c.padding },
          { type: 'flatten' },
          { type: 'dense', units: 1 },
        ],
        loss: 'mse',
        dtype: 'float64',
        backend: 'wasm',
      });
      setFlat(net, [
        { W: c.W!, b: c.b! },
        { W: c.dy.slice(i * per, (i + 1) * per), b: [0] },
      ]);
      const x = [c.x.slice(i * h * w * ch, (i + 1) * h * w * ch)];
      const target = [[net.predict(x)[0]![0]! - 1]];
      net.fit(x, target, {
        epochs: 1,
        batchSize: 1,
        learningRate: 1,
        lossReduction: 'sum',
        shuffle: false,
        optimizer: 'sgd',
      });
      const after = weightsOf(net)[0]!;
      flat(after.W).forEach((v, j) => {
        dW[j] = dW[j]! + c.W![j]! - v;
      });
      after.b.forEach((v, j) => {
        db[j] = db[j]! + c.b![j]! - v;
      });
    }
    expectClose(dW, c.dW!, 1e-9, 1e-9, 'dW');
    expectClose(db, c.db!, 1e-9, 1e-9, 'db');
  });
});

describe('the WebAssembly backend trains image networks as the JS reference does', () => {
  it.each(ARCHITECTURES)('%s: float64 losses to 1e-12, weights to 1e-10', async (_l, shape, layers) => {
    const [js, wasm] = [
      await trajectory('js', 'float64', shape, layers),
      await trajectory('wasm', 'float64', shape, layers),
    ];
    expectClose(wasm.losses, js.losses, 1e-12, 0, 'losses');
    expectClose(wasm.weights, js.weights, 1e-10, 1e-12, 'weights');
    expectClose(wasm.outputs, js.outputs, 1e-10, 1e-12, 'predictions');
    expect(js.losses[2]!).toBeLessThan(js.losses[0]!);
  });

  it.each(ARCHITECTURES)('%s: float32 within float32 rounding', async (_l, shape, layers) => {
    const [js, wasm] = [
      await trajectory('js', 'float32', shape, layers),
      await trajectory('wasm', 'float32', shape, layers),
    ];
    expectClose(wasm.losses, js.losses, 1e-4, 0, 'losses');
    expectClose(wasm.weights, js.weights, 1e-3, 1e-4, 'weights');
  });
});

describe("C1 (issue 19's CNN) at its real shapes: conv products of 10,816 × 9 × 32 and 1,936 × 288 × 64", () => {
  // Three Adam steps of batch 16 on MNIST digits (npm run mnist-cnn trains at 32): per-step losses and every parameter.
  const { train } = splitDigits();
  async function steps(backend: 'js' | 'wasm', dtype: 'float32' | 'float64') {
    const net = await Network.create({
      inputShape: [28, 28, 1],
      layers: C1,
      loss: 'crossEntropy',
      backend,
      dtype,
      seed: 3,
    });
    const losses: number[] = [];
    for (let s = 0; s < 48; s += 16) {
      losses.push(
        net.fit(train.x.subarray(s * 784, (s + 16) * 784), train.y.subarray(s * 10, (s + 16) * 10), {
          epochs: 1,
          batchSize: 16,
          optimizer: 'adam',
          learningRate: 1e-3,
          shuffle: false,
        }).loss[0]!,
      );
    }
    const weights = allWeights(net);
    net.dispose();
    return { losses, weights };
  }
  // float32: Adam turns a gradient summed from cancelling terms into a full step, so a few weights move
  // by ~1e-4 between any two roundings; the test is that WASM (f32 accumulation) strays from the float64
  // run no more than the JS reference (f64 accumulation, f32 storage) does, on average and at worst.
  it('float64 equal to 1e-12; float32 as close to them as the JS reference is', async () => {
    const [js64, wasm64, js32, wasm32] = [
      await steps('js', 'float64'),
      await steps('wasm', 'float64'),
      await steps('js', 'float32'),
      await steps('wasm', 'float32'),
    ];
    expectClose(wasm64.losses, js64.losses, 1e-12, 0, 'float64 losses');
    expectClose(wasm64.weights, js64.weights, 1e-10, 1e-12, 'float64 weights');
    expectClose(wasm32.losses, js32.losses, 1e-6, 0, 'float32 losses');
    const strays = (w: number[]) => w.map((v, i) => Math.abs(v - js64.weights[i]!));
    const [wasm, js] = [strays(wasm32.weights), strays(js32.weights)];
    const mean = (d: number[]) => d.reduce((a, v) => a + v, 0) / d.length,
      max = (d: number[]) => d.reduce((a, v) => Math.max(a, v), 0);
    expect(mean(js)).toBeGreaterThan(0);
    expect(mean(wasm)).toBeLessThan(2 * mean(js));
    expect(max(wasm)).toBeLessThan(4 * max(js));
  });
});

describe('threads: an image network trains bit-identically on 1, 2 and 3 threads', () => {
  // Products large enough to be split: conv 1 is (rows·144) x 16 x 27, conv 2 (rows·16) x 8 x 144.
  const layers: LayerOptions[] = [
    conv(16, 3, { padding: 'same', activation: 'relu' }),
    { type: 'maxPooling2d' },
    conv(8, 3, { activation: 'relu' }),
    { type: 'averagePooling2d' },
    { type: 'flatten' },
    { type: 'dense', units: 4, activation: 'softmax' },
  ];
  it.each(['float32', 'float64'] as const)('%s', async (dtype) => {
    const one = await trajectory('wasm', dtype, [12, 12, 3], layers);
    for (const threads of [2, 3]) {
      const many = await trajectory('wasm', dtype, [12, 12, 3], layers, threads);
      expect(many.losses, `${threads} threads: losses`).toEqual(one.losses);
      expect(many.weights, `${threads} threads: weights`).toEqual(one.weights);
      expect(many.outputs, `${threads} threads: predictions`).toEqual(one.outputs);
    }
  });
});
