// Shared by the export-options tests: a seeded feature / target standardization, raw rows built from
// standardized ones, and the fold computed independently of the library (float64, straight loops).
import type { DType, LayerWeights } from 'backprop-wasm';
import { inputs, seeded } from './helpers.js';

export interface TestScale {
  mean: number[];
  std: number[];
}

/** Means in [-3, 3) and stds in [0.5, 4): ordinary standardized features. */
export function scaleOf(n: number, seed: number): TestScale {
  const next = seeded(seed);
  return { mean: Array.from({ length: n }, () => next(-3, 3)), std: Array.from({ length: n }, () => next(0.5, 4)) };
}

/**
 * Raw rows x = mean + std * z (float64) and the standardized rows (x - mean) / std recomputed from
 * them, as a trainer that standardizes would feed the network (in the network's dtype).
 */
export function rows(
  dtype: DType,
  n: number,
  s: TestScale,
  seed = 6,
): { raw: Float64Array; standardized: Float32Array | Float64Array } {
  const cols = s.mean.length;
  const z = inputs('float64', n, cols, seed);
  const exact = z.map((v, k) => s.mean[k % cols]! + s.std[k % cols]! * v);
  // Raw rows a float32 file takes exactly, so both sides start from the same values.
  const raw = dtype === 'float32' ? Float64Array.from(Float32Array.from(exact)) : exact;
  const st = raw.map((v, k) => (v - s.mean[k % cols]!) / s.std[k % cols]!);
  return { raw, standardized: dtype === 'float32' ? Float32Array.from(st) : st };
}

/** y' * std + mean per output column. */
export function unscale(y: ArrayLike<number>, s: TestScale): Float64Array {
  const cols = s.mean.length;
  return Float64Array.from(y, (v, k) => v * s.std[k % cols]! + s.mean[k % cols]!);
}

/** The expected folded weights, written out from the formulas in float64 (independent of src/). */
export function folded(weights: LayerWeights[], input: TestScale | null, output: TestScale | null): LayerWeights[] {
  return weights.map(({ W, b }, l) => {
    let w = W.map((row) => [...row]),
      bias = [...b];
    if (l === 0 && input) {
      w = W.map((row, i) => row.map((v) => v / input.std[i]!));
      bias = b.map((v, j) => {
        let sum = v;
        for (let i = 0; i < W.length; i++) sum -= input.mean[i]! * w[i]![j]!;
        return sum;
      });
    }
    if (l === weights.length - 1 && output) {
      w = w.map((row) => row.map((v, j) => v * output.std[j]!));
      bias = bias.map((v, j) => v * output.std[j]! + output.mean[j]!);
    }
    return { W: w, b: bias };
  });
}
