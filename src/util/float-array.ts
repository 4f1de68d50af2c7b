// The two float dtypes and the typed arrays that hold them.

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;
/** The typed array of a dtype: Float32Array for 'float32', Float64Array for 'float64' (either, for DType). */
export type FloatArrayOf<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/** Bytes of one element of the dtype. */
export const bytesPer = (dtype: DType): number => (dtype === 'float32' ? 4 : 8);

export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** dst[dOff + i] = src[sOff + i] for i < n; a loop, so no subarray view is allocated. */
export function copyRows(src: ArrayLike<number>, sOff: number, dst: FloatArray, dOff: number, n: number): void {
  for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i]!;
}

/**
 * x[from, to) as a view: x itself when that is all of it, else a subarray kept per array (weakly,
 * collected with x) and per offset, so a loop that passes the same array again allocates nothing.
 * For copies with TypedArray.set (a memory copy, ~30x faster than an element loop).
 */
export class RangeViews {
  private readonly cache = new WeakMap<FloatArray, Map<number, FloatArray>>();

  of(x: FloatArray, from: number, to: number): FloatArray {
    if (from === 0 && to === x.length) return x;
    let views = this.cache.get(x);
    if (views === undefined) { views = new Map(); this.cache.set(x, views); }
    let v = views.get(from);
    if (v === undefined || v.length !== to - from) { v = x.subarray(from, to); views.set(from, v); }
    return v;
  }
}
