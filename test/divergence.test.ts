// Divergence: a batch whose loss, or whose update, would not be finite is not applied; fit throws a
// DivergenceError naming the epoch and batch, and the network holds exactly the weights it had before
// that batch (checked against a twin trained up to that point).
import { describe, expect, it } from 'vitest';
import { Network, DivergenceError, type NetworkOptions } from 'backprop-wasm';
import { Rng } from './helpers.js';

const rng = new Rng(51);
const X = Array.from({ length: 24 }, () => [rng.next(), rng.next(), rng.next()]);
const Y = X.map(([a, b]) => [a! * 3 - b!]);

async function divergeAndCompare(options: NetworkOptions, x: number[][], y: number[][], lr: number, batchSize: number) {
  const net = await Network.create(options);
  let error: unknown = null;
  try {
    net.fit(x, y, { epochs: 50, batchSize, learningRate: lr, shuffle: false, optimizer: 'sgd' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DivergenceError);
  const { epoch, batch, message } = error as DivergenceError;
  expect(message).toContain(`in epoch ${epoch}, batch ${batch}`);
  expect(message).toMatch(/lower learningRate/);
  const weights = net.getWeights();
  expect(weights.flatMap((w) => [...w.W.flat(), ...w.b]).every(Number.isFinite)).toBe(true);
  // A twin that trains the same epochs and then the batches before the failing one.
  const twin = await Network.create(options);
  if (epoch > 0) twin.fit(x, y, { epochs: epoch, batchSize, learningRate: lr, shuffle: false, optimizer: 'sgd' });
  if (batch > 0)
    twin.fit(x.slice(0, batch * batchSize), y.slice(0, batch * batchSize), {
      epochs: 1,
      batchSize,
      learningRate: lr,
      shuffle: false,
      optimizer: 'sgd',
    });
  expect(weights).toEqual(twin.getWeights());
  expect((net.predict(x.slice(0, 2)) as number[][]).map((r) => r.length)).toEqual([1, 1]); // still usable
  return error as DivergenceError;
}

describe.each(['wasm', 'js'] as const)('divergence on the %s backend', (backend) => {
  it('an exploding loss stops fit at its batch with the weights from before it', async () => {
    const e = await divergeAndCompare(
      { layers: [3, 8, 1], activation: 'linear', output: 'linear', backend, dtype: 'float32', seed: 3 },
      X,
      Y,
      3,
      4,
    );
    expect(e.message).toMatch(
      /the loss became (Infinity|NaN)|the update would make weights or optimizer state non-finite/,
    );
  });

  it('a finite loss whose gradient overflows is caught before any weight changes', async () => {
    const x = X.map((r, i) => (i === 13 ? r.map((v) => v * 1e30) : r));
    const e = await divergeAndCompare(
      { layers: [3, 4, 1], activation: 'linear', output: 'linear', backend, dtype: 'float32', seed: 3 },
      x,
      Y,
      1e-3,
      4,
    );
    expect(e.message).toMatch(/the update would make weights or optimizer state non-finite/);
    expect([e.epoch, e.batch]).toEqual([0, 3]);
  });

  it('float64: a loss that overflows is caught before any weight changes', async () => {
    const x = X.map((r, i) => (i === 5 ? r.map((v) => v * 1e160) : r));
    const e = await divergeAndCompare(
      { layers: [3, 4, 1], activation: 'linear', output: 'linear', backend, dtype: 'float64', seed: 3 },
      x,
      Y,
      1e-3,
      4,
    );
    expect([e.epoch, e.batch]).toEqual([0, 1]);
    expect(e.message).toMatch(/the loss became Infinity/); // (1e160)^2 overflows float64
  });
});
