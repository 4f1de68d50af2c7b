// Finite-difference gradient check in float64, for every hidden activation x (loss, output) pair, on
// a 3-layer network, through the public API: one SGD step with lr 1 and reduction 'sum' moves each
// parameter by exactly minus its gradient, which is compared with central differences of the loss.
import { describe, expect, it } from 'vitest';
import { Network, type HiddenActivation, type LayerWeights, type LossName, type ActivationName } from 'backprop-wasm';
import { Rng } from './helpers.js';
import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS } from '../dist/src/ops/activations.js';
import { LOSSES } from '../dist/src/ops/losses.js';

// From the descriptors: a new activation or loss is checked without editing this file.
const HIDDEN: readonly HiddenActivation[] = HIDDEN_ACTIVATIONS;
const HEADS: [LossName, ActivationName][] = LOSSES.flatMap((l) =>
  (l.outputs ?? OUTPUT_ACTIVATIONS).map((o) => [l.name, o] as [LossName, ActivationName]),
);
const LAYERS = [3, 5, 4, 3];
const ROWS = 6;

function data(loss: LossName, output: ActivationName): { x: number[][]; y: number[][] } {
  const rng = new Rng(11);
  const x = Array.from({ length: ROWS }, () => Array.from({ length: 3 }, () => 2 * rng.next() - 1));
  const y = Array.from({ length: ROWS }, (_, r) => {
    if (output === 'softmax') return [0, 1, 2].map((j) => (j === r % 3 ? 1 : 0));
    if (loss === 'crossEntropy') return [0, 1, 2].map(() => (rng.next() < 0.5 ? 0 : 1));
    return [0, 1, 2].map(() => rng.next());
  });
  return { x, y };
}

function flatten(ws: LayerWeights[]): number[] {
  return ws.flatMap((w) => [...w.W.flat(), ...w.b]);
}

function unflatten(ws: LayerWeights[], flat: number[]): LayerWeights[] {
  let i = 0;
  return ws.map((w) => ({ W: w.W.map((row) => row.map(() => flat[i++]!)), b: w.b.map(() => flat[i++]!) }));
}

describe.each(['wasm', 'js'] as const)('gradient check on the %s backend (float64)', (backend) => {
  it.each(HIDDEN.flatMap((h) => HEADS.map(([loss, out]) => [h, loss, out] as const)))(
    'hidden %s, loss %s, output %s',
    async (hidden, loss, output) => {
      const net = await Network.create({
        layers: LAYERS,
        activation: hidden,
        output,
        loss,
        dtype: 'float64',
        backend,
        seed: 5,
      });
      const { x, y } = data(loss, output);
      const w0 = net.getWeights();
      const theta = flatten(w0);
      const lossSum = (t: number[]): number => {
        net.setWeights(unflatten(w0, t));
        return net.evaluate(x, y).loss * ROWS;
      };
      // Five-point central differences: truncation O(h⁴) and rounding ~1e-16·loss/h, both far below the
      // tolerance at h = 1e-4 (the two-point form at 1e-6 left ~1e-9 of rounding noise, too much for
      // the unbounded outputs of gelu, swish, elu and softplus).
      const h = 1e-4;
      const at = (i: number, d: number): number => {
        const t = theta.slice();
        t[i]! += d;
        return lossSum(t);
      };
      const numeric = theta.map((_, i) => (8 * (at(i, h) - at(i, -h)) - (at(i, 2 * h) - at(i, -2 * h))) / (12 * h));
      net.setWeights(w0);
      net.fit(x, y, { epochs: 1, learningRate: 1, lossReduction: 'sum', shuffle: false, optimizer: 'sgd' });
      const analytic = theta.map((t, i) => t - flatten(net.getWeights())[i]!);
      analytic.forEach((a, i) => {
        const n = numeric[i]!;
        const rel = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), 1e-4);
        if (!(rel < 2e-6)) throw new Error(`parameter ${i}: analytic ${a}, numeric ${n} (relative difference ${rel})`);
      });
      expect(analytic.some((a) => Math.abs(a) > 1e-3)).toBe(true);
      net.dispose();
    },
  );
});
