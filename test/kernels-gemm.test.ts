// gemm in all three forms, WASM (each kernel build this engine runs) vs the JS reference, on tile-edge and block-edge shapes.
import { describe, expect, it } from 'vitest';
import { EDGE_SIZES } from '../dist/src/backends/kernel-registry.js';
import { bufferOf, VARIANT_DTYPES, variantPair, expectClose, randomArray, Rng, type Backend } from './helpers.js';
import type { GemmForm } from '../dist/src/backends/backend.js';

const FORMS: GemmForm[] = ['nn', 'tn', 'nt'];

// Each edge size in each dimension, with the others at awkward sizes; plus block edges (k blocks of at
// most 768, MC 128 rows in the plain build and 132 in the relaxed one, NC 256). The relaxed build's
// 6-row tiles leave 1-4 rows to the 4-row tile and 5 to a 6-row tile that repeats a row: m = 5, 7, 8,
// 9, 17 and 133-137 (the 132-row block plus 1-5) reach each case.
const SHAPES: [number, number, number][] = [
  ...EDGE_SIZES.flatMap(
    (s) =>
      [
        [s, 9, 17],
        [5, s, 33],
        [7, 65, s],
      ] as [number, number, number][],
  ),
  ...EDGE_SIZES.filter((s) => s <= 65).map((s) => [s, s, s] as [number, number, number]),
  [129, 33, 255],
  [130, 17, 256],
  [33, 40, 257],
  [3, 513, 70],
  [131, 520, 300],
  [64, 128, 784],
  [133, 16, 40],
  [134, 9, 20],
  [136, 24, 70],
  [137, 8, 300],
  [138, 17, 9],
  // Fewer rows than the register tile (m < 4, B not transposed) stream B instead of packing it.
  [1, 129, 129],
  [2, 64, 784],
  [3, 17, 300],
  [1, 7, 1000],
  [2, 1031, 5],
  // tn with a stride of 2 KiB or more packs A (in blocks of MC rows): m past 512 (f32) and 256 (f64).
  [520, 17, 33],
  [257, 9, 65],
  [515, 33, 7],
  [600, 8, 9],
  [1031, 12, 3],
];

interface Case {
  m: number;
  n: number;
  k: number;
  lda: number;
  ldb: number;
  ldc: number;
  acc: boolean;
}

function run(
  backend: Backend,
  form: GemmForm,
  c: Case,
  a: Float64Array,
  b: Float64Array,
  c0: Float64Array,
): Float64Array {
  const A = bufferOf(backend, a),
    B = bufferOf(backend, b),
    C = bufferOf(backend, c0);
  backend.kernels.gemm(form, c.m, c.n, c.k, A, c.lda, B, c.ldb, C, c.ldc, c.acc);
  const out = Float64Array.from(C.view());
  for (const x of [A, B, C]) x.free();
  return out;
}

// sum_p |op(A)_ip| |op(B)_pj| bounds the rounding error of C_ij.
function magnitude(form: GemmForm, c: Case, a: Float64Array, b: Float64Array): Float64Array {
  const s = new Float64Array(c.m * c.ldc);
  for (let i = 0; i < c.m; i++)
    for (let j = 0; j < c.n; j++) {
      let t = 0;
      for (let p = 0; p < c.k; p++) {
        const av = form === 'tn' ? a[p * c.lda + i]! : a[i * c.lda + p]!;
        const bv = form === 'nt' ? b[j * c.ldb + p]! : b[p * c.ldb + j]!;
        t += Math.abs(av * bv);
      }
      s[i * c.ldc + j] = t + (c.acc ? 1 : 0);
    }
  return s;
}

function check(pair: { wasm: Backend; js: Backend }, form: GemmForm, c: Case, seed: number): void {
  const rng = new Rng(seed);
  const aRows = form === 'tn' ? c.k : c.m,
    bRows = form === 'nt' ? c.n : c.k;
  const a = randomArray(rng, aRows * c.lda),
    b = randomArray(rng, bRows * c.ldb),
    c0 = randomArray(rng, c.m * c.ldc);
  const got = run(pair.wasm, form, c, a, b, c0),
    want = run(pair.js, form, c, a, b, c0);
  const rtol = pair.wasm.dtype === 'float32' ? 2e-6 : 1e-14;
  expectClose(
    got,
    want,
    rtol,
    1e-30,
    `gemm_${pair.wasm.dtype === 'float32' ? 'f32' : 'f64'}_${form} m=${c.m} n=${c.n} k=${c.k} lda=${c.lda} ldb=${c.ldb} ldc=${c.ldc} acc=${c.acc}`,
    magnitude(form, c, a, b),
  );
  // Padding between rows (ldc > n) must be left untouched.
  for (let i = 0; i < c.m; i++)
    for (let j = c.n; j < c.ldc; j++) {
      const w = pair.wasm.dtype === 'float32' ? Math.fround(c0[i * c.ldc + j]!) : c0[i * c.ldc + j]!;
      if (got[i * c.ldc + j] !== w) throw new Error(`gemm ${form} wrote into row padding at row ${i}, column ${j}`);
    }
}

describe.each(VARIANT_DTYPES)('gemm, %s kernels, %s: WASM vs JS reference', (variant, dtype) => {
  it.each(FORMS)('%s on tile-edge shapes (dense)', async (form) => {
    const pair = await variantPair(variant, dtype);
    SHAPES.forEach(([m, n, k], i) => {
      const lda = form === 'tn' ? m : k,
        ldb = form === 'nt' ? k : n;
      check(pair, form, { m, n, k, lda, ldb, ldc: n, acc: false }, 1000 + i);
    });
  });

  it.each(FORMS)('%s strided (padded rows) and accumulating into C', async (form) => {
    const pair = await variantPair(variant, dtype);
    for (const [m, n, k] of [
      [5, 9, 17],
      [33, 17, 65],
      [129, 31, 300],
      [2, 3, 2],
    ] as const) {
      const lda = (form === 'tn' ? m : k) + 3,
        ldb = (form === 'nt' ? k : n) + 5;
      check(pair, form, { m, n, k, lda, ldb, ldc: n + 2, acc: true }, 7 * m + n);
      check(pair, form, { m, n, k, lda, ldb, ldc: n + 1, acc: false }, 11 * m + k);
    }
  });

  it('k = 0 zeroes C, or leaves it when accumulating', async () => {
    const { wasm } = await variantPair(variant, dtype);
    const A = wasm.alloc(4),
      B = wasm.alloc(4),
      C = bufferOf(wasm, [1, 2, 3, 4]);
    wasm.kernels.gemm('nn', 2, 2, 0, A, 1, B, 2, C, 2, true);
    expect(Array.from(C.view())).toEqual([1, 2, 3, 4]);
    wasm.kernels.gemm('nn', 2, 2, 0, A, 1, B, 2, C, 2, false);
    expect(Array.from(C.view())).toEqual([0, 0, 0, 0]);
  });

  it('matches a hand-computed product', async () => {
    const { wasm } = await variantPair(variant, dtype);
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; Aᵀ·B = [[26,30],[38,44]]; A·Bᵀ = [[17,23],[39,53]]
    const want = { nn: [19, 22, 43, 50], tn: [26, 30, 38, 44], nt: [17, 23, 39, 53] };
    for (const form of FORMS) {
      const A = bufferOf(wasm, [1, 2, 3, 4]),
        B = bufferOf(wasm, [5, 6, 7, 8]),
        C = wasm.alloc(4);
      wasm.kernels.gemm(form, 2, 2, 2, A, 2, B, 2, C, 2, false);
      expect(Array.from(C.view()), form).toEqual(want[form]);
    }
  });
});
