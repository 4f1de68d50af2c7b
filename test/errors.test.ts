// Bad input: each case throws the named Error class with a message saying what and where, and a
// rejected call leaves the network exactly as it was.
import { describe, expect, it } from 'vitest';
import { Network, ValidationError, ModelFormatError, type NetworkOptions, type FitOptions } from 'backprop-wasm';

const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const Y = [[0], [1], [1], [0]];
const BASE: NetworkOptions = { layers: [2, 3, 1] };

const CREATE_CASES: [string, unknown, RegExp][] = [
  ['missing layers', {}, /layers must be an array/],
  ['one layer', { layers: [2] }, /at least an input and an output/],
  ['zero size', { layers: [2, 0, 1] }, /layers\[1\] must be a positive integer; got 0/],
  ['negative size', { layers: [2, -3, 1] }, /layers\[1\].*-3/],
  ['fractional size', { layers: [2, 2.5, 1] }, /layers\[1\].*2.5/],
  ['non-numeric size', { layers: [2, '3', 1] }, /layers\[1\].*"3"/],
  [
    'unknown activation',
    { ...BASE, activation: 'selu' },
    /"selu" is not one of 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'gelu', 'swish', 'elu', 'softplus'/,
  ],
  ['softmax hidden', { ...BASE, activation: 'softmax' }, /'softmax' is allowed only as the output/],
  [
    'activation list length',
    { layers: [2, 3, 3, 1], activation: ['relu'] },
    /lists 1 names but the network has 2 hidden/,
  ],
  ['unknown output', { ...BASE, output: 'step' }, /output "step" is not one of/],
  ['unknown loss', { ...BASE, loss: 'hinge' }, /loss "hinge" is not one of 'mse', 'crossEntropy'/],
  [
    'crossEntropy with linear output',
    { ...BASE, output: 'linear', loss: 'crossEntropy' },
    /needs output 'softmax' or 'sigmoid'/,
  ],
  ['softmax with one unit', { ...BASE, output: 'softmax' }, /at least 2 output units/],
  ['unknown dtype', { ...BASE, dtype: 'float16' }, /dtype "float16" is not one of 'float32', 'float64'/],
  ['unknown backend', { ...BASE, backend: 'gpu' }, /backend "gpu" is not one of 'wasm', 'js'/],
  ['unknown option', { ...BASE, learningrate: 0.1 }, /unknown option 'learningrate'/],
  ['fractional seed', { ...BASE, seed: 1.5 }, /seed must be an integer/],
  [
    'weights count',
    {
      ...BASE,
      weights: [
        {
          W: [
            [1, 1, 1],
            [1, 1, 1],
          ],
          b: [0, 0, 0],
        },
      ],
    },
    /weights lists 1 layers, the network has 2/,
  ],
  [
    'weights shape',
    {
      ...BASE,
      weights: [
        { W: [[1, 1, 1]], b: [0, 0, 0] },
        { W: [[1], [1], [1]], b: [0] },
      ],
    },
    /weights\[0\]\.W has 1 rows, expected 2/,
  ],
  [
    'ragged weights',
    {
      ...BASE,
      weights: [
        {
          W: [
            [1, 1, 1],
            [1, 1],
          ],
          b: [0, 0, 0],
        },
        { W: [[1], [1], [1]], b: [0] },
      ],
    },
    /weights\[0\]\.W row 1 has 2 values, expected 3/,
  ],
  [
    'non-finite weight',
    {
      ...BASE,
      weights: [
        {
          W: [
            [1, 1, 1],
            [1, NaN, 1],
          ],
          b: [0, 0, 0],
        },
        { W: [[1], [1], [1]], b: [0] },
      ],
    },
    /value NaN at weights\[0\]\.W\[1\]\[1\] is not finite/,
  ],
];

describe('Network.create rejects bad options', () => {
  it.each(CREATE_CASES)('%s', async (_, options, message) => {
    const error = await Network.create(options as NetworkOptions).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });
});

const FIT_CASES: [string, unknown, unknown, FitOptions, RegExp][] = [
  ['row count mismatch', X, Y.slice(1), {}, /x has 4 rows but y has 3/],
  ['wrong x width', [[0, 0, 0]], [[1]], {}, /fit x: row 0 has 3 values, expected 2/],
  ['ragged x', [[0, 0], [1]], [[1], [0]], {}, /fit x: row 1 has 1 values, expected 2/],
  [
    'NaN in x',
    [
      [0, 0],
      [NaN, 1],
    ],
    [[1], [0]],
    {},
    /fit x: value NaN at row 1, column 0/,
  ],
  ['Infinity in y', X, [[0], [1], [Infinity], [0]], {}, /fit y: value Infinity at row 2, column 0/],
  [
    'string in x (quoted, so "1" is not mistaken for 1)',
    [[0, '1']],
    [[1]],
    {},
    /fit x: value "1" at row 0, column 1 is not a number \(a string\)/,
  ],
  ['empty set', [], [], {}, /fit x: empty/],
  [
    'typed length not a multiple',
    new Float32Array(5),
    new Float32Array(2),
    {},
    /length 5 is not a whole number of rows of width 2/,
  ],
  ['not a matrix', 'abc', Y, {}, /expected number\[\]\[\], Float32Array or Float64Array/],
  ['epochs 0', X, Y, { epochs: 0 }, /epochs must be a positive integer; got 0/],
  ['fractional epochs', X, Y, { epochs: 1.5 }, /epochs must be a positive integer; got 1.5/],
  ['learningRate 0', X, Y, { learningRate: 0 }, /learningRate must be a positive number; got 0/],
  ['learningRate NaN', X, Y, { learningRate: NaN }, /learningRate must be a positive number/],
  ['batchSize -1', X, Y, { batchSize: -1 }, /batchSize must be a positive integer; got -1/],
  [
    'unknown optimizer',
    X,
    Y,
    { optimizer: 'rmsprop' as never },
    /optimizer "rmsprop" is not one of 'sgd', 'momentum', 'adam'/,
  ],
  [
    'momentum out of range',
    X,
    Y,
    { optimizer: { name: 'momentum', momentum: 1.5 } },
    /optimizer momentum must be in \[0, 1\); got 1.5/,
  ],
  ['adam option on sgd', X, Y, { optimizer: { name: 'sgd', beta1: 0.9 } as never }, /unknown option 'beta1'/],
  ['unknown reduction', X, Y, { lossReduction: 'avg' as never }, /lossReduction "avg" is not one of 'sum', 'mean'/],
  ['validation width', X, Y, { validationData: [[[1]], [[1]]] }, /validationData x: row 0 has 1 values, expected 2/],
  ['validation not a pair', X, Y, { validationData: [X] as never }, /validationData must be \[x, y\]/],
  ['onEpochEnd not a function', X, Y, { onEpochEnd: 5 as never }, /onEpochEnd must be a function/],
  ['unknown fit option', X, Y, { epoch: 3 } as never, /fit: unknown option 'epoch'/],
];

describe.each(['wasm', 'js'] as const)(
  'fit, predict, evaluate, setWeights reject bad input (%s) and change nothing',
  (backend) => {
    it.each(FIT_CASES)('fit: %s', async (_, x, y, options, message) => {
      const net = await Network.create({ ...BASE, backend });
      const before = net.getWeights();
      expect(() => net.fit(x as number[][], y as number[][], options)).toThrow(ValidationError);
      expect(() => net.fit(x as number[][], y as number[][], options)).toThrow(message);
      expect(net.getWeights()).toEqual(before);
      net.fit(X, Y, { epochs: 2 }); // still usable
    });

    it('predict and evaluate name the problem', async () => {
      const net = await Network.create({ ...BASE, backend });
      expect(() => net.predict([[1, 2, 3]])).toThrow(/predict x: row 0 has 3 values, expected 2/);
      expect(() => net.evaluate(X, Y.slice(2))).toThrow(/evaluate: x has 4 rows but y has 2/);
    });

    it('setWeights checks everything before writing anything', async () => {
      const net = await Network.create({ ...BASE, backend });
      const before = net.getWeights();
      const bad = structuredClone(before);
      bad[0]!.W[0]![0] = 42; // a valid change in layer 0 …
      bad[1]!.b = [Infinity]; // … and a bad value in layer 1
      expect(() => net.setWeights(bad)).toThrow(/value Infinity at setWeights\[1\]\.b\[0\] is not finite/);
      expect(net.getWeights()).toEqual(before);
    });
  },
);

describe('fromJSON rejects corrupt models', () => {
  const model = async () => (await Network.create({ ...BASE, seed: 4 })).toJSON();
  const cases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
    ['not JSON', () => '{"format":', /not valid JSON/],
    ['wrong format', (m) => ({ ...m, format: 'brain.js' }), /format is "brain.js"/],
    [
      'a missing field is not defaulted',
      (m) => {
        const c = { ...m };
        delete c.inputShape;
        return c;
      },
      /'inputShape' is missing/,
    ],
    [
      'future version',
      (m) => ({ ...m, version: 3 }),
      /version 3 is not supported \(this library reads versions 1 and 2\)/,
    ],
    ['a version 1 field in version 2', (m) => ({ ...m, activation: ['relu'] }), /unknown field 'activation'/],
    [
      'bad architecture',
      (m) => ({ ...m, layers: [{ type: 'dense', units: 0, activation: 'relu' }, (m.layers as unknown[])[1]] }),
      /layers\[0\] \(dense\): units must be a positive integer; got 0/,
    ],
    [
      'missing layer weights',
      (m) => ({ ...m, weights: (m.weights as unknown[]).slice(1) }),
      /weights must list 2 layers/,
    ],
    [
      'truncated payload (checked before decoding)',
      (m) => ({ ...m, weights: [{ ...(m.weights as { W: string }[])[0], W: 'AAAA' }, (m.weights as unknown[])[1]] }),
      /weights\[0\]\.W holds 4 base64 characters, expected 32 for 6 float32 values/,
    ],
    [
      'bad base64',
      (m) => ({
        ...m,
        weights: [{ ...(m.weights as { W: string }[])[0], W: '!'.repeat(32) }, (m.weights as unknown[])[1]],
      }),
      /invalid base64 character at offset 0/,
    ],
    [
      'huge layers in a small file',
      (m) => ({
        ...m,
        inputShape: [100000],
        layers: [{ type: 'dense', units: 100000, activation: 'relu' }, (m.layers as unknown[])[1]],
      }),
      /needs .* MiB .*more than the limit|holds .* base64 characters/,
    ],
    [
      'non-finite weight',
      (m) => ({ ...m, weights: [(m.weights as unknown[])[0], { W: 'AADAfwAAwH8AAMB/', b: 'AAAAAA==' }] }),
      /weights\[1\]\.W\[0\] is NaN/,
    ],
  ];
  it.each(cases)('%s', async (_, corrupt, message) => {
    const m = await model();
    const error = await Network.fromJSON(corrupt(m as unknown as Record<string, unknown>) as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
