// Property-based tests (fast-check): random architectures, batch sizes, dtypes, activations, losses
// and optimizers train the same on both backends; random corruptions of saved models are rejected
// with a ModelFormatError or load to an identical network, never anything else.
import fc from 'fast-check';
import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS } from '../dist/src/ops/activations.js';
import { LOSSES } from '../dist/src/ops/losses.js';
import { OPTIMIZER_NAMES } from '../dist/src/ops/optimizers.js';
import { describe, expect, it } from 'vitest';
import {
  Network,
  ModelFormatError,
  type HiddenActivation,
  type LossName,
  type ActivationName,
  type OptimizerName,
} from 'backprop-wasm';
import { maxRelDiff, Rng } from './helpers.js';

const hidden = fc.constantFrom<HiddenActivation>(...HIDDEN_ACTIVATIONS);
const head = fc.constantFrom<[LossName, ActivationName]>(
  ...LOSSES.flatMap((l) => (l.outputs ?? OUTPUT_ACTIVATIONS).map((o) => [l.name, o] as [LossName, ActivationName])),
);
const setup = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 19 }), { minLength: 1, maxLength: 3 }),
  outputs: fc.integer({ min: 2, max: 5 }),
  acts: fc.array(hidden, { minLength: 3, maxLength: 3 }),
  head,
  optimizer: fc.constantFrom<OptimizerName>(...OPTIMIZER_NAMES),
  rows: fc.integer({ min: 1, max: 40 }),
  batchSize: fc.integer({ min: 1, max: 45 }),
  dtype: fc.constantFrom('float32' as const, 'float64' as const),
  seed: fc.integer({ min: 0, max: 1000 }),
});

function data(rows: number, inputs: number, outputs: number, loss: LossName, output: ActivationName, seed: number) {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => 2 * rng.next() - 1));
  const y = x.map((_, r) =>
    Array.from({ length: outputs }, (_, j) =>
      output === 'softmax'
        ? j === r % outputs
          ? 1
          : 0
        : loss === 'crossEntropy'
          ? rng.next() < 0.5
            ? 1
            : 0
          : rng.next(),
    ),
  );
  return { x, y };
}

describe('properties', () => {
  it('WASM and JS backends train identically (float64 1e-9, float32 1e-3 relative)', async () => {
    await fc.assert(
      fc.asyncProperty(setup, async (s) => {
        const layers = [s.sizes[0]!, ...s.sizes.slice(1), s.outputs];
        const [loss, output] = s.head;
        const { x, y } = data(s.rows, layers[0]!, s.outputs, loss, output, s.seed);
        const run = async (backend: 'wasm' | 'js') => {
          const net = await Network.create({
            layers,
            activation: s.acts.slice(0, layers.length - 2),
            output,
            loss,
            dtype: s.dtype,
            backend,
            seed: s.seed,
          });
          const h = net.fit(x, y, { epochs: 2, batchSize: s.batchSize, optimizer: s.optimizer, learningRate: 0.05 });
          const w = net.getWeights().flatMap((l) => [...l.W.flat(), ...l.b]);
          net.dispose();
          return { loss: h.loss, w };
        };
        const [a, b] = [await run('wasm'), await run('js')];
        const tol = s.dtype === 'float64' ? 1e-9 : 1e-3;
        expect(maxRelDiff(a.loss, b.loss)).toBeLessThan(tol);
        a.w.forEach((v, i) => expect(Math.abs(v - b.w[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b.w[i]!))));
      }),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('random byte corruptions of a saved model are rejected or load identically', async () => {
    const net = await Network.create({ layers: [3, 5, 2], output: 'softmax', loss: 'crossEntropy', seed: 2 });
    net.fit(
      [
        [0, 1, 0],
        [1, 0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
      { epochs: 3, optimizer: 'adam' },
    );
    const bytes = net.toBytes({ training: true });
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(bytes.length - 1),
        bit: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(bytes.length - 1), bit: fc.constant(0) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(bytes.length - 1),
        bit: fc.integer({ min: 0, max: 255 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let b = bytes.slice();
        for (const e of edits) {
          const at = e.at % Math.max(b.length, 1);
          if (e.kind === 'flip') b[at]! ^= 1 << e.bit;
          else if (e.kind === 'truncate') b = b.subarray(0, at);
          else b = Uint8Array.from([...b.subarray(0, at), e.bit, ...b.subarray(at)]);
        }
        const loaded = await Network.fromBytes(b).then(
          (n) => n,
          (err: unknown) => err,
        );
        if (loaded instanceof Network) expect(loaded.toBytes({ training: true })).toEqual(bytes);
        else expect(loaded).toBeInstanceOf(ModelFormatError);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('random field corruptions of a JSON model are rejected or load identically', async () => {
    const net = await Network.create({ layers: [3, 4, 2], activation: 'relu', seed: 5 });
    net.fit(
      [
        [0, 1, 0],
        [1, 0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
      { epochs: 2, optimizer: 'momentum' },
    );
    const json = net.checkpoint() as unknown as Record<string, unknown>;
    const fields = ['format', 'version', 'layers', 'activation', 'output', 'loss', 'dtype', 'weights', 'training'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        async (field, value) => {
          const copy = structuredClone(json);
          if (value === undefined) delete copy[field];
          else copy[field] = value;
          const loaded = await Network.fromJSON(copy as never).then(
            (n) => n,
            (err: unknown) => err,
          );
          // Without 'training' a checkpoint is a valid plain model: the same network, no training state.
          if (loaded instanceof Network)
            expect(field === 'training' ? loaded.toJSON() : loaded.checkpoint()).toEqual(
              field === 'training' ? net.toJSON() : net.checkpoint(),
            );
          else expect(loaded).toBeInstanceOf(ModelFormatError);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
