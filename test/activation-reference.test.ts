// GELU, swish, ELU and softplus (the activations whose derivative is taken from the input z) against
// PyTorch float64 (test/fixtures/activations-torch.json, from scripts/activation_reference.py): the
// value and the derivative on both backends to 1e-9 in float64 (float32 WASM to float32 accuracy);
// and the fused loop trains with each, on both backends, along the same trajectory.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { ACTIVATIONS } from '../dist/src/ops/activations.js';
import { backendPair, bufferOf, DTYPES, expectClose, maxRelDiff, Rng } from './helpers.js';
import type { HiddenActivation } from '../dist/src/types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/activations-torch.json', import.meta.url), 'utf8')) as {
  x: number[];
  activations: Record<string, { f: number[]; df: number[] }>;
};
/** Every activation whose derivative is taken from z: the fixture must hold each (a new one needs its reference). */
const FROM_INPUT = ACTIVATIONS.filter((a) => a.kind === 'elementwise' && a.from === 'input').map(
  (a) => a.name as HiddenActivation,
);

describe('activations with the derivative from the input', () => {
  it('the fixture covers each of them', () => {
    expect(FROM_INPUT.length).toBeGreaterThanOrEqual(4);
    for (const act of FROM_INPUT) expect(Object.keys(fixture.activations), act).toContain(act);
  });

  describe.each(DTYPES)('%s kernels against PyTorch', (dtype) => {
    // float64: 1e-9 (relative above 1); float32: the input is rounded to float32 first, and the
    // polynomial erfc/exp/log1p of the SIMD code is good to ~2e-7 relative.
    const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-9] : [3e-6, 3e-7];
    it.each(FROM_INPUT)("%s: f and f' on both backends", async (act) => {
      const x = dtype === 'float32' ? fixture.x.map(Math.fround) : fixture.x;
      const ref = fixture.activations[act]!,
        f = ACTIVATIONS.find((a) => a.name === act)!;
      // float32 compares with the float64 reference at the rounded input, so only the kernel's own error counts.
      const want =
        dtype === 'float64'
          ? ref
          : {
              f: x.map((v) => (f as { f: (z: number) => number }).f(v)),
              df: x.map((v) => (f as { df: (z: number) => number }).df(v)),
            };
      if (dtype === 'float32')
        expectClose(
          want.f,
          ref.f.map((v, i) => (x[i] === fixture.x[i] ? v : want.f[i]!)),
          1e-12,
          1e-12,
          `${act} reference at float32 inputs`,
        );
      for (const [name, b] of Object.entries(await backendPair(dtype))) {
        if (dtype === 'float32' && name === 'js') continue; // the JS reference computes in float64 and rounds
        const z = bufferOf(b, x),
          zeros = bufferOf(b, new Float64Array(x.length)),
          d = bufferOf(b, new Float64Array(x.length).fill(1)),
          v = bufferOf(b, x);
        b.kernels.biasActivation(act, 1, x.length, z, zeros);
        b.kernels.activationBackward(act, x.length, v, d);
        expectClose(
          Array.from(z.view()),
          want.f,
          rtol,
          atol,
          `${name} ${dtype} ${act}`,
          want.f.map((w) => Math.max(1, Math.abs(w))),
        );
        expectClose(
          Array.from(d.view()),
          want.df,
          rtol,
          atol,
          `${name} ${dtype} ${act}'`,
          want.df.map((w) => Math.max(1, Math.abs(w))),
        );
        [z, zeros, d, v].forEach((buf) => buf.free());
      }
    });
  });

  it.each(FROM_INPUT)('%s: the fused loop trains (hidden and output), both backends on one trajectory', async (act) => {
    const rng = new Rng(7);
    const x = Float64Array.from({ length: 64 * 3 }, () => rng.next() * 4 - 2);
    const y = Float64Array.from({ length: 64 }, (_, r) => Math.sin(x[3 * r]!) + 0.5 * x[3 * r + 1]! * x[3 * r + 2]!);
    const runs = await Promise.all(
      (['wasm', 'js'] as const).map(async (backend) => {
        const net = await Network.create({
          layers: [3, 16, 8, 1],
          activation: act,
          output: act === 'softplus' ? 'linear' : act,
          loss: 'mse',
          dtype: 'float64',
          backend,
          seed: 4,
        });
        const h = net.fit(x, y, { epochs: 60, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
        return { loss: h.loss, weights: net.getWeights().flatMap((w) => [...w.W.flat(), ...w.b]) };
      }),
    );
    const [wasm, js] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(wasm.loss.at(-1)!).toBeLessThan(wasm.loss[0]! * 0.3);
    expect(maxRelDiff(wasm.weights, js.weights)).toBeLessThan(1e-9);
    expect(maxRelDiff(wasm.loss, js.loss)).toBeLessThan(1e-9);
  });
});
