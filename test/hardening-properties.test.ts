// Random sequences of create / fit / predict / checkpoint / dispose and failing calls (bad input,
// memory exhaustion injected at a random allocation) never fault, never leak (bytesInUse returns to
// its baseline) and never change a network outside a call that succeeded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DisposedError, Network, ResourceError, ValidationError, type NetworkOptions } from 'backprop-wasm';
import { init } from '../dist/src/backends/wasm/runtime.js';

const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [0.5, 0.2],
];
const Y = [[0], [1], [1], [0], [1]];

type Op =
  | { kind: 'create'; seed: number; hidden: number; dtype: 'float32' | 'float64' }
  | {
      kind: 'fit';
      net: number;
      epochs: number;
      batchSize: number;
      optimizer: 'sgd' | 'momentum' | 'adam';
      failAt: number;
    }
  | { kind: 'badFit'; net: number; which: number }
  | { kind: 'predict'; net: number }
  | { kind: 'restore'; net: number; failAt: number }
  | { kind: 'dispose'; net: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    seed: fc.integer({ min: 0, max: 99 }),
    hidden: fc.integer({ min: 1, max: 9 }),
    dtype: fc.constantFrom('float32' as const, 'float64' as const),
  }),
  fc.record({
    kind: fc.constant('fit' as const),
    net: fc.nat(),
    epochs: fc.integer({ min: 1, max: 4 }),
    batchSize: fc.integer({ min: 1, max: 6 }),
    optimizer: fc.constantFrom('sgd' as const, 'momentum' as const, 'adam' as const),
    failAt: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ kind: fc.constant('badFit' as const), net: fc.nat(), which: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('predict' as const), net: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const), net: fc.nat(), failAt: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('dispose' as const), net: fc.nat() }),
);

const BAD_FITS: [unknown, unknown, object][] = [
  [X, Y.slice(1), {}],
  [[[0, NaN]], [[1]], {}],
  [X, Y, { epochs: 0 }],
  [X, Y, { optimizer: 'rmsprop' }],
];

describe('random call sequences', () => {
  it('never fault, never leak, and a failing call changes nothing', async () => {
    const rt = await init();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const baseline = rt.arena.bytesInUse;
        const nets: Network[] = [];
        const pick = (i: number) => nets[i % nets.length]!;
        const original = rt.arena.alloc;
        try {
          for (const o of ops) {
            if (o.kind === 'create') {
              const options: NetworkOptions = { layers: [2, o.hidden, 1], seed: o.seed, dtype: o.dtype };
              nets.push(await Network.create(options));
              continue;
            }
            if (nets.length === 0) continue;
            const net = pick(o.net);
            const alive = (() => {
              try {
                return net.checkpoint();
              } catch (e) {
                expect(e).toBeInstanceOf(DisposedError);
                return null;
              }
            })();
            const failing = (o.kind === 'fit' || o.kind === 'restore') && o.failAt > 0;
            let n = 0;
            if (failing) {
              rt.arena.alloc = function (this: unknown, bytes: number) {
                if (++n === (o as { failAt: number }).failAt) throw new ResourceError('injected', bytes, 0);
                return original.call(this, bytes);
              };
            }
            let error: unknown = null;
            try {
              if (o.kind === 'fit')
                net.fit(X, Y, { epochs: o.epochs, batchSize: o.batchSize, optimizer: o.optimizer, learningRate: 0.05 });
              else if (o.kind === 'badFit') net.fit(...(BAD_FITS[o.which] as [never, never, never]));
              else if (o.kind === 'predict') expect(net.predict(X)).toHaveLength(5);
              else if (o.kind === 'restore') nets.push(await Network.fromJSON(net.checkpoint()));
              else net.dispose();
            } catch (e) {
              error = e;
            } finally {
              rt.arena.alloc = original;
            }
            if (error === null) continue;
            // Failures are typed, and the network is exactly as before the call.
            expect(error instanceof ValidationError || error instanceof DisposedError).toBe(true);
            if (alive) expect(net.checkpoint()).toEqual(alive);
          }
        } finally {
          rt.arena.alloc = original;
          for (const net of nets) net.dispose();
        }
        expect(rt.arena.bytesInUse).toBe(baseline);
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });
});
