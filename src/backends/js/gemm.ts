// Reference matrix products over typed arrays, in cache-friendly loop orders.
import type { FloatArray } from '../../util/float-array.js';
import type { GemmForm } from '../backend.js';

function zeroRows(m: number, n: number, c: FloatArray, ldc: number): void {
  for (let i = 0; i < m; i++) c.fill(0, i * ldc, i * ldc + n);
}

/** C = op(A)·op(B) (+ C): nn walks rows of B, tn walks rows of both, nt takes row·row dot products. */
export function gemm(
  form: GemmForm,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  c: FloatArray,
  ldc: number,
  accumulate: boolean,
): void {
  if (form === 'nt') {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * lda + p]! * b[j * ldb + p]!;
        c[i * ldc + j] = accumulate ? c[i * ldc + j]! + s : s;
      }
    }
    return;
  }
  if (!accumulate) zeroRows(m, n, c, ldc);
  if (form === 'nn') {
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const aip = a[i * lda + p]!;
        const bRow = p * ldb,
          cRow = i * ldc;
        for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + aip * b[bRow + j]!;
      }
    }
    return;
  }
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const api = a[p * lda + i]!;
      const bRow = p * ldb,
        cRow = i * ldc;
      for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + api * b[bRow + j]!;
    }
  }
}
