// Input data: nested arrays or flat typed arrays, checked and copied into one flat array of the dtype.
import { ValidationError } from './errors.js';
import type { DType, FloatArray, Matrix } from './types.js';

export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Rows in a matrix of the given width (checks shape only). */
export function rowCount(m: Matrix, width: number, what: string): number {
  if (m instanceof Float32Array || m instanceof Float64Array) {
    if (m.length % width !== 0) {
      throw new ValidationError(`${what}: typed array of length ${m.length} is not a whole number of rows of width ${width}`);
    }
    return m.length / width;
  }
  if (!Array.isArray(m)) throw new ValidationError(`${what}: expected number[][], Float32Array or Float64Array`);
  return m.length;
}

/**
 * Checks every value of `m` (rows x width, finite numbers) and returns it as one flat array of dtype.
 * Nothing is coerced: a string, NaN or Infinity is an error naming its row and column.
 */
export function toFlat(m: Matrix, width: number, dtype: DType, what: string): { data: FloatArray; rows: number } {
  const rows = rowCount(m, width, what);
  if (rows === 0) throw new ValidationError(`${what}: empty (no rows)`);
  const out = allocFloat(dtype, rows * width);
  if (m instanceof Float32Array || m instanceof Float64Array) {
    checkFinite(m, width, what);
    out.set(m);
    return { data: out, rows };
  }
  const arr = m as ReadonlyArray<ReadonlyArray<number>>;
  for (let r = 0; r < rows; r++) {
    const row = arr[r];
    if (!Array.isArray(row) && !(row instanceof Float32Array) && !(row instanceof Float64Array)) {
      throw new ValidationError(`${what}: row ${r} is not an array`);
    }
    if (row.length !== width) {
      throw new ValidationError(`${what}: row ${r} has ${row.length} values, expected ${width}`);
    }
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValidationError(`${what}: value ${String(v)} at row ${r}, column ${c} is not a finite number`);
      }
      out[r * width + c] = v;
    }
  }
  return { data: out, rows };
}

/** A flat rows x cols array as number[][]. */
export function toNested(a: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from({ length: cols }, (_, c) => a[r * cols + c]!));
  return out;
}

/** dst[dOff + i] = src[sOff + i] for i < n; a loop, so no subarray view is allocated. */
export function copyRows(src: ArrayLike<number>, sOff: number, dst: FloatArray, dOff: number, n: number): void {
  for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i]!;
}

/**
 * The rows of m as a flat array of dtype: a typed array of that dtype is checked in place and used
 * as it is (no copy); anything else goes through toFlat.
 */
export function asFlat(m: Matrix, width: number, dtype: DType, what: string): FloatArray {
  const same = dtype === 'float32' ? m instanceof Float32Array : m instanceof Float64Array;
  if (!same) return toFlat(m, width, dtype, what).data;
  const data = m as FloatArray;
  if (rowCount(data, width, what) === 0) throw new ValidationError(`${what}: empty (no rows)`);
  checkFinite(data, width, what);
  return data;
}

/** Throws naming the row and column of the first value of a flat typed array that is not finite. */
function checkFinite(data: FloatArray, width: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ValidationError(`${what}: value ${data[i]} at row ${Math.floor(i / width)}, column ${i % width} is not finite`);
    }
  }
}
