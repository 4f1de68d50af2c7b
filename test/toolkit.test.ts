// The training toolkit against independent references: weight decay, AdamW and a schedule against
// NumPy (scripts/toolkit_reference.py) to 1e-10 in float64 on both backends; early stopping against
// a twin trained exactly to the best epoch; metrics against a direct computation from predict.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network, schedules, ValidationError, type FitOptions, type OptimizerOption } from 'backprop-wasm';
import { maxRelDiff, Rng } from './helpers.js';

interface Case {
  title: string;
  optimizer: OptimizerOption;
  learningRate: number | { exponential: [number, number] };
  losses: number[];
  weights: number[][][];
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/toolkit-numpy.json', import.meta.url), 'utf8')) as {
  x: number[][];
  y: number[][];
  epochs: number;
  batchSize: number;
  weights: { W: number[][]; b: number[] }[];
  cases: Case[];
};

describe.each(['wasm', 'js'] as const)('weight decay, AdamW and schedules equal NumPy (%s, float64)', (backend) => {
  it.each(ref.cases.map((c) => [c.title, c] as const))('%s', async (_, c) => {
    const net = await Network.create({
      layers: [3, 4, 2],
      activation: 'tanh',
      output: 'sigmoid',
      loss: 'mse',
      dtype: 'float64',
      backend,
      weights: ref.weights,
    });
    const rate =
      typeof c.learningRate === 'number' ? c.learningRate : schedules.exponential(...c.learningRate.exponential);
    const history = net.fit(ref.x, ref.y, {
      epochs: ref.epochs,
      batchSize: ref.batchSize,
      shuffle: false,
      optimizer: c.optimizer,
      learningRate: rate,
    });
    expect(maxRelDiff(history.loss, c.losses)).toBeLessThan(1e-10);
    const got = net.getWeights().flatMap((w) => [...w.W.flat(), ...w.b]);
    const want = [c.weights[0]!.flat(), c.weights[1]!, c.weights[2]!.flat(), c.weights[3]!].flat();
    expect(maxRelDiff(got, want)).toBeLessThan(1e-10);
    if (typeof c.learningRate !== 'number')
      expect(history.learningRate).toEqual(Array.from({ length: ref.epochs }, (_, e) => 0.5 * 0.9 ** e));
  });
});

describe('weight decay details', () => {
  it("weightDecay 0 is bit-identical to none; a positive one changes the weights but not the biases' update rule", async () => {
    const make = () =>
      Network.create({
        layers: [3, 4, 2],
        activation: 'tanh',
        output: 'sigmoid',
        dtype: 'float64',
        weights: ref.weights,
      });
    const fit = (o: OptimizerOption): FitOptions => ({
      epochs: 4,
      batchSize: 3,
      shuffle: false,
      optimizer: o,
      learningRate: 0.05,
    });
    const a = await make(),
      b = await make(),
      c = await make();
    a.fit(ref.x, ref.y, fit('sgd'));
    b.fit(ref.x, ref.y, fit({ name: 'sgd', weightDecay: 0 }));
    expect(b.getWeights()).toEqual(a.getWeights());
    c.fit(ref.x, ref.y, fit({ name: 'sgd', weightDecay: 0.5 }));
    expect(c.getWeights()[0]!.W).not.toEqual(a.getWeights()[0]!.W);
    // One full-batch step from the same weights: the bias moves by -lr·g exactly as without decay.
    const one = await make(),
      decayed = await make();
    one.fit(ref.x, ref.y, { epochs: 1, batchSize: 6, optimizer: 'sgd', learningRate: 0.05 });
    decayed.fit(ref.x, ref.y, {
      epochs: 1,
      batchSize: 6,
      optimizer: { name: 'sgd', weightDecay: 0.5 },
      learningRate: 0.05,
    });
    expect(decayed.getWeights()[1]!.b).toEqual(one.getWeights()[1]!.b);
    expect(decayed.getWeights()[1]!.W[0]![0]).toBeCloseTo(
      one.getWeights()[1]!.W[0]![0]! - 0.05 * 0.5 * ref.weights[1]!.W[0]![0]!,
      14,
    );
  });

  it('the reported loss is the data loss alone', async () => {
    const make = () =>
      Network.create({
        layers: [3, 4, 2],
        activation: 'tanh',
        output: 'sigmoid',
        dtype: 'float64',
        weights: ref.weights,
      });
    const plain = await make(),
      decayed = await make();
    const h1 = plain.fit(ref.x, ref.y, {
      epochs: 1,
      batchSize: 6,
      shuffle: false,
      optimizer: 'sgd',
      learningRate: 0.1,
    });
    const h2 = decayed.fit(ref.x, ref.y, {
      epochs: 1,
      batchSize: 6,
      shuffle: false,
      optimizer: { name: 'sgd', weightDecay: 10 },
      learningRate: 0.1,
    });
    expect(h2.loss[0]).toBe(h1.loss[0]); // the first epoch's loss is from before any update: no penalty term in it
  });

  it('bad values are refused', async () => {
    const net = await Network.create({ layers: [3, 2] });
    expect(() => net.fit(ref.x, ref.y, { optimizer: { name: 'adam', weightDecay: -1 } })).toThrow(
      /optimizer weightDecay must be a number >= 0; got -1/,
    );
    expect(() => net.fit(ref.x, ref.y, { learningRate: () => -1 })).toThrow(
      /learningRate schedule at epoch 0: the rate must be a number >= 0; got -1/,
    );
    expect(() => schedules.step(0.1, 0.5, 0)).toThrow(ValidationError);
    expect(() => schedules.cosine(0.1, 10, 0.2)).toThrow(/minimum must be a number in \[0, initial\)/);
  });
});

describe('schedules', () => {
  it('exponential, step and cosine give the documented rates, and the logs show the rate used', async () => {
    expect([0, 1, 2].map(schedules.exponential(0.1, 0.5))).toEqual([0.1, 0.05, 0.025]);
    expect([0, 1, 2, 3, 4].map(schedules.step(1, 0.1, 2))).toEqual([1, 1, 0.1, 0.1, 0.1 ** 2]);
    const cos = schedules.cosine(1, 4, 0.2);
    expect([0, 2, 4, 9].map(cos)).toEqual([1, 0.6000000000000001, 0.2, 0.2]);
    const net = await Network.create({ layers: [3, 2], seed: 1 });
    const seen: number[] = [];
    const h = net.fit(ref.x, ref.y, {
      epochs: 3,
      learningRate: schedules.exponential(0.1, 0.5),
      onEpochEnd: (_, logs) => {
        seen.push(logs.learningRate);
      },
    });
    expect(seen).toEqual([0.1, 0.05, 0.025]);
    expect(h.learningRate).toEqual(seen);
    const resumed = net.fit(ref.x, ref.y, {
      epochs: 5,
      initialEpoch: 3,
      learningRate: schedules.exponential(0.1, 0.5),
    });
    expect(resumed.learningRate).toEqual([0.1 * 0.5 ** 3, 0.1 * 0.5 ** 4]); // the epoch index, not the count of this call
  });
});

describe('early stopping', () => {
  const rng = new Rng(13);
  const x = Array.from({ length: 60 }, () => [rng.next(), rng.next(), rng.next()]);
  const y = x.map(([a, b, c]) => (a! + b! > c! + 0.4 ? [1, 0] : [0, 1]));
  const xv = x.slice(40),
    yv = y.slice(40),
    xt = x.slice(0, 40),
    yt = y.slice(0, 40);
  const options = {
    layers: [3, 16, 2],
    activation: 'relu' as const,
    output: 'softmax' as const,
    loss: 'crossEntropy' as const,
    seed: 3,
  };
  // A learning rate high enough that validation loss turns up within the run.
  const fit: FitOptions = { epochs: 60, batchSize: 8, optimizer: 'adam', learningRate: 0.08, validationData: [xv, yv] };

  it.each([0, 2, 4])(
    'patience %i: stops at best + max(patience, 1); restoreBestWeights ends bit-identical to a twin trained to the best epoch',
    async (patience) => {
      const net = await Network.create(options);
      const h = net.fit(xt, yt, { ...fit, earlyStopping: { patience, restoreBestWeights: true } });
      const best = h.bestEpoch!;
      expect(h.stoppedEpoch).toBe(best + Math.max(patience, 1));
      expect(h.epoch).toHaveLength(best + Math.max(patience, 1) + 1);
      expect(h.val_loss![best]).toBe(Math.min(...h.val_loss!));
      for (let e = best + 1; e < h.epoch.length; e++) expect(h.val_loss![e]).toBeGreaterThanOrEqual(h.val_loss![best]!);
      const twin = await Network.create(options);
      twin.fit(xt, yt, { ...fit, epochs: best + 1 });
      expect(net.getWeights()).toEqual(twin.getWeights());
    },
  );

  it('without restoreBestWeights the network keeps its last weights; minDelta and accuracy monitors follow Keras', async () => {
    const net = await Network.create(options),
      twin = await Network.create(options);
    const h = net.fit(xt, yt, { ...fit, earlyStopping: { patience: 1 } });
    twin.fit(xt, yt, { ...fit, epochs: h.epoch.length });
    expect(net.getWeights()).toEqual(twin.getWeights());
    const huge = await Network.create(options);
    const h2 = huge.fit(xt, yt, { ...fit, earlyStopping: { monitor: 'loss', minDelta: 1e9 } }); // nothing improves by 1e9
    expect(h2.epoch).toEqual([0, 1]);
    const acc = await Network.create(options);
    const h3 = acc.fit(xt, yt, { ...fit, earlyStopping: { monitor: 'val_accuracy', patience: 3 } });
    expect(h3.val_accuracy![h3.bestEpoch!]).toBe(Math.max(...h3.val_accuracy!.slice(0, h3.bestEpoch! + 1)));
  });

  it('bad options are refused before training', async () => {
    const net = await Network.create(options);
    expect(() => net.fit(xt, yt, { earlyStopping: { monitor: 'val_loss' } })).toThrow(
      /monitor 'val_loss' needs validation data \(validationData or validationSplit\)/,
    );
    expect(() => net.fit(xt, yt, { earlyStopping: { patience: -1 } })).toThrow(/patience must be an integer >= 0/);
    expect(() => net.fit(xt, yt, { earlyStopping: { monitor: 'mae' } })).toThrow(
      /only a network with a regression output reports mae/,
    );
    expect(() => net.fit(xt, yt, { earlyStopping: { patiense: 2 } as never })).toThrow(
      /earlyStopping: unknown option 'patiense'/,
    );
  });
});

describe('metrics', () => {
  const rng = new Rng(17);
  it('softmax: accuracy, macro precision/recall/F1 and the confusion matrix, as computed from predict', async () => {
    const x = Array.from({ length: 90 }, () => [rng.next(), rng.next()]);
    const y = x.map(([a, b]) => [0, 1, 2].map((k) => (k === (a! > 0.6 ? 0 : b! > 0.5 ? 1 : 2) ? 1 : 0)));
    const net = await Network.create({
      layers: [2, 8, 3],
      activation: 'tanh',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 2,
    });
    net.fit(x, y, { epochs: 30, learningRate: 0.02 });
    const e = net.evaluate(x, y);
    const pred = net.predict(x) as number[][];
    const argmax = (r: number[]) => r.indexOf(Math.max(...r));
    const m = [0, 1, 2].map(() => [0, 0, 0]);
    pred.forEach((p, i) => {
      m[argmax(y[i]!)]![argmax(p)]!++;
    });
    expect(e.confusionMatrix).toEqual(m);
    expect(e.accuracy).toBe((m[0]![0]! + m[1]![1]! + m[2]![2]!) / 90);
    const per = [0, 1, 2].map((k) => {
      const tp = m[k]![k]!,
        predicted = m[0]![k]! + m[1]![k]! + m[2]![k]!,
        actual = m[k]!.reduce((s, v) => s + v, 0);
      const p = predicted ? tp / predicted : 0,
        r = actual ? tp / actual : 0;
      return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
    });
    expect(e.precision).toBeCloseTo(per.reduce((s, v) => s + v.p, 0) / 3, 12);
    expect(e.recall).toBeCloseTo(per.reduce((s, v) => s + v.r, 0) / 3, 12);
    expect(e.f1).toBeCloseTo(per.reduce((s, v) => s + v.f, 0) / 3, 12);
  });

  it('a linear output reports loss, mae and rmse, and no accuracy; epoch logs report mae', async () => {
    const x = Array.from({ length: 50 }, () => [rng.next() * 6 - 3]);
    const y = x.map(([v]) => [Math.sin(v!)]);
    const net = await Network.create({
      layers: [1, 16, 1],
      activation: 'tanh',
      output: 'linear',
      seed: 4,
      dtype: 'float64',
    });
    const h = net.fit(x, y, { epochs: 20, learningRate: 0.01, validationData: [x, y] });
    expect(h.accuracy).toBeUndefined();
    expect(h.mae).toHaveLength(20);
    expect(h.val_mae).toHaveLength(20);
    const e = net.evaluate(x, y);
    expect(e.accuracy).toBeUndefined();
    const pred = (net.predict(x) as number[][]).map((r) => r[0]!);
    const err = pred.map((p, i) => p - y[i]![0]!);
    expect(e.mae).toBeCloseTo(err.reduce((s, d) => s + Math.abs(d), 0) / 50, 12);
    expect(e.rmse).toBeCloseTo(Math.sqrt(err.reduce((s, d) => s + d * d, 0) / 50), 12);
    expect(h.val_mae!.at(-1)).toBe(e.mae); // the last validation ran after the last update, on the same rows
  });
});

describe('summary and defaults', () => {
  it('summary() lists the layers, the total with separators, dtype, backend and memory', async () => {
    const net = await Network.create({
      layers: [784, 128, 10],
      activation: 'relu',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 1,
    });
    const text = net.summary();
    expect(text).toMatch(/hidden 1 +784 → 128 +relu +0 +100,480/);
    expect(text).toMatch(/output +128 → 10 +softmax +1,290/);
    expect(text).toMatch(/total parameters: 101,770/);
    expect(text).toMatch(/dtype: float32 +backend: wasm +memory in use: \d/);
  });

  it('a random seed is drawn when none is given, read back as net.seed and stored, so the run repeats', async () => {
    const a = await Network.create({ layers: [3, 2] }),
      b = await Network.create({ layers: [3, 2] });
    expect(a.seed).not.toBe(b.seed);
    expect(Number.isInteger(a.seed) && a.seed >= 0).toBe(true);
    const again = await Network.create({ layers: [3, 2], seed: a.seed });
    expect(again.getWeights()).toEqual(a.getWeights());
    expect((await Network.fromJSON(a.toJSON())).seed).toBe(a.seed);
  });

  it('fit defaults: adam at 1e-3, batches of 32, shuffled, one epoch', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => [i / 70, 1 - i / 70, 0.5]);
    const ys = rows.map(([a]) => (a! > 0.5 ? [1, 0] : [0, 1]));
    const a = await Network.create({ layers: [3, 2], output: 'softmax', loss: 'crossEntropy', seed: 5 });
    const b = await Network.create({ layers: [3, 2], output: 'softmax', loss: 'crossEntropy', seed: 5 });
    const h = a.fit(rows, ys);
    b.fit(rows, ys, { epochs: 1, batchSize: 32, shuffle: true, optimizer: 'adam', learningRate: 1e-3 });
    expect(h.epoch).toEqual([0]);
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(a.checkpoint().training).toMatchObject({ optimizer: 'adam', steps: 3 }); // ⌈70 / 32⌉ batches
  });
});

describe('hostile toolkit options (from the review)', () => {
  const x = [
      [0, 1, 0],
      [1, 0, 1],
      [1, 1, 0],
      [0, 0, 1],
      [1, 1, 1],
      [0, 1, 1],
    ],
    y = [0, 1, 2, 1, 0, 2];
  const mk = (backend: 'wasm' | 'js' = 'wasm') =>
    Network.create({
      layers: [3, 4, 3],
      activation: 'tanh',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 7,
      backend,
    });

  it.each(['wasm', 'js'] as const)('a schedule refused at the first epoch changes nothing (%s)', async (backend) => {
    const { init } = await import('../dist/src/backends/wasm/runtime.js');
    const rt = await init();
    const net = await mk(backend);
    net.fit(x, y, { epochs: 2, batchSize: 2, optimizer: 'adam' });
    const before = net.checkpoint(),
      bytes = rt.arena.bytesInUse;
    for (const bad of [
      () => NaN,
      () => -1,
      () => 'fast',
      () => {
        throw new Error('boom');
      },
    ]) {
      expect(() => net.fit(x, y, { epochs: 3, optimizer: 'sgd', learningRate: bad as never })).toThrow();
      expect(net.checkpoint()).toEqual(before);
      expect(rt.arena.bytesInUse).toBe(bytes);
    }
  });

  it('a schedule refused at a later epoch keeps the epochs before it, resumable exactly', async () => {
    const a = await mk(),
      b = await mk();
    expect(() => a.fit(x, y, { epochs: 5, batchSize: 2, learningRate: (e) => (e < 3 ? 0.01 : NaN) })).toThrow(
      /learningRate schedule at epoch 3: the rate must be a number >= 0; got NaN/,
    );
    b.fit(x, y, { epochs: 3, batchSize: 2, learningRate: () => 0.01 });
    expect(a.checkpoint()).toEqual(b.checkpoint());
  });

  it('cosine with its default minimum of 0 trains past its horizon (a rate of 0 is allowed from a schedule)', async () => {
    const net = await mk();
    const h = net.fit(x, y, { epochs: 5, learningRate: schedules.cosine(1e-2, 3) });
    expect(h.learningRate.slice(3)).toEqual([0, 0]);
  });

  it('rates and weight decay beyond float32 are refused for float32 networks, alike on both backends', async () => {
    for (const backend of ['wasm', 'js'] as const) {
      const net = await mk(backend);
      expect(() => net.fit(x, y, { optimizer: 'sgd', learningRate: 1e39 })).toThrow(
        /learningRate 1e\+39 is beyond float32's range/,
      );
      expect(() => net.fit(x, y, { optimizer: { name: 'adamw', weightDecay: 1e39 } })).toThrow(
        /optimizer weightDecay 1e\+39 is beyond float32's range/,
      );
      expect(() => net.fit(x, y, { learningRate: () => 1e39 })).toThrow(/beyond float32's range/);
    }
  });

  it('class labels are counted and sized before they are expanded', async () => {
    const wide = await Network.create({
      layers: [2, 1, 100000],
      activation: 'relu',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 1,
    });
    expect(() =>
      wide.evaluate(
        [
          [0, 1],
          [1, 0],
        ],
        new Uint8Array(1e6),
      ),
    ).toThrow(/evaluate y: x has 2 rows but y has 1000000 labels/);
    expect(() => wide.fit(new Float32Array(2e6), new Uint8Array(1e6))).toThrow(/one-hot rows, more than the limit/);
  });

  it('precision, recall and the confusion matrix are for softmax outputs only; messages show NaN as NaN; null is refused', async () => {
    const sig = await Network.create({ layers: [3, 4, 3], activation: 'tanh', output: 'sigmoid', seed: 1 });
    const e = sig.evaluate(
      [
        [0.1, 0.2, 0.3],
        [-0.5, 0.4, 0.1],
      ],
      [
        [1, 1, 0],
        [0, 0, 0],
      ],
    );
    expect(Object.keys(e).sort()).toEqual(['accuracy', 'loss']);
    const net = await mk();
    expect(() => net.fit(x, y, { earlyStopping: { patience: NaN } })).toThrow(
      /patience must be an integer >= 0; got NaN/,
    );
    expect(() => net.fit(x, y, { earlyStopping: { patience: null } as never })).toThrow(/got null/);
    expect(() => net.fit(x, y, { optimizer: { name: 'adamw', weightDecay: null } as never })).toThrow(
      /weightDecay must be a number >= 0; got null/,
    );
  });

  it('dropout needs a hidden layer and a rate the kernels can apply', async () => {
    await expect(Network.create({ layers: [2, 1], dropout: 0.5 })).rejects.toThrow(
      /dropout applies to hidden layers, and this network has none/,
    );
    await Network.create({ layers: [2, 1], dropout: 0 }); // nothing to apply, nothing refused
    await expect(Network.create({ layers: [2, 3, 1], dropout: 1e-12 })).rejects.toThrow(
      /rounds to 0 in the 2\^-24 steps/,
    );
    await expect(Network.create({ layers: [2, 3, 1], dropout: 0.9999999999 })).rejects.toThrow(
      /rounds to 1 in the 2\^-24 steps/,
    );
  });

  it('fitAsync with an already-aborted signal trains nothing', async () => {
    const net = await mk();
    const before = net.checkpoint();
    await expect(net.fitAsync(x, y, { epochs: 50, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(net.checkpoint()).toEqual(before);
  });
});
