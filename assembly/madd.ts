// a·b + c on vectors: one fused instruction (relaxed_madd) in the relaxed-SIMD build
// (dist/backprop-relaxed.wasm), a multiply then an add otherwise (dist/backprop.wasm, which compiles
// to exactly the instructions it had before the relaxed build existed). The branch is on a
// compile-time constant, so each build holds one of the two.

/** 1 in the relaxed-SIMD build, 0 in the plain one (exported: the loader reads which it has). */
export const RELAXED_SIMD: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;

@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}
