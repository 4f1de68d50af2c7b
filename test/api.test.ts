// The public API exactly as the README and docs/api-guide.md name it, imported through the package's exports map.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from 'backprop-wasm';
import { Network, DisposedError } from 'backprop-wasm';

const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR = [[0], [1], [1], [0]];

describe('package surface', () => {
  it('exports map points at the built entry and its types', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.name).toBe('backprop-wasm');
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({
      types: './dist/src/index.d.ts',
      node: './dist/src/index.node.js',
      browser: './dist/src/index.js',
      default: './dist/src/index.js',
    });
    expect(pkg.exports['./backprop.wasm']).toEqual({
      types: './types/backprop-wasm-url.d.ts',
      default: './dist/backprop.wasm',
    });
    expect(pkg.exports['./backprop-relaxed.wasm']).toEqual({
      types: './types/backprop-wasm-url.d.ts',
      default: './dist/backprop-relaxed.wasm',
    });
    expect(Object.keys(api).sort()).toEqual(
      [
        'AbortError',
        'DisposedError',
        'DivergenceError',
        'ModelFormatError',
        'Network',
        'ResourceError',
        'ValidationError',
        'capabilities',
        'init',
        'schedules',
        'trainInWorker',
      ].sort(),
    );
  });

  it('Network has the contract methods', () => {
    for (const m of [
      'fit',
      'fitAsync',
      'predict',
      'evaluate',
      'getWeights',
      'setWeights',
      'toJSON',
      'checkpoint',
      'toBytes',
      'dispose',
    ]) {
      expect(typeof (Network.prototype as unknown as Record<string, unknown>)[m], m).toBe('function');
    }
    expect(typeof Network.create).toBe('function');
    expect(typeof Network.fromJSON).toBe('function');
    expect(typeof Network.fromBytes).toBe('function');
  });
});

describe.each(['wasm', 'js'] as const)('Network on the %s backend', (backend) => {
  const create = (extra = {}) =>
    Network.create({
      layers: [2, 8, 1],
      activation: 'tanh',
      output: 'sigmoid',
      loss: 'crossEntropy',
      backend,
      seed: 3,
      ...extra,
    });

  it('learns XOR; predict and evaluate agree', async () => {
    const net = await create();
    const history = net.fit(X, XOR, { epochs: 500, learningRate: 0.1, optimizer: 'adam' });
    expect(history.loss).toHaveLength(500);
    expect(history.epoch[499]).toBe(499);
    const pred = net.predict(X) as number[][];
    expect(pred.map((r) => r.length)).toEqual([1, 1, 1, 1]);
    expect(pred.map((r) => (r[0]! > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    const { loss, accuracy } = net.evaluate(X, XOR);
    expect(accuracy).toBe(1);
    const bce = pred.reduce((s, [p], i) => s - (XOR[i]![0]! ? Math.log(p!) : Math.log(1 - p!)), 0) / 4;
    expect(loss).toBeCloseTo(bce, 5);
  });

  it('typed-array input gives a flat typed-array prediction of the dtype', async () => {
    const net = await create({ dtype: 'float64' });
    const out = net.predict(new Float64Array(X.flat()));
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out as Float64Array)).toEqual((net.predict(X) as number[][]).flat());
  });

  it('history.loss[e] and history.accuracy[e] are those before update e (one full batch)', async () => {
    const net = await create({ dtype: 'float64' });
    const before = net.evaluate(X, XOR);
    const h1 = net.fit(X, XOR, { epochs: 1, shuffle: false });
    expect(h1.loss[0]).toBeCloseTo(before.loss, 14);
    expect(h1.accuracy[0]).toBe(before.accuracy);
    const trained = await create({ dtype: 'float64' });
    const h = trained.fit(X, XOR, { epochs: 400, learningRate: 0.1, optimizer: 'adam', shuffle: false });
    expect(h.accuracy[399]).toBe(1);
    expect(h.accuracy[0]).toBeLessThan(1);
    const after = net.evaluate(X, XOR).loss;
    const h2 = net.fit(X, XOR, { epochs: 1, shuffle: false });
    expect(h2.loss[0]).toBeCloseTo(after, 14);
  });

  it("lossReduction 'sum' reports rows x the 'mean' loss and scales the step the same way", async () => {
    const a = await create({ dtype: 'float64' }),
      b = await create({ dtype: 'float64' });
    const ha = a.fit(X, XOR, {
      epochs: 3,
      lossReduction: 'sum',
      learningRate: 0.05,
      shuffle: false,
      optimizer: 'sgd',
      batchSize: 4,
    });
    const hb = b.fit(X, XOR, {
      epochs: 3,
      lossReduction: 'mean',
      learningRate: 0.2,
      shuffle: false,
      optimizer: 'sgd',
      batchSize: 4,
    });
    ha.loss.forEach((l, e) => expect(l).toBeCloseTo(4 * hb.loss[e]!, 12));
  });

  it('optimizer object forms: momentum 0 is sgd; adam defaults match the name', async () => {
    const run = async (optimizer: api.OptimizerOption) => {
      const n = await create({ dtype: 'float64' });
      n.fit(X, XOR, { epochs: 5, batchSize: 2, optimizer, learningRate: 0.1 });
      return n.getWeights();
    };
    expect(await run({ name: 'momentum', momentum: 0 })).toEqual(await run('sgd'));
    expect(await run({ name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })).toEqual(await run('adam'));
    expect(await run({ name: 'adam', beta1: 0.5 })).not.toEqual(await run('adam'));
  });

  it('training continues across fit calls exactly (optimizer state, step count, shuffle stream)', async () => {
    const a = await create(),
      b = await create();
    a.fit(X, XOR, { epochs: 4, batchSize: 3, optimizer: 'adam' });
    b.fit(X, XOR, { epochs: 2, batchSize: 3, optimizer: 'adam' });
    b.fit(X, XOR, { epochs: 2, batchSize: 3, optimizer: 'adam' });
    expect(b.getWeights()).toEqual(a.getWeights());
  });

  it('onEpochEnd sees each epoch and can stop early; validationData adds val_loss and val_accuracy', async () => {
    const net = await create();
    const seen: number[] = [];
    const h = net.fit(X, XOR, {
      epochs: 50,
      validationData: [X, XOR],
      onEpochEnd: (epoch, logs) => {
        seen.push(epoch);
        expect(logs.samplesPerSecond).toBeGreaterThan(0);
        return epoch < 6;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(h.loss).toHaveLength(7);
    expect(h.val_loss).toHaveLength(7);
    expect(h.val_accuracy!.every((a) => a >= 0 && a <= 1)).toBe(true);
  });

  it('getWeights / setWeights round-trip; toJSON / fromJSON is bit-exact on either backend', async () => {
    const net = await create({ dtype: 'float32' });
    net.fit(X, XOR, { epochs: 20, optimizer: 'adam', learningRate: 0.05 });
    const w = net.getWeights();
    expect(w.map((l) => [l.W.length, l.W[0]!.length, l.b.length])).toEqual([
      [2, 8, 8],
      [8, 1, 1],
    ]);
    const text = JSON.stringify(net.toJSON());
    for (const target of ['wasm', 'js'] as const) {
      const copy = await Network.fromJSON(text, { backend: target });
      expect(copy.getWeights()).toEqual(w);
      expect(copy.toJSON()).toEqual(net.toJSON());
      const [got, want] = [(copy.predict(X) as number[][]).flat(), (net.predict(X) as number[][]).flat()];
      if (target === backend) expect(got).toEqual(want);
      else got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6)); // float32 on the other backend: last-bit differences
    }
    const other = await create({ seed: 99, dtype: 'float32' });
    other.setWeights(w);
    expect(other.predict(X)).toEqual(net.predict(X));
  });

  it("fit trains on a copy: changing the caller's arrays during training changes nothing", async () => {
    const flatX = () => Float32Array.from(X.flat()),
      flatY = () => Float32Array.from(XOR.flat());
    const [a, b] = [await create(), await create()];
    a.fit(flatX(), flatY(), { epochs: 6, batchSize: 2 });
    const x = flatX(),
      y = flatY();
    await b.fitAsync(x, y, {
      epochs: 6,
      batchSize: 2,
      onEpochEnd: () => {
        x.fill(9);
        y.fill(0);
      },
    });
    expect(b.getWeights()).toEqual(a.getWeights());
  });

  it('an onEpochEnd that calls fit on the same network is refused', async () => {
    const net = await create();
    expect(() =>
      net.fit(X, XOR, {
        epochs: 2,
        onEpochEnd: () => {
          net.fit(X, XOR);
        },
      }),
    ).toThrow(/already training/);
    net.fit(X, XOR, { epochs: 1 }); // and the network is usable afterwards
  });

  it('dispose frees the network; later use throws DisposedError', async () => {
    const net = await create();
    net.dispose();
    net.dispose();
    expect(() => net.predict(X)).toThrow(DisposedError);
    expect(() => net.fit(X, XOR)).toThrow(/disposed/);
    expect(() => net.getWeights()).toThrow(DisposedError);
  });
});
