// Memory under fault: sizes past 2 GiB without 32-bit wrap, allocation failures injected at every
// allocation site (each call then changes nothing and leaks nothing), dispose() during training,
// fit's memory independent of `epochs`, and networks that are dropped without dispose().
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DisposedError, Network, ResourceError, type NetworkOptions } from 'backprop-wasm';
import { init } from '../dist/src/backends/wasm/runtime.js';
import { Arena } from '../dist/src/backends/wasm/arena.js';
import { fitBytes } from '../dist/src/checks/limits.js';
import { Rng } from './helpers.js';

const GiB = 2 ** 30;
const rng = new Rng(91);
const X = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next()]);
const Y = X.map(([a, b, c]) => (a! + b! > c! ? [1, 0] : [0, 1]));
const OPTIONS: NetworkOptions = {
  layers: [3, 8, 2],
  activation: 'tanh',
  output: 'softmax',
  loss: 'crossEntropy',
  seed: 3,
};
const FIT = { epochs: 3, batchSize: 7, optimizer: 'adam' as const, learningRate: 0.01 };

/** Makes the arena's k-th allocation from now fail as memory exhaustion would; returns how to undo it and the count. */
function failAllocation(
  arena: { alloc(bytes: number): number },
  k: number,
): { calls: () => number; restore: () => void } {
  const original = arena.alloc;
  let n = 0;
  arena.alloc = function (this: unknown, bytes: number) {
    if (++n === k) throw new ResourceError(`injected failure at allocation ${k}`, bytes, 0);
    return original.call(this, bytes);
  };
  return {
    calls: () => n,
    restore: () => {
      arena.alloc = original;
    },
  };
}

/** Runs `call` with the k-th allocation failing, for k = 1, 2, … until it succeeds; `check` runs after each failure. */
async function everyAllocationSite(
  arena: { alloc(bytes: number): number },
  call: () => unknown,
  check: (error: unknown) => void,
): Promise<number> {
  for (let k = 1; k < 200; k++) {
    const injected = failAllocation(arena, k);
    let error: unknown = null;
    try {
      await call();
    } catch (e) {
      error = e;
    } finally {
      injected.restore();
    }
    if (error === null) return k - 1;
    check(error);
  }
  throw new Error('the call never succeeded');
}

describe('arena arithmetic past 2 GiB', () => {
  it('offsets and sizes stay exact past 2^31, and memory past 4 GiB is a ResourceError that changes nothing', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1, maximum: 65536 }), 40);
    const big = arena.alloc(Math.round(2.2 * GiB));
    const above = arena.alloc(1000);
    expect(above).toBeGreaterThan(2 ** 31);
    expect(above % 16).toBe(0);
    arena.floats('float64', above, 125).fill(7);
    expect(arena.floats('float64', above, 125)[124]).toBe(7);
    const inUse = arena.bytesInUse;
    const error = (() => {
      try {
        arena.alloc(2 * GiB);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as ResourceError).message).toMatch(
      /cannot allocate 2\.00 GiB: WebAssembly memory would need .* of at most 4\.00 GiB/,
    );
    expect((error as ResourceError).requested).toBe(2 * GiB);
    expect(arena.bytesInUse).toBe(inUse);
    arena.free(big);
    const again = arena.alloc(1.5 * GiB); // the freed space is reused below 2 GiB
    expect(again).toBe(48);
    arena.free(again);
    arena.free(above);
    expect(arena.bytesInUse).toBe(0);
  });

  it('a network whose buffers lie above 2 GiB trains exactly like one below', async () => {
    const rt = await init();
    const below = await Network.create(OPTIONS);
    const filler = rt.arena.alloc(Math.round(2.1 * GiB));
    const above = await Network.create(OPTIONS);
    expect(rt.arena.bytesInUse).toBeGreaterThan(2.1 * GiB);
    below.fit(X, Y, FIT);
    above.fit(X, Y, FIT);
    expect(above.getWeights()).toEqual(below.getWeights());
    expect(above.predict(X)).toEqual(below.predict(X));
    above.dispose();
    below.dispose();
    rt.arena.free(filler);
  });
});

describe('an allocation failure anywhere changes nothing and leaks nothing', () => {
  it('Network.create, fromJSON and fromBytes', async () => {
    const rt = await init();
    const source = await Network.create(OPTIONS);
    source.fit(X, Y, FIT);
    const checkpoint = source.checkpoint(),
      bytes = source.toBytes({ training: true });
    const baseline = rt.arena.bytesInUse;
    for (const call of [
      () => Network.create(OPTIONS),
      () => Network.fromJSON(checkpoint),
      () => Network.fromBytes(bytes),
    ]) {
      const sites = await everyAllocationSite(
        rt.arena,
        async () => (await call()).dispose(),
        (e) => {
          expect(e).toBeInstanceOf(ResourceError);
          expect(rt.arena.bytesInUse).toBe(baseline);
        },
      );
      expect(sites).toBeGreaterThan(0);
    }
    source.dispose();
  });

  it('fit, including a switch of optimizer and validation buffers: the network stays bit-identical to an untouched twin', async () => {
    const rt = await init();
    const net = await Network.create(OPTIONS),
      twin = await Network.create(OPTIONS);
    net.fit(X, Y, { ...FIT, optimizer: 'momentum' });
    twin.fit(X, Y, { ...FIT, optimizer: 'momentum' });
    const baseline = rt.arena.bytesInUse;
    const big = Array.from({ length: 300 }, (_, i) => X[i % X.length]!),
      bigY = big.map((_, i) => Y[i % Y.length]!);
    const sites = await everyAllocationSite(
      rt.arena,
      () => net.fit(X, Y, { ...FIT, batchSize: 30, validationData: [big, bigY] }), // adam after momentum: new state
      (e) => {
        expect(e).toBeInstanceOf(ResourceError);
        expect(rt.arena.bytesInUse).toBe(baseline);
        expect(net.checkpoint()).toEqual(twin.checkpoint()); // weights, momentum state, steps, shuffle state
      },
    );
    expect(sites).toBeGreaterThanOrEqual(3); // data, batch buffers, optimizer state
    twin.fit(X, Y, { ...FIT, batchSize: 30, validationData: [big, bigY] });
    expect(net.checkpoint()).toEqual(twin.checkpoint()); // and the call that succeeded trained as the twin did
    net.dispose();
    twin.dispose();
  });

  it('setWeights and predict allocate nothing in the arena once buffers exist', async () => {
    const rt = await init();
    const net = await Network.create(OPTIONS);
    net.predict(X);
    const injected = failAllocation(rt.arena, 1);
    try {
      net.setWeights(net.getWeights());
      net.predict(X);
    } finally {
      injected.restore();
    }
    expect(injected.calls()).toBe(0);
    net.dispose();
  });
});

describe('dispose() during training', () => {
  for (const mode of ['fit', 'fitAsync'] as const) {
    it(`${mode}: dispose() from onEpochEnd stops training with a DisposedError; no kernel runs on freed memory`, async () => {
      const rt = await init();
      const baseline = rt.arena.bytesInUse;
      const net = await Network.create(OPTIONS);
      let neighbour: Network | null = null,
        twin: Network | null = null,
        epochs = 0;
      const onEpochEnd = (epoch: number) => {
        epochs++;
        if (epoch === 1) {
          net.dispose();
          // Whatever reuses the freed memory must not be written by the stopped training.
          void Network.create({ ...OPTIONS, seed: 9 }).then((n) => {
            neighbour = n;
          });
        }
      };
      const run =
        mode === 'fit'
          ? Promise.resolve().then(() => net.fit(X, Y, { ...FIT, epochs: 10, onEpochEnd }))
          : net.fitAsync(X, Y, { ...FIT, epochs: 10, onEpochEnd });
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DisposedError);
      expect((error as Error).message).toMatch(/disposed during training, after epoch 1/);
      expect(epochs).toBe(2);
      await new Promise((r) => setTimeout(r, 0));
      twin = await Network.create({ ...OPTIONS, seed: 9 });
      expect(neighbour!.getWeights()).toEqual(twin.getWeights());
      neighbour!.dispose();
      twin.dispose();
      expect(rt.arena.bytesInUse).toBe(baseline);
    });
  }

  it('dispose() between fitAsync epochs (from another task) stops it the same way', async () => {
    const net = await Network.create(OPTIONS);
    const big = Array.from({ length: 3000 }, (_, i) => X[i % X.length]!),
      bigY = big.map((_, i) => Y[i % Y.length]!);
    // The continuation of a promise resolved in onEpochEnd(1) runs at fitAsync's next yield, in
    // another task than the epoch's (no timer: nothing depends on the machine's speed).
    let reached!: () => void;
    const second = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const run = net.fitAsync(big, bigY, {
      ...FIT,
      epochs: 10_000,
      batchSize: 4,
      onEpochEnd: (e) => {
        if (e === 1) reached();
      },
    });
    await second;
    net.dispose();
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DisposedError);
    expect((error as Error).message).toMatch(/disposed during training, after epoch \d+/);
  });
});

describe('fit memory grows with data and network, not with epochs', () => {
  async function peakDuringFit(epochs: number, shuffle: boolean, rows: number): Promise<number> {
    const rt = await init();
    const net = await Network.create({ layers: [3, 8, 2], seed: 1 });
    const base = rt.arena.bytesInUse;
    let peak = 0;
    const original = rt.arena.alloc;
    rt.arena.alloc = function (this: unknown, bytes: number) {
      const p = original.call(this, bytes);
      peak = Math.max(peak, rt.arena.bytesInUse - base);
      return p;
    };
    try {
      const x = new Float32Array(rows * 3).fill(0.5),
        y = new Float32Array(rows * 2).fill(0.5);
      net.fit(x, y, { epochs, batchSize: 64, shuffle, learningRate: 1e-3, optimizer: 'adam' });
    } finally {
      rt.arena.alloc = original;
      net.dispose();
    }
    return peak;
  }

  it('without shuffling, 100,000 epochs take no more memory than 10 (no permutations)', async () => {
    const few = await peakDuringFit(10, false, 4000),
      many = await peakDuringFit(100_000, false, 4);
    expect(await peakDuringFit(100_000, false, 4000 / 1000)).toBe(many);
    expect(few).toBeLessThan(4000 * 5 * 4 + 2 ** 20 + 64 * 1024); // data + ≤ 1 MiB of per-epoch stats + batch buffers
    expect(many).toBeLessThan(2 ** 20 + 64 * 1024);
  });

  it('the peak stays within the formula fitBytes() states, shuffled or not', async () => {
    for (const [epochs, shuffle, rows] of [
      [2, true, 5000],
      [3000, true, 300],
      [100_000, false, 30],
    ] as const) {
      const peak = await peakDuringFit(epochs, shuffle, rows);
      const perCall = shuffle ? Math.min(epochs, Math.max(1, Math.floor(2 ** 20 / rows))) : Math.min(epochs, 65536);
      // Everything but the parameters and gradients, which the network held before fit (Adam's state is made by fit).
      const spec = {
        loss: 'crossEntropy',
        layers: [
          { inputs: 3, outputs: 8, activation: 'relu', dropout: 0 },
          { inputs: 8, outputs: 2, activation: 'softmax', dropout: 0 },
        ],
      } as const;
      const stated =
        fitBytes(spec, 'float32', rows, 64, perCall, shuffle) - fitBytes(spec, 'float32', 0, 0, 0, false) / 2;
      expect(peak).toBeLessThanOrEqual(stated + 16 * 8); // 16-byte alignment of each region
      expect(stated).toBeLessThan(rows * 5 * 4 + 4 * 2 ** 20 + 2 ** 20 + 2 ** 16);
    }
  });

  it('20,000 rows x 100,000 epochs in order are not refused up front', async () => {
    const net = await Network.create({ layers: [3, 2], seed: 1, memoryLimit: 64 * 2 ** 20 });
    const x = new Float32Array(20_000 * 3),
      y = new Float32Array(20_000 * 2);
    // One epoch is enough to know it was accepted: stop after it.
    const h = net.fit(x, y, {
      epochs: 100_000,
      batchSize: 20_000,
      shuffle: false,
      learningRate: 1e-3,
      onEpochEnd: () => false,
    });
    expect(h.epoch).toEqual([0]);
    net.dispose();
  });
});

describe('networks dropped without dispose()', () => {
  it('give their memory back when collected (FinalizationRegistry)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const rt = await init();
    const baseline = rt.arena.bytesInUse;
    for (let i = 0; i < 300; i++) await Network.create({ layers: [64, 64, 8], seed: i });
    expect(rt.arena.bytesInUse).toBeGreaterThan(baseline + 300 * 64 * 64 * 4);
    for (let round = 0; round < 50 && rt.arena.bytesInUse > baseline; round++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(rt.arena.bytesInUse).toBeLessThanOrEqual(baseline); // earlier tests' dropped networks may go too
  });

  it('Symbol.dispose disposes (for `using net = …`)', async () => {
    const net = await Network.create(OPTIONS);
    net[Symbol.dispose]();
    expect(() => net.predict(X)).toThrow(DisposedError);
  });
});
