// Class-index labels for a softmax output: training, evaluating and validating with them is
// bit-identical to doing so with the equivalent one-hot rows, on both backends and dtypes; bad
// labels are ValidationErrors naming the row and the valid range, and change nothing.
import { describe, expect, it } from 'vitest';
import { Network, ValidationError, type FitOptions } from 'backprop-wasm';
import { Rng } from './helpers.js';

const CLASSES = 3,
  FEATURES = 4;

/** Seeded rows and integer classes (class = a linear rule with noise, so training moves). */
function dataset(rows: number, seed: number): { x: number[][]; labels: number[] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: FEATURES }, () => rng.next() * 2 - 1));
  const labels = x.map((r) => Math.min(CLASSES - 1, Math.floor((r[0]! + r[1]! + 2 + rng.next() * 0.5) / 1.5)));
  return { x, labels };
}
const oneHot = (labels: readonly number[]): number[][] =>
  labels.map((c) => Array.from({ length: CLASSES }, (_, j) => (j === c ? 1 : 0)));

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe.each(['wasm', 'js'] as const)('class-index labels on the %s backend', (backend) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    const create = () =>
      Network.create({
        layers: [FEATURES, 8, CLASSES],
        activation: 'tanh',
        output: 'softmax',
        loss: 'crossEntropy',
        dtype,
        backend,
        seed: 5,
      });
    const train = dataset(45, 11),
      val = dataset(13, 12);
    // Shuffled minibatches (the last one partial), validation after each epoch, Adam.
    const options = (y: FitOptions['validationData']): FitOptions => ({
      epochs: 6,
      batchSize: 8,
      optimizer: 'adam',
      learningRate: 0.05,
      validationData: y,
    });

    it('fit with labels (and validation labels) is bit-identical to fit with one-hot rows', async () => {
      const ref = await create(),
        net = await create();
      const logsRef: unknown[] = [],
        logs: unknown[] = [];
      const hRef = ref.fit(train.x, oneHot(train.labels), {
        ...options([val.x, oneHot(val.labels)]),
        onEpochEnd: (_, l) => {
          logsRef.push({ ...l, samplesPerSecond: 0 });
        },
      });
      const h = net.fit(train.x, train.labels, {
        ...options([val.x, val.labels]),
        onEpochEnd: (_, l) => {
          logs.push({ ...l, samplesPerSecond: 0 });
        },
      });
      expect(h).toEqual(hRef);
      expect(logs).toEqual(logsRef);
      expect(hRef.loss[5]).toBeLessThan(hRef.loss[0]!); // it did train
      expect(net.checkpoint()).toEqual(ref.checkpoint()); // weights, optimizer state, shuffle state: bit for bit
      expect(net.evaluate(val.x, val.labels)).toEqual(ref.evaluate(val.x, oneHot(val.labels)));
      ref.dispose();
      net.dispose();
    });

    it('every integer typed array gives the same network as number[] labels; fitAsync too', async () => {
      const ref = await create();
      ref.fit(train.x, train.labels, options([val.x, val.labels]));
      const want = ref.checkpoint();
      for (const T of [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array]) {
        const net = await create();
        net.fit(train.x, T.from(train.labels), options([val.x, T.from(val.labels)]));
        expect(net.checkpoint(), T.name).toEqual(want);
        net.dispose();
      }
      const flat = dtype === 'float32' ? Float32Array.from(train.x.flat()) : Float64Array.from(train.x.flat());
      const viaAsync = await create();
      await viaAsync.fitAsync(flat, Int32Array.from(train.labels), options([val.x, val.labels]));
      expect(viaAsync.checkpoint()).toEqual(want);
      ref.dispose();
      viaAsync.dispose();
    });
  });
});

describe('class-index labels are checked', () => {
  const create = (extra = {}) =>
    Network.create({ layers: [2, 4, 10], output: 'softmax', loss: 'crossEntropy', seed: 1, ...extra });
  const x = Array.from({ length: 5 }, (_, i) => [i / 5, 1 - i / 5]);

  it.each([
    ['out of range', [0, 1, 2, 10, 4], /^fit y: label 10 at row 3 is not a class index in \[0, 10\)$/],
    ['negative', [0, -1, 2, 3, 4], /^fit y: label -1 at row 1 is not a class index in \[0, 10\)$/],
    [
      'fractional',
      [0, 1, 2.5, 3, 4],
      /^fit y: label 2\.5 at row 2 is not a class index in \[0, 10\) \(class indices are whole numbers\)$/,
    ],
    ['NaN', [0, 1, 2, 3, NaN], /^fit y: label NaN at row 4 is not a class index in \[0, 10\)/],
    ['Infinity', [Infinity, 1, 2, 3, 4], /^fit y: label Infinity at row 0 is not a class index in \[0, 10\)/],
    // eslint-disable-next-line no-sparse-arrays
    [
      'a hole',
      [0, , 2, 3, 4],
      /^fit y: the label at row 1 is missing \(a hole or undefined\); each row needs a class index in \[0, 10\)$/,
    ],
    ['a string', [0, 1, '2', 3, 4], /^fit y: label "2" at row 2 is not a class index in \[0, 10\) \(got a string\)$/],
    ['null', [0, 1, 2, null, 4], /^fit y: label null at row 3 is not a class index in \[0, 10\) \(got null\)$/],
    [
      'a Uint8Array value',
      Uint8Array.from([0, 1, 2, 3, 200]),
      /^fit y: label 200 at row 4 is not a class index in \[0, 10\)$/,
    ],
  ])('%s: a ValidationError naming the row and range; the network is unchanged', async (_, labels, message) => {
    const net = await create();
    const before = net.checkpoint();
    const error = thrown(() => net.fit(x, labels as never, { epochs: 2 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(message);
    expect(net.checkpoint()).toEqual(before);
    net.dispose();
  });

  it('evaluate, validationData and row counts name what they check', async () => {
    const net = await create();
    expect(thrown(() => net.evaluate(x, [0, 1, 2, 3, 12])).message).toBe(
      'evaluate y: label 12 at row 4 is not a class index in [0, 10)',
    );
    expect(thrown(() => net.fit(x, [0, 1, 2, 3, 4], { validationData: [x, [0, 1, -2, 3, 4]] })).message).toBe(
      'validationData y: label -2 at row 2 is not a class index in [0, 10)',
    );
    expect(thrown(() => net.fit(x, [0, 1, 2])).message).toBe('fit y: x has 5 rows but y has 3 labels'); // counted before the labels are expanded
    expect(thrown(() => net.fit(x, new Int32Array(0))).message).toBe('fit y: empty (no rows)');
    net.dispose();
  });

  it('Float32Array and Float64Array y are flat rows, never class indices', async () => {
    const net = await create({ layers: [2, 4, 3] });
    // Five labels as a Float32Array are 5 / 3 rows of width 3: refused as rows, not read as classes.
    expect(thrown(() => net.fit(x, Float32Array.from([0, 1, 2, 1, 0]))).message).toMatch(
      /^fit y: typed array of length 5 is not a whole number of rows of width 3/,
    );
    expect(thrown(() => net.fit(x.slice(0, 3), Float64Array.from([0, 1, 2]))).message).toBe(
      'fit: x has 3 rows but y has 1',
    );
    net.dispose();
  });

  it('a flat list for an output other than softmax says what to pass', async () => {
    const sigmoid = await Network.create({ layers: [2, 1], seed: 1 });
    for (const y of [[0, 1, 1, 0, 1], Int32Array.from([0, 1, 1, 0, 1])]) {
      const error = thrown(() => sigmoid.fit(x, y));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(
        "fit y: a flat list of numbers is read as class indices, which need a softmax output (this network's output is sigmoid); " +
          'pass one array per row, e.g. [[0], [1], …] for one output, or a Float32Array/Float64Array of rows x 1',
      );
    }
    const linear = await Network.create({ layers: [2, 3], output: 'linear', seed: 1 });
    expect(thrown(() => linear.evaluate(x, [0, 1, 2, 0, 1])).message).toMatch(
      /^evaluate y: a flat list .* \(this network's output is linear\); pass one array per row, e.g\. \[\[0\], \[1\], …\] for 3 outputs/,
    );
    sigmoid.dispose();
    linear.dispose();
  });
});
