// The gemm scratch must hold the packed B block and the packed A block at their largest, for both
// dtypes: f64 with the full k block (768) and a transposed A packed at an aliasing stride (m = 512).
// Regions allocated after the scratch (canaries) must come out untouched.
import { describe, expect, it } from 'vitest';
import { backendPair, bufferOf, expectClose, randomArray, Rng } from './helpers.js';

describe('gemm workspace', () => {
  it.each(['float32', 'float64'] as const)('%s: largest packed blocks stay inside the scratch', async (dtype) => {
    const { wasm, js } = await backendPair(dtype);
    const rng = new Rng(81);
    const canary = bufferOf(wasm, new Float64Array(1 << 18).fill(7)); // placed right after the scratch
    try {
      const [m, n, k] = [512, 300, 770]; // tn: A stored k x m, stride 512 elements: packed
      const a = randomArray(rng, k * m),
        b = randomArray(rng, k * n);
      const run = (be: typeof wasm) => {
        const A = bufferOf(be, a),
          B = bufferOf(be, b),
          C = be.alloc(m * n);
        be.kernels.gemm('tn', m, n, k, A, m, B, n, C, n, false);
        const out = Float64Array.from(C.view());
        [A, B, C].forEach((x) => x.free());
        return out;
      };
      // Sums of 770 products of values in [-1, 1]: bounded in absolute terms.
      expectClose(run(wasm), run(js), 0, dtype === 'float32' ? 2e-4 : 1e-11, `gemm ${dtype} tn ${m}x${n}x${k}`);
      expect(canary.view().findIndex((v) => v !== 7)).toBe(-1);
    } finally {
      canary.free();
    }
  });
});
