// The fused gemm epilogues against the JS reference (product, then the separate pass): bias +
// activation on A·B, and f'(A_prev) on δ·Wᵀ, on tile-edge shapes and with k past one packed block
// (768 deep in either dtype), where the epilogue must run once, on the final sums.
import { describe, it } from 'vitest';
import { EDGE_SIZES } from '../dist/src/backends/kernel-registry.js';
import { bufferOf, VARIANT_DTYPES, variantPair, expectClose, randomArray, Rng, type Backend } from './helpers.js';
import type { ActivationName } from '../dist/src/types.js';
import { ACTIVATIONS } from '../dist/src/ops/activations.js';

// From the descriptors: a new activation is covered without editing this file.
const FORWARD: ActivationName[] = ACTIVATIONS.map((a) => a.name);
const BACKWARD: ActivationName[] = ACTIVATIONS.filter((a) => a.kind === 'elementwise').map((a) => a.name);
const shapes = (deep: number): [number, number, number][] => [
  ...EDGE_SIZES.filter((s) => s <= 65).flatMap(
    (s) =>
      [
        [s, 9, 20],
        [7, s, 33],
      ] as [number, number, number][],
  ),
  [64, 128, 100],
  [33, 17, deep],
  [5, 129, 300],
  [1, 128, 784],
  [3, 33, 200],
  [2, 7, 900], // fewer rows than a tile: B streamed, then the epilogue pass
];
const tol = (b: Backend) => (b.dtype === 'float32' ? { rtol: 2e-5, atol: 2e-6 } : { rtol: 1e-12, atol: 1e-14 });

function run(
  b: Backend,
  inputs: Float64Array[],
  call: (bufs: ReturnType<Backend['alloc']>[]) => void,
  out: number,
): Float64Array {
  const bufs = inputs.map((v) => bufferOf(b, v));
  call(bufs);
  const result = Float64Array.from(bufs[out]!.view());
  bufs.forEach((x) => x.free());
  return result;
}

describe.each(VARIANT_DTYPES)('fused gemm epilogues, %s kernels, %s: WASM vs JS reference', (variant, dtype) => {
  const deep = 800;

  it.each(FORWARD)('gemm_bias_activation nn with %s', async (act) => {
    const pair = await variantPair(variant, dtype);
    const rng = new Rng(71);
    for (const [m, n, k] of shapes(deep)) {
      const inputs = [
        randomArray(rng, m * k),
        randomArray(rng, k * n, -0.3, 0.3),
        new Float64Array(m * n),
        randomArray(rng, n),
      ];
      const [got, want] = (['wasm', 'js'] as const).map((name) =>
        run(
          pair[name],
          inputs,
          ([a, b, c, bias]) => pair[name].kernels.gemmBiasActivation(m, n, k, a!, k, b!, n, c!, n, bias!, act),
          2,
        ),
      );
      const { rtol, atol } = tol(pair.wasm);
      expectClose(
        got!,
        want!,
        rtol,
        atol,
        `gemm_bias_activation_${dtype === 'float32' ? 'f32' : 'f64'}_nn ${act} m=${m} n=${n} k=${k}`,
      );
    }
  });

  it.each(BACKWARD)('gemm_activation_backward nt with %s', async (act) => {
    const pair = await variantPair(variant, dtype);
    const rng = new Rng(72);
    for (const [m, n, k] of shapes(deep)) {
      const activations = act === 'sigmoid' ? randomArray(rng, m * n, 0, 1) : randomArray(rng, m * n, -1, 1);
      const inputs = [randomArray(rng, m * k), randomArray(rng, n * k), new Float64Array(m * n), activations];
      const [got, want] = (['wasm', 'js'] as const).map((name) =>
        run(
          pair[name],
          inputs,
          ([a, b, c, f]) => pair[name].kernels.gemmActivationBackward(m, n, k, a!, k, b!, k, c!, n, f!, act),
          2,
        ),
      );
      const { rtol, atol } = tol(pair.wasm);
      expectClose(
        got!,
        want!,
        rtol,
        atol * Math.sqrt(k),
        `gemm_activation_backward_${dtype === 'float32' ? 'f32' : 'f64'}_nt ${act} m=${m} n=${n} k=${k}`,
      );
    }
  });
});
