// A fit that applies no update leaves the network exactly as it was: its checkpoint (weights,
// optimizer and its state, step count, shuffle state, epochs) is byte for byte that of a twin that
// never made the call, and both continue alike. Two ways to apply nothing: diverging at the first
// batch (here, right after switching optimizer, which used to drop the old optimizer's state and
// step count), and fitAsync aborted right after the call (which used to run every epoch).
import { describe, expect, it } from 'vitest';
import { AbortError, DivergenceError, Network, type BackendName, type OptimizerName } from 'backprop-wasm';
import { Rng } from '../dist/src/util/rng.js';

const BACKENDS: BackendName[] = ['wasm', 'js'];
const rng = new Rng(21);
const x = Array.from({ length: 24 }, () => [rng.next() * 2 - 1, rng.next() * 2 - 1, rng.next() * 2 - 1]);
const y = x.map((r) => [r[0]! * 0.5 - r[1]! * r[2]!]);
// Targets past float32's range when squared: the first batch's loss is not finite.
const huge = y.map((r) => r.map((v) => v * 1e30));

/** A network and its twin, trained alike with `optimizer` (shuffled, so the shuffle state moved). */
async function twins(backend: BackendName, optimizer: OptimizerName): Promise<[Network, Network]> {
  const make = async (): Promise<Network> => {
    const net = await Network.create({ layers: [3, 6, 1], activation: 'tanh', output: 'linear', backend, seed: 4 });
    net.fit(x, y, { epochs: 3, batchSize: 5, optimizer, learningRate: 0.01 });
    return net;
  };
  return [await make(), await make()];
}

function expectTwins(a: Network, b: Network): void {
  expect(a.toBytes({ training: true })).toEqual(b.toBytes({ training: true }));
  expect(JSON.stringify(a.checkpoint())).toBe(JSON.stringify(b.checkpoint()));
}

/** Both continue with `optimizer`: still bit-identical. */
function expectSameFuture(a: Network, b: Network, optimizer: OptimizerName): void {
  const ha = a.fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 5, optimizer, learningRate: 0.01 });
  const hb = b.fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 5, optimizer, learningRate: 0.01 });
  expect(ha.loss).toEqual(hb.loss);
  expectTwins(a, b);
}

describe.each(BACKENDS)('%s: a fit that diverges at its first batch changes nothing', (backend) => {
  it.each([
    ['adam', 'sgd'],
    ['momentum', 'adam'],
    ['adam', 'adam'],
  ] as [OptimizerName, OptimizerName][])(
    'trained with %s, a diverging fit with %s: the same checkpoint, and the same training after',
    async (before, during) => {
      const [net, twin] = await twins(backend, before);
      let error: unknown;
      try {
        net.fit(x, huge, { epochs: 4, initialEpoch: 3, batchSize: 5, optimizer: during, learningRate: 1e10 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DivergenceError);
      expect((error as DivergenceError).batch).toBe(0);
      expectTwins(net, twin);
      expectSameFuture(net, twin, before);
      net.dispose();
      twin.dispose();
    },
  );

  it('a network never trained: a fit diverging at its first batch leaves it as new', async () => {
    const make = (): Promise<Network> =>
      Network.create({ layers: [3, 6, 1], activation: 'tanh', output: 'linear', backend, seed: 4 });
    const net = await make(),
      twin = await make();
    expect(() => net.fit(x, huge, { epochs: 2, batchSize: 5, optimizer: 'adam' })).toThrow(DivergenceError);
    expectTwins(net, twin);
    expectSameFuture(net, twin, 'adam');
    net.dispose();
    twin.dispose();
  });
});

describe.each(BACKENDS)('%s: fitAsync aborted right after the call', (backend) => {
  it.each([
    ['adam', 'sgd'],
    ['sgd', 'sgd'],
  ] as [OptimizerName, OptimizerName][])(
    'trained with %s, fitAsync with %s aborted synchronously after the call: rejects, runs no epoch, changes nothing',
    async (before, during) => {
      const [net, twin] = await twins(backend, before);
      const ctrl = new AbortController();
      const epochs: number[] = [];
      const p = net.fitAsync(x, y, {
        epochs: 50,
        batchSize: 5,
        optimizer: during,
        signal: ctrl.signal,
        onEpochEnd: (e) => {
          epochs.push(e);
        },
      });
      ctrl.abort();
      const error = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AbortError);
      expect((error as AbortError).lastEpoch).toBeNull();
      expect(epochs).toEqual([]);
      expectTwins(net, twin);
      expectSameFuture(net, twin, before);
      net.dispose();
      twin.dispose();
    },
  );

  it('an abort from onEpochEnd stops before the next epoch, whatever the clock', async () => {
    const net = await Network.create({ layers: [3, 6, 1], activation: 'tanh', output: 'linear', backend, seed: 4 });
    const ctrl = new AbortController();
    const p = net.fitAsync(x, y, {
      epochs: 500,
      batchSize: 5,
      signal: ctrl.signal,
      onEpochEnd: (e) => {
        if (e === 2) ctrl.abort();
      },
    });
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).lastEpoch).toBe(2);
    expect(net.checkpoint().training.epochs).toBe(3);
    net.dispose();
  });

  it('dispose() right after the call: rejects with a DisposedError, nothing trained', async () => {
    const net = await Network.create({ layers: [3, 6, 1], activation: 'tanh', output: 'linear', backend, seed: 4 });
    const epochs: number[] = [];
    const p = net.fitAsync(x, y, {
      epochs: 50,
      batchSize: 5,
      onEpochEnd: (e) => {
        epochs.push(e);
      },
    });
    net.dispose();
    await expect(p).rejects.toThrow(/disposed/);
    expect(epochs).toEqual([]);
  });
});
