// Input data: nested arrays or flat typed arrays, checked and copied into one flat array of the dtype.
import { ValidationError } from '../errors.js';
import { checkAttached } from './bytes.js';
import type { Matrix } from '../types.js';
import { allocFloat, type DType, type FloatArray } from '../util/float-array.js';

/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A real Float32Array or Float64Array (a Proxy around one is not: kernels cannot read it). */
export function isFloatArray(m: unknown): m is FloatArray {
  return ArrayBuffer.isView(m) && (m instanceof Float32Array || m instanceof Float64Array);
}

/** A typed array of exactly this dtype. */
export function isDTypeArray(m: unknown, dtype: DType): m is FloatArray {
  return ArrayBuffer.isView(m) && (dtype === 'float32' ? m instanceof Float32Array : m instanceof Float64Array);
}

/** Whether dtype can hold v (what badValue accepts), without building a message: for per-value loops. */
export function storable(v: unknown, dtype: DType): boolean {
  return typeof v === 'number' && Math.abs(v) <= (dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE);
}

/**
 * Why v cannot be stored in dtype, as "value X at <where> is not finite" (not a number, not finite,
 * or beyond float32's range, which would silently become Infinity); null when it can.
 */
export function badValue(v: unknown, dtype: DType, where: string): string | null {
  if (typeof v !== 'number') {
    if (v === undefined) return `value at ${where} is missing (a hole or undefined)`;
    return `value ${typeof v === 'string' ? JSON.stringify(v) : String(v)} at ${where} is not a number (${v === null ? 'null' : `a ${typeof v}`})`;
  }
  if (!Number.isFinite(v)) return `value ${v} at ${where} is not finite`;
  if (dtype === 'float32' && Math.abs(v) > FLOAT32_MAX)
    return `value ${v} at ${where} is beyond float32's range (±3.4e38; use dtype 'float64')`;
  return null;
}

/** Rows in a matrix of the given width (checks shape only). */
export function rowCount(m: Matrix, width: number, what: string): number {
  if (isFloatArray(m)) {
    if (m.length === 0) checkAttached(m, what);
    if (m.length % width !== 0) {
      throw new ValidationError(
        `${what}: typed array of length ${m.length} is not a whole number of rows of width ${width}`,
      );
    }
    return m.length / width;
  }
  if (!Array.isArray(m))
    throw new ValidationError(`${what}: expected number[][], Float32Array or Float64Array; got ${describe(m)}`);
  return m.length;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Checks every value of `m` (rows x width, finite numbers that the dtype can hold) and returns it
 * as one flat array of dtype. Nothing is coerced: a string, hole, NaN, Infinity or a float32
 * overflow is an error naming its row and column.
 */
export function toFlat(m: Matrix, width: number, dtype: DType, what: string): { data: FloatArray; rows: number } {
  const rows = rowCount(m, width, what);
  if (rows === 0) throw new ValidationError(`${what}: empty (no rows)`);
  if (isFloatArray(m)) {
    checkValues(m, width, dtype, what);
    const out = allocFloat(dtype, rows * width);
    out.set(m);
    return { data: out, rows };
  }
  const out = allocFloat(dtype, rows * width);
  const arr = m as ReadonlyArray<ReadonlyArray<number>>;
  for (let r = 0; r < rows; r++) {
    const row = arr[r];
    if (!Array.isArray(row) && !isFloatArray(row)) {
      const hint =
        typeof row === 'number'
          ? ` (got a number: ${what.split(' ')[0]} looks like a flat list; pass one array per row, e.g. [[0.5], [1]], or a Float32Array/Float64Array of rows x ${width})`
          : ` (got ${describe(row)})`;
      throw new ValidationError(`${what}: row ${r} is not an array${hint}`);
    }
    if (row.length !== width) {
      throw new ValidationError(`${what}: row ${r} has ${row.length} values, expected ${width}`);
    }
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (!storable(v, dtype)) throw new ValidationError(`${what}: ${badValue(v, dtype, `row ${r}, column ${c}`)}`);
      out[r * width + c] = v!;
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

/**
 * The rows of m as a flat array of dtype: a typed array of that dtype is checked in place and used
 * as it is (no copy); anything else goes through toFlat.
 */
export function asFlat(m: Matrix, width: number, dtype: DType, what: string): FloatArray {
  if (!isDTypeArray(m, dtype)) return toFlat(m, width, dtype, what).data;
  if (rowCount(m, width, what) === 0) throw new ValidationError(`${what}: empty (no rows)`);
  checkValues(m, width, dtype, what);
  return m;
}

/** Throws naming the row and column of the first value of a flat typed array that dtype cannot hold. */
function checkValues(data: FloatArray, width: number, dtype: DType, what: string): void {
  // Tight loops, the message built only on failure (predict runs this on every call).
  let bad = -1;
  if (dtype === 'float32' && data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++)
      if (!(Math.abs(data[i]!) <= FLOAT32_MAX)) {
        bad = i;
        break;
      }
  } else {
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i]!)) {
        bad = i;
        break;
      }
  }
  if (bad >= 0)
    throw new ValidationError(
      `${what}: ${badValue(data[bad], dtype, `row ${Math.floor(bad / width)}, column ${bad % width}`)}`,
    );
}
