// GELU, swish, ELU and softplus: forward and derivative, the derivative from the input z (the
// training step keeps z for these layers). float32: f32x4 code (scalars go through lane 0 of the
// same code, so tails match the vector body); float64: scalar Math (exp, expm1, log1p) and the
// fdlibm erfc, as the reference in src/ops/activations.ts computes them. The dispatchers are not
// inlined: one copy per dtype keeps the module small (the four are the rarer activations).
import { madd } from "./madd";
import { expV, expm1V, sigmoidV } from "./simd-math";
import { erfc } from "./erfc";
import { ACT_GELU, ACT_SWISH, ACT_ELU, ACT_SOFTPLUS } from "./codes";

const SQRT1_2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

/**
 * Φ(x) = erfc(−x/√2) / 2 in f32x4, with erfc(u), u = |x|/√2, from Numerical Recipes' erfcc
 * (t = 1/(1 + u/2), erfc ≈ t·exp(−u² + P(t)); relative error below 1.2e-7 everywhere, tail included).
 */
@inline function normalCdfV(x: v128): v128 {
  const one = f32x4.splat(1), half = f32x4.splat(0.5);
  const u = f32x4.mul(f32x4.abs(x), f32x4.splat(<f32>SQRT1_2));
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(half, u)));
  let p = f32x4.splat(0.17087277);
  p = madd<f32>(p, t, f32x4.splat(-0.82215223));
  p = madd<f32>(p, t, f32x4.splat(1.48851587));
  p = madd<f32>(p, t, f32x4.splat(-1.13520398));
  p = madd<f32>(p, t, f32x4.splat(0.27886807));
  p = madd<f32>(p, t, f32x4.splat(-0.18628806));
  p = madd<f32>(p, t, f32x4.splat(0.09678418));
  p = madd<f32>(p, t, f32x4.splat(0.37409196));
  p = madd<f32>(p, t, f32x4.splat(1.00002368));
  p = madd<f32>(p, t, f32x4.splat(-1.26551223));
  const hq = f32x4.mul(half, f32x4.mul(t, expV(f32x4.sub(p, f32x4.mul(u, u)))));
  return v128.bitselect(f32x4.sub(one, hq), hq, f32x4.ge(x, f32x4.splat(0)));
}

/** log1p(e) for e in [0, 1]: 2·atanh(s), s = e/(2 + e) ≤ 1/3, by its series to s^17 (relative error ~1e-10). */
@inline function log1pUnitV(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(f32x4.splat(2), e));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.splat(<f32>(1.0 / 17));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 15)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 13)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 11)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 9)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 7)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 5)));
  p = madd<f32>(p, s2, f32x4.splat(<f32>(1.0 / 3)));
  p = madd<f32>(p, s2, f32x4.splat(1));
  return f32x4.mul(f32x4.add(s, s), p);
}

@inline export function geluV(x: v128): v128 { return f32x4.mul(x, normalCdfV(x)); }
@inline export function geluDerivV(x: v128): v128 {
  const pdf = f32x4.mul(expV(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(x, x))), f32x4.splat(<f32>INV_SQRT_2PI));
  return f32x4.add(normalCdfV(x), f32x4.mul(x, pdf));
}
@inline export function swishV(x: v128): v128 { return f32x4.mul(x, sigmoidV(x)); }
@inline export function swishDerivV(x: v128): v128 {
  const s = sigmoidV(x);
  return f32x4.mul(s, f32x4.add(f32x4.splat(1), f32x4.mul(x, f32x4.sub(f32x4.splat(1), s))));
}
@inline export function eluV(x: v128): v128 { return v128.bitselect(x, expm1V(x), f32x4.gt(x, f32x4.splat(0))); }
@inline export function eluDerivV(x: v128): v128 { return v128.bitselect(f32x4.splat(1), expV(x), f32x4.gt(x, f32x4.splat(0))); }
@inline export function softplusV(x: v128): v128 {
  return f32x4.add(f32x4.pmax(f32x4.splat(0), x), log1pUnitV(expV(f32x4.neg(f32x4.abs(x)))));
}
@inline export function softplusDerivV(x: v128): v128 { return sigmoidV(x); }

// float64, scalar.
@inline function normalCdf(z: f64): f64 { return 0.5 * erfc(-z * SQRT1_2); }
@inline function sigmoid(z: f64): f64 { return 1 / (1 + Math.exp(-z)); }
@inline export function gelu(z: f64): f64 { return z * normalCdf(z); }
@inline export function geluDeriv(z: f64): f64 { return normalCdf(z) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI; }
@inline export function swish(z: f64): f64 { return z * sigmoid(z); }
@inline export function swishDeriv(z: f64): f64 { const s = sigmoid(z); return s * (1 + z * (1 - s)); }
@inline export function elu(z: f64): f64 { return z > 0 ? z : Math.expm1(z); }
@inline export function eluDeriv(z: f64): f64 { return z > 0 ? 1 : Math.exp(z); }
@inline export function softplus(z: f64): f64 { return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))); }
@inline export function softplusDeriv(z: f64): f64 { return sigmoid(z); }

/** Whether f' of this activation is taken from its input z (these four), not from its output. */
@inline export function fromInput(act: i32): bool {
  return act == ACT_GELU || act == ACT_SWISH || act == ACT_ELU || act == ACT_SOFTPLUS;
}

function smoothV(act: i32, x: v128): v128 {
  if (act == ACT_GELU) return geluV(x);
  if (act == ACT_SWISH) return swishV(x);
  if (act == ACT_ELU) return eluV(x);
  if (act == ACT_SOFTPLUS) return softplusV(x);
  unreachable();
  return x;
}

function smoothDerivV(act: i32, x: v128): v128 {
  if (act == ACT_GELU) return geluDerivV(x);
  if (act == ACT_SWISH) return swishDerivV(x);
  if (act == ACT_ELU) return eluDerivV(x);
  if (act == ACT_SOFTPLUS) return softplusDerivV(x);
  unreachable();
  return x;
}

export function smooth64(act: i32, z: f64, derivative: bool): f64 {
  if (act == ACT_GELU) return derivative ? geluDeriv(z) : gelu(z);
  if (act == ACT_SWISH) return derivative ? swishDeriv(z) : swish(z);
  if (act == ACT_ELU) return derivative ? eluDeriv(z) : elu(z);
  if (act == ACT_SOFTPLUS) return derivative ? softplusDeriv(z) : softplus(z);
  unreachable();
  return z;
}

/** One element of either dtype: float32 through lane 0 of the vector code, float64 scalar. */
@inline export function smooth1<T>(act: i32, x: T, derivative: bool): T {
  if (sizeof<T>() == 4) {
    const v = f32x4.splat(<f32>x);
    return <T>f32x4.extract_lane(derivative ? smoothDerivV(act, v) : smoothV(act, v), 0);
  }
  return <T>smooth64(act, <f64>x, derivative);
}

/** A vector of either dtype: float32 in SIMD; float64 lane by lane through the scalar code. */
@inline export function smoothLanes<T>(act: i32, x: v128, derivative: bool): v128 {
  if (sizeof<T>() == 4) return derivative ? smoothDerivV(act, x) : smoothV(act, x);
  const lo = smooth64(act, f64x2.extract_lane(x, 0), derivative), hi = smooth64(act, f64x2.extract_lane(x, 1), derivative);
  return f64x2.replace_lane(f64x2.splat(lo), 1, hi);
}
