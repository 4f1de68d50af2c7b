// Dropout: inverted dropout during fit only, masks from the network's seed identically on both
// backends; rate 0 is no dropout; predict and evaluate are unaffected; model files and checkpoints
// keep it, and a resumed run continues bit-identically.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network, ValidationError, type NetworkOptions } from 'backprop-wasm';
import { maxRelDiff, Rng } from './helpers.js';

const rng = new Rng(23);
const X = Array.from({ length: 48 }, () => Array.from({ length: 6 }, () => rng.next() * 2 - 1));
const Y = X.map((r) => (r[0]! + r[1]! * r[2]! > 0 ? [1, 0] : [0, 1]));
const BASE: NetworkOptions = {
  layers: [6, 17, 9, 2],
  activation: ['relu', 'tanh'],
  output: 'softmax',
  loss: 'crossEntropy',
  seed: 7,
};
const FIT = { epochs: 5, batchSize: 10, optimizer: 'adam' as const, learningRate: 0.01 };
const flat = (n: Network) => n.getWeights().flatMap((w) => [...w.W.flat(), ...w.b]);

describe('dropout', () => {
  it.each(['wasm', 'js'] as const)('rate 0 is bit-identical to no dropout (%s)', async (backend) => {
    const a = await Network.create({ ...BASE, backend }),
      b = await Network.create({ ...BASE, backend, dropout: 0 });
    const ha = a.fit(X, Y, FIT),
      hb = b.fit(X, Y, FIT);
    expect(hb).toEqual(ha);
    expect(b.getWeights()).toEqual(a.getWeights());
  });

  it('WASM and JS draw the same masks: float64 within 1e-10, float32 within 1e-4', async () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const tol = dtype === 'float64' ? 1e-10 : 1e-4;
      const w = await Network.create({ ...BASE, dtype, dropout: [0.3, 0.5] }),
        j = await Network.create({ ...BASE, dtype, backend: 'js', dropout: [0.3, 0.5] });
      const hw = w.fit(X, Y, FIT),
        hj = j.fit(X, Y, FIT);
      expect(maxRelDiff(hw.loss, hj.loss)).toBeLessThan(tol);
      expect(maxRelDiff(flat(w), flat(j))).toBeLessThan(tol * 10);
      const plain = await Network.create({ ...BASE, dtype });
      plain.fit(X, Y, FIT);
      expect(maxRelDiff(flat(w), flat(plain))).toBeGreaterThan(1e-3); // it does drop something
    }
  });

  it('one rate for all hidden layers equals listing it per layer; predict and evaluate are unaffected and deterministic', async () => {
    const a = await Network.create({ ...BASE, dropout: 0.4 }),
      b = await Network.create({ ...BASE, dropout: [0.4, 0.4] });
    expect([a.dropout, b.dropout, a.toJSON().layers.filter((l) => l.type === 'dropout')]).toEqual([
      [0.4, 0.4],
      [0.4, 0.4],
      [
        { type: 'dropout', rate: 0.4 },
        { type: 'dropout', rate: 0.4 },
      ],
    ]);
    a.fit(X, Y, FIT);
    b.fit(X, Y, FIT);
    expect(a.getWeights()).toEqual(b.getWeights());
    const twin = await Network.create({ ...BASE, weights: a.getWeights() }); // the same weights, no dropout
    expect(a.predict(X)).toEqual(twin.predict(X));
    expect(a.predict(X)).toEqual(a.predict(X));
    expect(a.evaluate(X, Y)).toEqual(twin.evaluate(X, Y));
  });

  it('about the rate of units is dropped, and kept units are scaled by 1 / (1 - rate)', async () => {
    // One sgd step with lr 1 from zero weights in layer 2 makes dW₂ = (A₁ ⊙ mask)ᵀ δ: its zero rows count dropped units.
    const rate = 0.25,
      units = 400;
    const net = await Network.create({
      layers: [1, units, 1],
      activation: 'linear',
      output: 'linear',
      dtype: 'float64',
      seed: 3,
      dropout: rate,
      weights: [
        { W: [Array.from({ length: units }, () => 1)], b: Array.from({ length: units }, () => 0) },
        { W: Array.from({ length: units }, () => [0]), b: [0] },
      ],
    });
    net.fit([[1]], [[1]], { epochs: 1, batchSize: 1, optimizer: 'sgd', learningRate: 1, lossReduction: 'sum' });
    const moved = net.getWeights()[1]!.W.map((r) => r[0]!);
    const kept = moved.filter((v) => v !== 0);
    expect(Math.abs(kept.length / units - (1 - rate))).toBeLessThan(0.06);
    for (const v of kept) expect(v).toBeCloseTo(1 / (1 - rate), 12); // -lr·(a·scale)·δ with a = 1, δ = -1
  });

  it('model files and checkpoints keep it; a resumed run continues bit-identically', async () => {
    const straight = await Network.create({ ...BASE, dropout: [0.2, 0.1] });
    straight.fit(X, Y, { ...FIT, epochs: 6 });
    const first = await Network.create({ ...BASE, dropout: [0.2, 0.1] });
    first.fit(X, Y, { ...FIT, epochs: 3 });
    expect(first.toJSON().layers.flatMap((l) => (l.type === 'dropout' ? [l.rate] : []))).toEqual([0.2, 0.1]);
    for (const saved of [
      await Network.fromJSON(first.checkpoint()),
      await Network.fromBytes(first.toBytes({ training: true })),
    ]) {
      saved.fit(X, Y, { ...FIT, epochs: 6, initialEpoch: 3 });
      expect(saved.getWeights()).toEqual(straight.getWeights());
    }
    expect((await Network.create(BASE)).toJSON().layers.map((l) => l.type)).toEqual(['dense', 'dense', 'dense']); // no dropout: no dropout layer
    expect(first.summary()).toMatch(/hidden 1 +6 → 17 +relu +0\.2/);
  });

  it('bad rates are refused', async () => {
    for (const [dropout, message] of [
      [1, /dropout of hidden layer 0 must be a rate in \[0, 1\); got 1/],
      [[0.1], /dropout lists 1 rates but the network has 2 hidden/],
      [-0.1, /got -0\.1/],
      [[0.1, null], /hidden layer 1 .* got null/],
    ] as const) {
      const e = await Network.create({ ...BASE, dropout: dropout as never }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as Error).message).toMatch(message);
    }
    const json = (await Network.create({ ...BASE, dropout: 0.2 })).toJSON();
    const layers = json.layers.map((l, i) => (i === 3 ? { ...l, rate: 1.5 } : l));
    await expect(Network.fromJSON({ ...json, layers })).rejects.toThrow(
      /model JSON: layers\[3\] \(dropout\): rate must be in \[0, 1\); got 1\.5/,
    );
    await expect(
      Network.fromJSON({ ...json, layers: json.layers.map((l, i) => (i === 3 ? { ...l, rate: null } : l)) } as never),
    ).rejects.toThrow(/layers\[3\] \(dropout\): rate must be in \[0, 1\); got null/);
    // Version 1 files keep their dropout field and its checks.
    const v1 = JSON.parse(readFileSync(new URL('./fixtures/format-v1/model.json', import.meta.url), 'utf8'));
    await expect(Network.fromJSON({ ...v1, dropout: [0.2, 1.5] })).rejects.toThrow(
      /model JSON: dropout of hidden layer 1 must be a rate/,
    );
    await expect(Network.fromJSON({ ...v1, dropout: null } as never)).rejects.toThrow(/'dropout' is null/);
  });
});
