// The seed article's run (2-3-2 sigmoid, ½Σ(o-d)², full batch, SGD lr 0.01, 50,001 updates) against
// an independent NumPy run (scripts/seed_reference.py -> test/fixtures/seed-numpy.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { maxRelDiff } from './helpers.js';
import { init } from '../dist/src/backends/wasm/runtime.js';
import { bestKernels } from '../dist/src/backends/wasm/features.js';

interface Run {
  initialLoss: number;
  lossAfterUpdate: number[];
  outputsAfterUpdate: number[][][];
  final: Record<string, number[] | number[][]>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/seed-numpy.json', import.meta.url), 'utf8')) as {
  float64: Run;
  float32: Run;
  epochs: number;
};

const SEED_X = [
  [0.6, 0.1],
  [0.3, 0.6],
];
const SEED_Y = [
  [0, 1],
  [0, 1],
]; // the seed's y = [0, 1] broadcast to both rows
const SEED_WEIGHTS = [
  {
    W: [
      [0.4, 0.3, 0.6],
      [0.3, 0.4, 0.2],
    ],
    b: [0.4, 0.1, 0.2],
  },
  {
    W: [
      [0.2, 0.3],
      [0.3, 0.4],
      [0.5, 0.3],
    ],
    b: [0.1, 0.2],
  },
];

async function seedRun(backend: 'wasm' | 'js', dtype: 'float32' | 'float64') {
  const net = await Network.create({
    layers: [2, 3, 2],
    activation: 'sigmoid',
    output: 'sigmoid',
    loss: 'mse',
    dtype,
    backend,
    weights: SEED_WEIGHTS,
  });
  const history = net.fit(SEED_X, SEED_Y, {
    epochs: ref.epochs,
    learningRate: 0.01,
    lossReduction: 'sum',
    shuffle: false,
    optimizer: 'sgd',
    batchSize: 2,
  });
  // history.loss[e] is the loss before update e, so the seed's "after update i" is history.loss[i + 1];
  // after the last update it is the loss of the trained network.
  const after = ref.float64.lossAfterUpdate.map(
    (_, j) => history.loss[j * 100 + 1] ?? net.evaluate(SEED_X, SEED_Y).loss * 2,
  );
  return { net, history, after };
}

it('the wasm runs below use the best kernel build of this engine (relaxed SIMD from Node 22 on)', async () => {
  await Network.create({ layers: [2, 1] });
  expect((await init()).kernels).toBe(bestKernels());
});

describe.each(['wasm', 'js'] as const)('seed run on the %s backend', (backend) => {
  it('float64: every 100th loss equals NumPy float64 to >= 11 significant digits', async () => {
    const { history, after, net } = await seedRun(backend, 'float64');
    expect(history.loss).toHaveLength(50001);
    expect(Math.abs(history.loss[0]! - ref.float64.initialLoss) / ref.float64.initialLoss).toBeLessThan(1e-15);
    expect(maxRelDiff(after, ref.float64.lossAfterUpdate)).toBeLessThan(1e-11);
    const w = net.getWeights();
    expect(maxRelDiff(w[0]!.W.flat(), (ref.float64.final.W1 as number[][]).flat())).toBeLessThan(1e-11);
    expect(maxRelDiff(w[1]!.b, ref.float64.final.b2 as number[])).toBeLessThan(1e-11);
    expect(
      maxRelDiff((net.predict(SEED_X) as number[][]).flat(), ref.float64.outputsAfterUpdate.at(-1)!.flat()),
    ).toBeLessThan(1e-11);
  });

  it('float32: within 1e-5 relative of NumPy float32 at every 100th update', async () => {
    const { after } = await seedRun(backend, 'float32');
    expect(maxRelDiff(after, ref.float32.lossAfterUpdate)).toBeLessThan(1e-5);
    // Against float64 the float32 trajectory drifts by up to ~5e-5 by update 50,000, as NumPy's own
    // float32 run does (1.6e-5): that is float32 rounding, not an algorithmic difference.
    expect(maxRelDiff(after, ref.float64.lossAfterUpdate)).toBeLessThan(1e-4);
  });
});
