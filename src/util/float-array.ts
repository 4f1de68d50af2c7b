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
