// In-place parameter updates over n elements; optimizer state lives in linear memory.
// Each update is a v128 loop with a scalar tail doing the same arithmetic per element. Every
// optimizer has one body used in two modes: check (compute, store nothing, report whether every
// new weight and state value is finite) and commit (store). The fused loop checks all layers
// before committing any, so a batch that would diverge leaves the network as it was.
import { sqrtT } from "./scalar-math";
import { OPT_SGD, OPT_MOMENTUM, OPT_ADAM } from "./codes";

// Lanes whose value is not finite: x - x is 0 for finite x and NaN for ±Infinity and NaN.
@inline function notFinite<T>(x: v128): v128 { return v128.ne<T>(v128.sub<T>(x, x), v128.splat<T>(0)); }
@inline function isFiniteT<T>(x: T): bool { return x - x == <T>0; }

@inline function sgdBody<T>(n: i32, w: usize, g: usize, lr: T, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const wi = v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, v128.load(g + o)));
    if (commit) v128.store(w + o, wi); else bad = v128.or(bad, notFinite<T>(wi));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const wi = load<T>(w + o) - lr * load<T>(g + o);
    if (commit) store<T>(w + o, wi); else ok = ok && isFiniteT<T>(wi);
  }
  return ok;
}

@inline function momentumBody<T>(n: i32, w: usize, g: usize, v: usize, lr: T, mu: T, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr), vmu = v128.splat<T>(mu);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const vi = v128.add<T>(v128.mul<T>(vmu, v128.load(v + o)), v128.load(g + o));
    const wi = v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, vi));
    if (commit) { v128.store(v + o, vi); v128.store(w + o, wi); } else bad = v128.or(bad, v128.or(notFinite<T>(vi), notFinite<T>(wi)));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const vi = mu * load<T>(v + o) + load<T>(g + o);
    const wi = load<T>(w + o) - lr * vi;
    if (commit) { store<T>(v + o, vi); store<T>(w + o, wi); } else ok = ok && isFiniteT<T>(vi) && isFiniteT<T>(wi);
  }
  return ok;
}

@inline function adamBody<T>(n: i32, w: usize, g: usize, m: usize, v: usize, lr: T, b1: T, b2: T, eps: T, t: f64, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const c1 = <T>(1 - Math.pow(<f64>b1, t));
  const c2 = <T>(1 - Math.pow(<f64>b2, t));
  const vb1 = v128.splat<T>(b1), vb2 = v128.splat<T>(b2), v1b1 = v128.splat<T>(<T>1 - b1), v1b2 = v128.splat<T>(<T>1 - b2);
  const vc1 = v128.splat<T>(c1), vc2 = v128.splat<T>(c2), vlr = v128.splat<T>(lr), veps = v128.splat<T>(eps);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const gi = v128.load(g + o);
    const mi = v128.add<T>(v128.mul<T>(vb1, v128.load(m + o)), v128.mul<T>(v1b1, gi));
    const vi = v128.add<T>(v128.mul<T>(vb2, v128.load(v + o)), v128.mul<T>(v128.mul<T>(v1b2, gi), gi));
    const step = v128.div<T>(v128.mul<T>(vlr, v128.div<T>(mi, vc1)), v128.add<T>(v128.sqrt<T>(v128.div<T>(vi, vc2)), veps));
    const wi = v128.sub<T>(v128.load(w + o), step);
    if (commit) { v128.store(m + o, mi); v128.store(v + o, vi); v128.store(w + o, wi); }
    else bad = v128.or(bad, v128.or(v128.or(notFinite<T>(mi), notFinite<T>(vi)), notFinite<T>(wi)));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const gi = load<T>(g + o);
    const mi = b1 * load<T>(m + o) + (<T>1 - b1) * gi;
    const vi = b2 * load<T>(v + o) + (<T>1 - b2) * gi * gi;
    const wi = load<T>(w + o) - lr * (mi / c1) / (sqrtT<T>(vi / c2) + eps);
    if (commit) { store<T>(m + o, mi); store<T>(v + o, vi); store<T>(w + o, wi); }
    else ok = ok && isFiniteT<T>(mi) && isFiniteT<T>(vi) && isFiniteT<T>(wi);
  }
  return ok;
}

/** Largest number of f64 hyper-parameters an optimizer reads from its block. */
export const MAX_PARAMS: i32 = 8;

// Hyper-parameters arrive as f64 in a block at `params`, in the order the optimizer's TypeScript
// descriptor lists them (src/ops/optimizers.ts): momentum [momentum]; adam [beta1, beta2, epsilon].
@inline function param<T>(params: usize, i: i32): T { return <T>load<f64>(params + (<usize>i << 3)); }

// The one dispatch over optimizer codes; an unknown code traps rather than computing something.
@inline function update<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64, commit: bool): bool {
  if (opt == OPT_SGD) return sgdBody<T>(n, w, g, lr, commit);
  if (opt == OPT_MOMENTUM) return momentumBody<T>(n, w, g, s1, lr, param<T>(params, 0), commit);
  if (opt == OPT_ADAM) return adamBody<T>(n, w, g, s1, s2, lr, param<T>(params, 0), param<T>(params, 1), param<T>(params, 2), t, commit);
  unreachable();
  return false;
}

/**
 * Whether the update of optimizer `opt` would leave every weight and state value finite (stores nothing).
 * sgd: w -= lr g. momentum: v = mu v + g; w -= lr v. adam, at step t (1-based), with bias correction:
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 */
export function updateStaysFinite<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64): bool {
  return update<T>(opt, n, w, g, s1, s2, lr, params, t, false);
}

/** Applies the update of optimizer `opt` (s1, s2: its state arrays, 0 where it has none). */
export function applyUpdate<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64): void {
  update<T>(opt, n, w, g, s1, s2, lr, params, t, true);
}
