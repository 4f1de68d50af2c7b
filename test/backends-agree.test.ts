// The WASM and JS backends follow the same training trajectory (shuffled minibatches, a partial last
// batch, packed gemm sizes) for every optimizer and dtype; and runs are bit-identical run after run.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions, type FitOptions, type OptimizerName } from 'backprop-wasm';
import { maxRelDiff, Rng } from './helpers.js';
import { OPTIMIZER_NAMES } from '../dist/src/ops/optimizers.js';

const N = 150,
  IN = 40,
  OUT = 5;
function problem(): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(21);
  const x = Float64Array.from({ length: N * IN }, () => rng.next() * 2 - 1);
  const y = new Float64Array(N * OUT);
  for (let r = 0; r < N; r++) {
    let s = 0;
    for (let i = 0; i < IN; i++) s += x[r * IN + i]! * ((i % 7) - 3);
    y[r * OUT + (Math.abs(Math.floor(s)) % OUT)] = 1;
  }
  return { x, y };
}

async function train(
  backend: 'wasm' | 'js',
  dtype: 'float32' | 'float64',
  optimizer: OptimizerName,
  extra: Partial<NetworkOptions> = {},
) {
  const { x, y } = problem();
  const net = await Network.create({
    layers: [IN, 33, 17, OUT],
    activation: ['tanh', 'relu'],
    output: 'softmax',
    loss: 'crossEntropy',
    dtype,
    backend,
    seed: 9,
    ...extra,
  });
  const fit: FitOptions = {
    epochs: 4,
    batchSize: 32,
    optimizer,
    learningRate: optimizer === 'sgd' || optimizer === 'momentum' ? 0.1 : 0.01,
  };
  const history = net.fit(
    dtype === 'float32' ? Float32Array.from(x) : x,
    dtype === 'float32' ? Float32Array.from(y) : y,
    fit,
  );
  const weights = net.getWeights().flatMap((w) => [...w.W.flat(), ...w.b]);
  net.dispose();
  return { loss: history.loss, accuracy: history.accuracy, weights };
}

describe.each(OPTIMIZER_NAMES)('WASM and JS backends agree with %s', (optimizer) => {
  it('float64: losses and weights within 1e-10 relative', async () => {
    const [w, j] = [await train('wasm', 'float64', optimizer), await train('js', 'float64', optimizer)];
    expect(maxRelDiff(w.loss, j.loss)).toBeLessThan(1e-10);
    expect(maxRelDiff(w.weights, j.weights)).toBeLessThan(1e-10);
    expect(w.accuracy).toEqual(j.accuracy);
    expect(w.accuracy.every((a) => a > 0 && a <= 1)).toBe(true);
  });

  it('float32: losses within 1e-4 relative', async () => {
    const [w, j] = [await train('wasm', 'float32', optimizer), await train('js', 'float32', optimizer)];
    expect(maxRelDiff(w.loss, j.loss)).toBeLessThan(1e-4);
    const worst = w.weights.reduce((m, v, i) => Math.max(m, Math.abs(v - j.weights[i]!)), 0);
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('same seed, same result', () => {
  it.each(['wasm', 'js'] as const)('%s: two runs are bit-identical; another seed differs', async (backend) => {
    const a = await train(backend, 'float32', 'adam');
    const b = await train(backend, 'float32', 'adam');
    expect(b.loss).toEqual(a.loss);
    expect(b.weights).toEqual(a.weights);
    const c = await train(backend, 'float32', 'adam', { seed: 10 });
    expect(c.weights).not.toEqual(a.weights);
  });

  it('initial weights are identical on both backends for the same seed', async () => {
    const opts: NetworkOptions = { layers: [7, 5, 3], activation: 'relu', dtype: 'float64', seed: 3 };
    const w = await Network.create({ ...opts, backend: 'wasm' });
    const j = await Network.create({ ...opts, backend: 'js' });
    expect(w.getWeights()).toEqual(j.getWeights());
  });
});
