// trainInWorker with class-index labels and validationSplit: the same network, bit for bit, as with
// one-hot rows and validationData; checked on the calling side before a worker starts.
import { describe, expect, it } from 'vitest';
import { trainInWorker, ValidationError, type WorkerFitOptions } from 'backprop-wasm';
import { Rng } from './helpers.js';

const ROWS = 40,
  FEATURES = 3,
  CLASSES = 3;
const create = {
  layers: [FEATURES, 6, CLASSES],
  activation: 'tanh' as const,
  output: 'softmax' as const,
  loss: 'crossEntropy' as const,
  seed: 4,
};
const rng = new Rng(9);
const xs = Array.from({ length: ROWS * FEATURES }, () => rng.next());
const labels = Array.from({ length: ROWS }, (_, r) => Math.floor(xs[r * FEATURES]! * CLASSES));
const oneHot = (ls: readonly number[]) =>
  Float32Array.from(ls.flatMap((c) => Array.from({ length: CLASSES }, (_, j) => (j === c ? 1 : 0))));
const fit: WorkerFitOptions = { epochs: 4, batchSize: 7, optimizer: 'adam', learningRate: 0.05 };

describe('trainInWorker with class labels and validationSplit', () => {
  it('labels and validationSplit train the network that one-hot rows and validationData train', async () => {
    const labelsIn = Int32Array.from(labels);
    const split = trainInWorker({
      network: { create },
      x: Float32Array.from(xs),
      y: labelsIn,
      fit: { ...fit, validationSplit: 0.25 },
    });
    expect(labelsIn).toEqual(Int32Array.from(labels)); // expanded on this side: the labels stay
    const train = 30; // floor(40 * 0.75)
    const twin = trainInWorker({
      network: { create },
      x: Float32Array.from(xs.slice(0, train * FEATURES)),
      y: oneHot(labels.slice(0, train)),
      fit: { ...fit, validationData: [Float32Array.from(xs.slice(train * FEATURES)), labels.slice(train)] },
    });
    const [a, b] = await Promise.all([split.result, twin.result]);
    expect(a.history).toEqual(b.history);
    expect(a.history.val_loss).toHaveLength(4);
    expect(a.network.checkpoint()).toEqual(b.network.checkpoint());
    a.network.dispose();
    b.network.dispose();
  });

  it('bad labels and splits are refused before a worker starts, and nothing is moved', () => {
    const x = Float32Array.from(xs);
    const bad = labels.map((c, r) => (r === 5 ? 3 : c));
    expect(() => trainInWorker({ network: { create }, x, y: bad })).toThrow(
      new ValidationError('trainInWorker y: label 3 at row 5 is not a class index in [0, 3)'),
    );
    expect(() => trainInWorker({ network: { create }, x, y: labels, fit: { validationSplit: 1 } })).toThrow(
      /^validationSplit must be a number in \(0, 1\)/,
    );
    expect(() => trainInWorker({ network: { create }, x, y: labels, fit: { validationSplit: 0.99 } })).toThrow(
      /leaves 0 for training and 40 for validation/,
    );
    expect(() =>
      trainInWorker({ network: { create }, x, y: labels, fit: { validationSplit: 0.5, validationData: [x, labels] } }),
    ).toThrow(/not both/);
    expect(() => trainInWorker({ network: { create: { ...create, output: 'sigmoid' } }, x, y: labels })).toThrow(
      /class indices, which need a softmax output/,
    );
    expect(x.length).toBe(ROWS * FEATURES);
  });
});
