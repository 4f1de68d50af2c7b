// fit's validationSplit (Keras semantics: the last fraction of the rows, before shuffling, is held
// out) is bit-identical to passing those rows as validationData, on both backends and dtypes.
import { describe, expect, it } from 'vitest';
import { Network, ValidationError, type EpochLogs, type FitOptions } from 'backprop-wasm';
import { Rng } from './helpers.js';

function dataset(rows: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => [rng.next() * 2 - 1, rng.next() * 2 - 1, rng.next()]);
  return { x, y: x.map((r) => [r[0]! * r[1]! > 0 ? 1 : 0]) };
}

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

/** Logs without the timing, which differs run to run. */
const logsOf = (into: unknown[]) => (_: number, l: EpochLogs) => {
  into.push({ ...l, samplesPerSecond: 0 });
};

describe.each(['wasm', 'js'] as const)('validationSplit on the %s backend', (backend) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    const create = () =>
      Network.create({
        layers: [3, 6, 1],
        activation: 'relu',
        output: 'sigmoid',
        loss: 'crossEntropy',
        dtype,
        backend,
        seed: 7,
      });
    const base: FitOptions = { epochs: 5, batchSize: 6, optimizer: 'adam', learningRate: 0.03 };

    // 10 rows at 0.8: Keras trains on floor(10 * (1 - 0.8)) = floor(1.9999999999999996) = 1 row, not 2.
    it.each([
      [23, 0.25, 17],
      [10, 0.8, 1],
      [2, 0.5, 1],
    ])(
      '%i rows at %f: the first %i train, the rest validate, bit for bit as validationData',
      async (rows, split, train) => {
        const { x, y } = dataset(rows, rows);
        const net = await create(),
          ref = await create();
        const logs: unknown[] = [],
          logsRef: unknown[] = [];
        const h = net.fit(x, y, { ...base, validationSplit: split, onEpochEnd: logsOf(logs) });
        const hRef = ref.fit(x.slice(0, train), y.slice(0, train), {
          ...base,
          validationData: [x.slice(train), y.slice(train)],
          onEpochEnd: logsOf(logsRef),
        });
        expect(h).toEqual(hRef);
        expect(h.val_loss).toHaveLength(5);
        expect(logs).toEqual(logsRef);
        expect(net.checkpoint()).toEqual(ref.checkpoint());
        net.dispose();
        ref.dispose();
      },
    );

    it('with flat typed rows, class labels and fitAsync, still the validationData twin', async () => {
      const rows = 30,
        train = 24;
      const rng = new Rng(3);
      const xs = Array.from({ length: rows * 3 }, () => rng.next());
      const labels = Array.from(
        { length: rows },
        (_, r) => (xs[r * 3]! > 0.5 ? 1 : 0) + (xs[r * 3 + 1]! > 0.5 ? 1 : 0),
      );
      const F = dtype === 'float32' ? Float32Array : Float64Array;
      const make = () =>
        Network.create({ layers: [3, 5, 3], output: 'softmax', loss: 'crossEntropy', dtype, backend, seed: 2 });
      const net = await make(),
        ref = await make();
      const x = F.from(xs);
      const h = await net.fitAsync(x, Uint8Array.from(labels), { ...base, validationSplit: 0.2 });
      const hRef = ref.fit(F.from(xs.slice(0, train * 3)), labels.slice(0, train), {
        ...base,
        validationData: [F.from(xs.slice(train * 3)), labels.slice(train)],
      });
      expect(h).toEqual(hRef);
      expect(net.checkpoint()).toEqual(ref.checkpoint());
      expect(x).toEqual(F.from(xs)); // the caller's rows are untouched
      net.dispose();
      ref.dispose();
    });
  });
});

describe('validationSplit is checked', () => {
  const { x, y } = dataset(10, 1);
  it.each([
    [0, /^validationSplit must be a number in \(0, 1\), the fraction of rows held out; got 0$/],
    [1, /got 1$/],
    [-0.2, /got -0.2$/],
    [NaN, /got NaN$/],
    ['0.2', /got "0.2"$/],
    [null, /got null$/],
    [
      1e-17,
      /^validationSplit 1e-17 of 10 rows leaves 10 for training and 0 for validation; each side needs at least one row/,
    ],
    [
      0.95,
      /^validationSplit 0.95 of 10 rows leaves 0 for training and 10 for validation; each side needs at least one row/,
    ],
  ])('%s: a ValidationError; the network is unchanged', async (split, message) => {
    const net = await Network.create({ layers: [3, 1], seed: 1 });
    const before = net.checkpoint();
    const error = thrown(() => net.fit(x, y, { epochs: 2, validationSplit: split as number }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(message);
    expect(net.checkpoint()).toEqual(before);
    await expect(net.fitAsync(x, y, { validationSplit: split as number })).rejects.toThrow(message);
    net.dispose();
  });

  it('one row is too few; validationData and validationSplit together are refused', async () => {
    const net = await Network.create({ layers: [3, 1], seed: 1 });
    expect(thrown(() => net.fit(x.slice(0, 1), y.slice(0, 1), { validationSplit: 0.5 })).message).toMatch(
      /^validationSplit 0.5 of 1 row leaves 0 for training and 1 for validation/,
    );
    const both = thrown(() => net.fit(x, y, { validationSplit: 0.2, validationData: [x, y] }));
    expect(both).toBeInstanceOf(ValidationError);
    expect(both.message).toBe(
      'fit: pass validationSplit or validationData, not both (validationSplit holds out the last rows of x and y as validation data)',
    );
    net.dispose();
  });
});
