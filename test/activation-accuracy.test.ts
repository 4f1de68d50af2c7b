// The float32 SIMD sigmoid and tanh (polynomial exp) against a float64 reference: relative error
// within 2e-7 over the whole normal range, and tanh accurate near 0 (no 1 - 2/(e+1) cancellation).
import { describe, expect, it } from 'vitest';
import { getBackend } from './helpers.js';

const N = 1 << 18;
const CASES: [string, 'sigmoid' | 'tanh', number, number, (x: number) => number][] = [
  ['sigmoid over [-87, 87]', 'sigmoid', -87, 87, (x) => 1 / (1 + Math.exp(-x))],
  ['sigmoid over [-1, 1]', 'sigmoid', -1, 1, (x) => 1 / (1 + Math.exp(-x))],
  ['tanh over [-10, 10]', 'tanh', -10, 10, Math.tanh],
  ['tanh near 0: [-1e-3, 1e-3]', 'tanh', -1e-3, 1e-3, Math.tanh],
  ['tanh around the 0.625 switch', 'tanh', 0.6, 0.65, Math.tanh],
];

describe('float32 SIMD activations vs float64', () => {
  it.each(CASES)('%s: max relative error <= 2e-7', async (_, act, lo, hi, reference) => {
    const b = await getBackend('wasm', 'float32');
    const z = b.alloc(N),
      bias = b.alloc(N);
    const v = z.view();
    for (let i = 0; i < N; i++) v[i] = lo + ((hi - lo) * (i + 0.5)) / N;
    const xs = Float64Array.from(v);
    b.kernels.biasActivation(act, 1, N, z, bias);
    const out = z.view();
    let worst = 0,
      at = 0;
    for (let i = 0; i < N; i++) {
      const r = reference(xs[i]!);
      const e = Math.abs(out[i]! - r) / Math.abs(r);
      if (e > worst) {
        worst = e;
        at = xs[i]!;
      }
    }
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(2e-7);
    z.free();
    bias.free();
  });
});
