// f32x4 exp, expm1, sigmoid and tanh. exp: Cephes expf's range reduction and degree-6 polynomial
// (relative error ~1.2e-7); the rounding of n uses f32x4.nearest and 2^n is built in the exponent bits.
// The polynomials step with madd: one fused multiply-add in the relaxed-SIMD build.
// Inputs are clamped so n stays in [-126, 127]: no overflow, no denormal scaling.
import { madd } from "./madd";

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_MAX: f32 = 88.3;
const EXP_MIN: f32 = -87.3;

/** e^r − 1 for |r| ≤ ln2/2: Cephes expf's polynomial, without the final + 1 (so expm1V keeps small results exact). */
@inline function expm1Reduced(r: v128): v128 {
  let p = f32x4.splat(1.9875691500e-4);
  p = madd<f32>(p, r, f32x4.splat(1.3981999507e-3));
  p = madd<f32>(p, r, f32x4.splat(8.3334519073e-3));
  p = madd<f32>(p, r, f32x4.splat(4.1665795894e-2));
  p = madd<f32>(p, r, f32x4.splat(1.6666665459e-1));
  p = madd<f32>(p, r, f32x4.splat(5.0000001201e-1));
  return f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r);
}

@inline function reduce(x: v128, n: v128): v128 {
  const r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  return f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
}

@inline function clampExp(x: v128): v128 {
  return f32x4.pmin(f32x4.splat(EXP_MAX), f32x4.pmax(f32x4.splat(EXP_MIN), x));
}

@inline export function expV(x: v128): v128 {
  x = clampExp(x);
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const e = f32x4.add(expm1Reduced(reduce(x, n)), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(e, scale);
}

/** e^x − 1, accurate near 0 (where n = 0 the polynomial is the result; elsewhere e^x − 1 loses nothing that matters). */
@inline export function expm1V(x: v128): v128 {
  const c = clampExp(x);
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(LOG2E)));
  const small = expm1Reduced(reduce(c, n));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const large = f32x4.sub(f32x4.mul(f32x4.add(small, f32x4.splat(1)), scale), f32x4.splat(1));
  return v128.bitselect(small, large, f32x4.eq(n, f32x4.splat(0)));
}

/** 1 / (1 + exp(-x)) */
@inline export function sigmoidV(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expV(f32x4.neg(x))));
}

/** tanh: Cephes tanhf's odd polynomial below |x| 0.625 (accurate near 0), 1 - 2/(exp(2|x|)+1) above. */
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd<f32>(p, z, f32x4.splat(2.06390887954e-2));
  p = madd<f32>(p, z, f32x4.splat(-5.37397155531e-2));
  p = madd<f32>(p, z, f32x4.splat(1.33314422036e-1));
  p = madd<f32>(p, z, f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expV(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** The same functions on one scalar, so tails give exactly what the vector body gives. */
@inline export function sigmoid1(x: f32): f32 { return f32x4.extract_lane(sigmoidV(f32x4.splat(x)), 0); }
@inline export function tanh1(x: f32): f32 { return f32x4.extract_lane(tanhV(f32x4.splat(x)), 0); }
