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

// The engine's own typed-array getters and constructors: a subclass's overrides (species, buffer,
// length) run no code of the caller's while a view is made.
const TYPED = Object.getPrototypeOf(Float32Array.prototype) as object;
const intrinsic = (key: PropertyKey) => Object.getOwnPropertyDescriptor(TYPED, key)!.get! as (this: unknown) => unknown;
const kindOf = intrinsic(Symbol.toStringTag),
  bufferOf = intrinsic('buffer'),
  offsetOf = intrinsic('byteOffset'),
  lengthOf = intrinsic('length');
type ViewConstructor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
};
const VIEWS = new Map<unknown, ViewConstructor>([
  ['Int8Array', Int8Array],
  ['Uint8Array', Uint8Array],
  ['Uint8ClampedArray', Uint8ClampedArray],
  ['Int16Array', Int16Array],
  ['Uint16Array', Uint16Array],
  ['Int32Array', Int32Array],
  ['Uint32Array', Uint32Array],
  ['Float32Array', Float32Array],
  ['Float64Array', Float64Array],
]);

/**
 * x[from, to) as a view of x's buffer (x itself when that is all of it), kept per array (weakly,
 * collected with x) and per offset, so a loop that passes the same array again allocates nothing;
 * null for an array of no element type a float array can be set from. For copies with
 * TypedArray.set (a memory copy, ~30x faster than an element loop).
 */
export class RangeViews {
  private readonly cache = new WeakMap<object, Map<number, ArrayBufferView>>();

  of(x: ArrayBufferView, from: number, to: number): ArrayLike<number> | null {
    const C = VIEWS.get(kindOf.call(x));
    if (C === undefined) return null;
    if (from === 0 && to === lengthOf.call(x)) return x as unknown as ArrayLike<number>;
    let views = this.cache.get(x);
    if (views === undefined) {
      views = new Map();
      this.cache.set(x, views);
    }
    let v = views.get(from);
    if (v === undefined || lengthOf.call(v) !== to - from) {
      v = new C(
        bufferOf.call(x) as ArrayBufferLike,
        (offsetOf.call(x) as number) + from * C.BYTES_PER_ELEMENT,
        to - from,
      );
      views.set(from, v);
    }
    return v as unknown as ArrayLike<number>;
  }
}
