// Hostile input: holes, null, float32 overflow, shared arrays, proxies, typos in option bags and
// model files, out-of-range cross-entropy targets and float32-degenerate hyper-parameters. Each is a
// typed error naming the position, on both backends, and the network is unchanged after it.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  init,
  Network,
  ModelFormatError,
  schedules,
  ValidationError,
  type LayerWeights,
  type NetworkOptions,
} from 'backprop-wasm';
import { Rng } from './helpers.js';

const rng = new Rng(77);
const X = Array.from({ length: 16 }, () => [rng.next(), rng.next()]);
const Y = X.map(([a, b]) => (a! > b! ? [1, 0] : [0, 1]));
const SOFTMAX: NetworkOptions = {
  layers: [2, 4, 2],
  activation: 'tanh',
  output: 'softmax',
  loss: 'crossEntropy',
  seed: 5,
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

// eslint-disable-next-line no-sparse-arrays
const holes = { layers: [2, , 1], activation: [, 'relu'] };

describe.each(['wasm', 'js'] as const)('hostile input (%s)', (backend) => {
  const create = (o: NetworkOptions) => Network.create({ ...o, backend });

  it('holes in layers, activation lists, weights and setWeights are errors naming the position', async () => {
    expect(await rejection(create({ layers: holes.layers as number[] }))).toMatchObject({
      name: 'ValidationError',
      message: 'layers[1] must be a positive integer; got a hole',
    });
    expect((await rejection(create({ layers: [2, 3, 3, 1], activation: holes.activation as never }))).message).toMatch(
      /activation of hidden layer 0: undefined is not one of/,
    );
    const net = await create({ layers: [2, 3, 1], seed: 2 });
    const good = net.getWeights();
    const cases: [string, (w: LayerWeights[]) => unknown, RegExp][] = [
      // eslint-disable-next-line no-sparse-arrays
      ['a whole layer', (w) => [, w[1]], /setWeights\[0\] must be \{ W: number\[\]\[\], b: number\[\] \}; got a hole/],
      // eslint-disable-next-line no-sparse-arrays
      ['a W row', (w) => [{ ...w[0], W: [w[0]!.W[0], ,] }, w[1]], /setWeights\[0\]\.W row 1 is missing \(a hole\)/],
      // eslint-disable-next-line no-sparse-arrays
      [
        'a W value',
        (w) => [{ ...w[0], W: [w[0]!.W[0], [1, , 3]] }, w[1]],
        /value at setWeights\[0\]\.W\[1\]\[1\] is missing/,
      ],
      // eslint-disable-next-line no-sparse-arrays
      ['a bias', (w) => [w[0], { ...w[1], b: [,] }], /value at setWeights\[1\]\.b\[0\] is missing/],
    ];
    for (const [, make, message] of cases) {
      const error = thrown(() => net.setWeights(make(structuredClone(good)) as LayerWeights[]));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(message);
      expect(net.getWeights()).toEqual(good);
    }
    // eslint-disable-next-line no-sparse-arrays
    expect((await rejection(create({ layers: [2, 1], weights: [{ W: [[1], ,], b: [0] }] as never }))).message).toMatch(
      /weights\[0\]\.W row 1 is missing/,
    );
  });

  it("the network keeps copies: the caller's arrays and net.layers change nothing", async () => {
    const options = {
      layers: [2, 3, 2],
      activation: ['relu'] as ['relu'],
      output: 'softmax' as const,
      loss: 'crossEntropy' as const,
      seed: 4,
    };
    const pending = create(options);
    options.layers[1] = 2.5; // during the await of create
    options.activation[0] = 'linear' as 'relu';
    const net = await pending;
    expect(net.sizes).toEqual([2, 3, 2]);
    expect(Object.isFrozen(net.sizes)).toBe(true);
    expect(() => {
      (net.sizes as number[])[0] = 4;
    }).toThrow(TypeError);
    expect(net.sizes).toEqual([2, 3, 2]);
    const general = [
      { type: 'dense', units: 3, activation: 'relu' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ];
    expect(net.layers).toEqual(general);
    expect(Object.isFrozen(net.layers) && Object.isFrozen(net.layers[0])).toBe(true);
    expect(() => {
      (net.layers[0] as { units: number }).units = 9;
    }).toThrow(TypeError);
    expect(() => {
      (net.layers as unknown[]).pop();
    }).toThrow(TypeError);
    expect(net.layers).toEqual(general);
    expect(net.toJSON().layers).toEqual(general);
    expect(net.activations).toEqual(['relu', 'softmax']);
    expect(net.dropout).toEqual([0]);
    expect(() => {
      (net.activations as string[])[0] = 'linear';
    }).toThrow(TypeError);
    expect(() => {
      (net.dropout as number[])[0] = 0.5;
    }).toThrow(TypeError);
    expect([net.activations, net.dropout]).toEqual([['relu', 'softmax'], [0]]);
    expect(net.activations).toBe(net.activations); // one frozen copy, as net.layers
    net.fit(X, Y, { epochs: 2, batchSize: 4 });
    expect(net.predict(X)[0]).toHaveLength(2);
  });

  it("values beyond float32's range are refused for float32 networks (they would become Infinity)", async () => {
    const net = await create({ ...SOFTMAX, dtype: 'float32' });
    const before = net.checkpoint();
    const big = [[1e39, 0]];
    expect(thrown(() => net.fit(big, [[1, 0]])).message).toBe(
      "fit x: value 1e+39 at row 0, column 0 is beyond float32's range (±3.4e38; use dtype 'float64')",
    );
    expect(thrown(() => net.predict(Float64Array.of(0, -1e39))).message).toMatch(
      /predict x: value -1e\+39 at row 0, column 1 is beyond float32's range/,
    );
    expect(thrown(() => net.evaluate(big, [[1, 0]])).message).toMatch(/evaluate x: value 1e\+39/);
    const w = net.getWeights();
    w[1]!.b[1] = 4e38;
    expect(thrown(() => net.setWeights(w)).message).toMatch(
      /value 4e\+38 at setWeights\[1\]\.b\[1\] is beyond float32's range/,
    );
    expect((await rejection(create({ layers: [1, 1], weights: [{ W: [[1e39]], b: [0] }] }))).message).toMatch(
      /beyond float32's range/,
    );
    expect(net.checkpoint()).toEqual(before);
    const wide = await create({ ...SOFTMAX, dtype: 'float64' });
    expect(() => wide.predict(big)).not.toThrow(); // float64 holds it
  });

  it('cross-entropy targets must be probabilities, and softmax rows must sum to 1', async () => {
    const net = await create(SOFTMAX);
    const before = net.checkpoint();
    expect(
      thrown(() =>
        net.fit(X.slice(0, 2), [
          [1, 1],
          [0, 1],
        ]),
      ).message,
    ).toMatch(/fit y: target row 0 sums to 2; with a softmax output and cross-entropy each row is a distribution/);
    expect(thrown(() => net.fit(X.slice(0, 1), [[1.5, -0.5]])).message).toMatch(
      /fit y: the target at row 0, column 0 is 1\.5; cross-entropy targets are probabilities in \[0, 1\]/,
    );
    expect(thrown(() => net.evaluate(X.slice(0, 1), [[0, 0]])).message).toMatch(/evaluate y: target row 0 sums to 0/);
    expect(thrown(() => net.fit(X, Y, { validationData: [X.slice(0, 1), [[2, -1]]] })).message).toMatch(
      /validationData y: the target at row 0, column 0 is 2/,
    );
    expect(net.checkpoint()).toEqual(before);
    net.fit(X.slice(0, 1), [[0.9, 0.1]]); // label-smoothed rows are distributions
    const binary = await create({ layers: [2, 1], output: 'sigmoid', loss: 'crossEntropy' });
    expect(thrown(() => binary.fit(X.slice(0, 1), [[3]])).message).toMatch(/target at row 0, column 0 is 3/);
    const regression = await create({ layers: [2, 1], output: 'linear', loss: 'mse' });
    regression.fit(X.slice(0, 1), [[3]]); // any value for mse
  });

  it('float32-degenerate hyper-parameters are refused alike on both backends', async () => {
    const net = await create({ ...SOFTMAX, dtype: 'float32' });
    const cases: [object, RegExp][] = [
      [
        { optimizer: { name: 'adam', epsilon: 1e-50 } },
        /optimizer epsilon 1e-50 rounds to 0 in float32; use a larger value/,
      ],
      [{ optimizer: { name: 'adam', beta1: 0.99999999 } }, /optimizer beta1 0\.99999999 rounds to 1 in float32/],
      [
        { optimizer: { name: 'momentum', momentum: 0.999999999 } },
        /optimizer momentum 0\.999999999 rounds to 1 in float32/,
      ],
      [{ learningRate: 1e-50 }, /learningRate 1e-50 rounds to 0 in float32/],
    ];
    for (const [options, message] of cases) expect(thrown(() => net.fit(X, Y, options)).message).toMatch(message);
    const wide = await create({ ...SOFTMAX, dtype: 'float64' });
    wide.fit(X, Y, { optimizer: { name: 'adam', epsilon: 1e-50, beta1: 0.99999999 } }); // float64 represents them
  });

  it('predict refuses an out that overlaps x', async () => {
    const net = await create({ layers: [2, 2], dtype: 'float32' });
    const shared = new Float32Array(8);
    expect(thrown(() => net.predict(shared.subarray(0, 4), { out: shared.subarray(2, 6) })).message).toMatch(
      /predict out overlaps x/,
    );
    expect(() => net.predict(shared.subarray(0, 4), { out: shared.subarray(4, 8) })).not.toThrow(); // adjacent is fine
  });

  it('predict refuses out === x (the same array) on both backends and dtypes, and leaves x as it was', async () => {
    for (const backend of ['wasm', 'js'] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        const net = await Network.create({ layers: [3, 4, 3], dtype, backend, seed: 2 });
        const x =
          dtype === 'float32'
            ? Float32Array.from([0.5, -1, 2, 1, 0, -0.5])
            : Float64Array.from([0.5, -1, 2, 1, 0, -0.5]);
        const before = Array.from(x);
        expect(thrown(() => net.predict(x, { out: x })).message, `${backend} ${dtype}`).toMatch(
          /predict out overlaps x/,
        );
        expect(Array.from(x)).toEqual(before);
        net.dispose();
      }
    }
  });

  it('typos in option bags are errors; null where an object is expected is an error', async () => {
    const net = await create(SOFTMAX);
    expect(thrown(() => net.toBytes({ trainig: true } as never)).message).toMatch(
      /toBytes: unknown option 'trainig' \(valid: 'training'\)/,
    );
    expect(thrown(() => net.predict(X, { output: new Float32Array(32) } as never)).message).toMatch(
      /predict: unknown option 'output'/,
    );
    expect(thrown(() => net.toBytes(null as never))).toBeInstanceOf(ValidationError);
    expect(await rejection(Network.fromJSON(net.toJSON(), null as never))).toBeInstanceOf(ValidationError);
    expect(await rejection(Network.fromBytes(net.toBytes(), { backend: 'js', memorylimit: 1 } as never))).toMatchObject(
      { message: expect.stringMatching(/load: unknown option 'memorylimit'/) },
    );
    expect(await rejection(net.fitAsync(X, Y, { epoch: 3 } as never))).toMatchObject({
      message: expect.stringMatching(/unknown option 'epoch'/),
    });
  });

  it('Float32Array rows are accepted as weights; a Proxy is not mistaken for a typed array', async () => {
    const net = await create({ layers: [2, 2], seed: 1 });
    const w = net.getWeights();
    net.setWeights([{ W: w[0]!.W.map((r) => Float32Array.from(r)) as never, b: Float64Array.from(w[0]!.b) as never }]);
    const proxy = new Proxy(new Float32Array(4), {});
    const error = thrown(() => net.predict(proxy as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/predict x: expected number\[\]\[\], Float32Array or Float64Array/);
  });

  it('a flat y says what to pass instead', async () => {
    const net = await create({ layers: [2, 1] });
    expect(thrown(() => net.fit(X.slice(0, 2), [0, 1])).message).toMatch(
      /fit y: a flat list of numbers is read as class indices, which need a softmax output \(this network's output is sigmoid\); pass one array per row, e\.g\. \[\[0\], \[1\], …\] for one output/,
    );
  });
});

describe('model files state every field, and only known ones', () => {
  it('null fields are errors, never defaults (a tanh model with activation null does not reload as sigmoid)', async () => {
    const net = await Network.create({ layers: [2, 3, 1], activation: 'tanh', seed: 1 });
    for (const key of ['inputShape', 'layers', 'loss', 'dtype', 'seed']) {
      const error = await rejection(Network.fromJSON({ ...net.toJSON(), [key]: null } as never));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toBe(`model JSON: '${key}' is null; a model file states every field`);
    }
    // A layer's option too: null is refused, and a missing one is not filled with its default ('linear').
    const json = net.toJSON();
    const edit = (activation: unknown) => ({ ...json, layers: [{ ...json.layers[0], activation }, json.layers[1]] });
    expect((await rejection(Network.fromJSON(edit(null) as never))).message).toMatch(
      /layers\[0\] \(dense\): activation null is not one of/,
    );
    const { activation: _, ...bare } = json.layers[0] as { activation: string };
    expect((await rejection(Network.fromJSON({ ...json, layers: [bare, json.layers[1]] } as never))).message).toBe(
      "model JSON: layers[0]: 'activation' is missing",
    );
    // Version 1 files state their own fields.
    const v1 = JSON.parse(readFileSync(new URL('./fixtures/format-v1/model.json', import.meta.url), 'utf8'));
    for (const key of ['activation', 'output', 'loss', 'dtype', 'seed', 'layers']) {
      const error = await rejection(Network.fromJSON({ ...v1, [key]: null } as never));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toBe(`model JSON: '${key}' is null; a model file states every field`);
    }
  });

  it('unknown keys are errors in the JSON and its weights and training parts (the binary header: model-format.test.ts)', async () => {
    const net = await Network.create({ layers: [2, 3, 1], seed: 1 });
    net.fit(
      X,
      X.map(([a]) => [a! > 0.5 ? 1 : 0]),
      { optimizer: 'adam' },
    );
    const json = net.checkpoint();
    const cases: [unknown, RegExp][] = [
      [{ ...json, dropuot: 0.5 }, /unknown field 'dropuot'/],
      [
        { ...json, weights: [{ ...json.weights[0], bias: 'AAAA' }, json.weights[1]] },
        /unknown field 'weights\[0\]\.bias'/,
      ],
      [{ ...json, training: { ...json.training, step: 3 } }, /unknown field 'training\.step'/],
    ];
    for (const [file, message] of cases) {
      const error = await rejection(Network.fromJSON(file as never));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toMatch(message);
    }
  });
});

describe('values a message cannot print as JSON (a BigInt, a cycle, 20,000 levels of nesting) still give a ValidationError', () => {
  let deep: unknown = 0;
  for (let i = 0; i < 20000; i++) deep = [deep];
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  it('in Network.create, fit and the schedules, naming the option', async () => {
    for (const bad of [2n, cyclic, deep]) {
      for (const options of [
        { layers: bad },
        { layers: [2, 1], seed: bad },
        { layers: [2, 1], threads: bad },
        { layers: [2, 1], memoryLimit: bad },
      ]) {
        const error = await rejection(Network.create(options as never));
        expect(error, JSON.stringify(Object.keys(options))).toBeInstanceOf(ValidationError);
        expect(error.message).toMatch(/layers|seed|threads|memoryLimit/);
      }
    }
    const net = await Network.create({ layers: [2, 1], seed: 1 });
    for (const bad of [2n, deep]) {
      expect(
        thrown(() =>
          net.fit(
            X,
            Y.map((r) => [r[0]!]),
            { validationSplit: bad } as never,
          ),
        ),
      ).toBeInstanceOf(ValidationError);
      expect(
        thrown(() =>
          net.fit(
            X,
            Y.map((r) => [r[0]!]),
            { earlyStopping: bad } as never,
          ),
        ),
      ).toBeInstanceOf(ValidationError);
      expect(thrown(() => net.toBytes({ training: bad } as never))).toBeInstanceOf(ValidationError);
      expect(thrown(() => schedules.step(0.1, 0.5, bad as never))).toBeInstanceOf(ValidationError);
    }
    expect(thrown(() => net.toBytes({ training: deep } as never)).message).toMatch(
      /training must be true or false; got an array that cannot be shown/,
    );
    expect(thrown(() => net.toBytes({ training: 'x'.repeat(1000) } as never)).message).toMatch(/got "x{196}\.\.\.$/);
    expect(thrown(() => net.toBytes({ training: () => 'a long function body' } as never)).message).toMatch(
      /got a function$/,
    );
  });
});

describe('clear errors for calls the API does not take', () => {
  it('init with a number or null, and new Network()', async () => {
    for (const bad of [42, null, {}]) {
      const error = await rejection(init(bad as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/init takes the module's URL \(a string or URL\), its bytes/);
    }
    for (const bad of [42n, Symbol('wasm')])
      expect(await rejection(init(bad as never))).toBeInstanceOf(ValidationError);
    const Ctor = Network as unknown as new (...a: unknown[]) => Network;
    expect(thrown(() => new Ctor({ layers: [2, 1] }))).toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/use `await Network\.create\(options\)`/),
    });
  });

  it('small limits are stated in bytes, not as 0.0 MiB', async () => {
    const error = await rejection(Network.create({ layers: [2, 2], memoryLimit: 20 }));
    expect(error.message).toMatch(
      /needs 96 B \(parameters, gradients and Adam state in float32\), more than the limit of 20 B \(memoryLimit\)/,
    );
  });
});

describe('checkpoint() is current at any moment', () => {
  it('from onEpochEnd and between fitAsync epochs, resuming with Adam is bit-identical to an uninterrupted run', async () => {
    const x = Array.from({ length: 40 }, () => [rng.next(), rng.next()]),
      y = x.map(([a, b]) => (a! > b! ? [1, 0] : [0, 1]));
    const fit = { epochs: 6, batchSize: 8, optimizer: 'adam' as const, learningRate: 0.01 };
    const straight = await Network.create(SOFTMAX);
    straight.fit(x, y, fit);
    const saved: ReturnType<Network['checkpoint']>[] = [];
    const net = await Network.create(SOFTMAX);
    net.fit(x, y, {
      ...fit,
      onEpochEnd: (epoch) => {
        if (epoch === 2) saved.push(net.checkpoint());
      },
    });
    expect(saved[0]!.training).toMatchObject({ epochs: 3, steps: 15, optimizer: 'adam' });
    const resumed = await Network.fromJSON(saved[0]!);
    resumed.fit(x, y, { ...fit, initialEpoch: 3 });
    expect(resumed.getWeights()).toEqual(straight.getWeights());

    // Between fitAsync epochs, from another task: fitAsync yields once 8 ms of training have passed,
    // so a clock that advances 10 ms a reading makes it yield after every epoch (no race with the
    // machine's load). The test's continuation of a promise resolved in onEpochEnd(1) runs at that yield.
    const later = await Network.create(SOFTMAX);
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (t += 10));
    let mid: ReturnType<Network['checkpoint']>;
    try {
      let reached!: () => void;
      const second = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const run = later.fitAsync(x, y, {
        ...fit,
        epochs: 4,
        onEpochEnd: (epoch) => {
          if (epoch === 1) reached();
        },
      });
      await second;
      mid = later.checkpoint();
      await run;
    } finally {
      clock.mockRestore();
    }
    expect(later.checkpoint().training.epochs).toBe(4);
    expect(mid.training).toMatchObject({ epochs: 2, steps: 10 });
    const straight4 = await Network.create(SOFTMAX);
    straight4.fit(x, y, { ...fit, epochs: 4 });
    const resumed4 = await Network.fromJSON(mid);
    resumed4.fit(x, y, { ...fit, epochs: 4, initialEpoch: 2 });
    expect(resumed4.getWeights()).toEqual(straight4.getWeights());
  });
});
