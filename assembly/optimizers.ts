// In-place parameter updates over n elements; optimizer state lives in linear memory.
// Each update is a v128 loop with a scalar tail doing the same arithmetic per element. Every
// optimizer has one body used in two modes: check (compute, store nothing, report whether every
// new weight and state value is finite) and commit (store). The fused loop checks all layers
// before committing any, so a batch that would diverge leaves the network as it was.
// Weight decay (weight matrices only; biases are exempt): coupled, as L2 in the gradient
// (g + λw, sgd/momentum/adam), or decoupled (w(1 − lr·λ) before the step, adamw). Each body is
// inlined twice, with and without decay, so a network without it runs exactly the plain loop.
import { sqrtT } from "./scalar-math";
import { OPT_SGD, OPT_MOMENTUM, OPT_ADAM, OPT_ADAMW } from "./codes";

/** Largest number of f64 hyper-parameters an optimizer reads from its block. */
export const MAX_PARAMS: i32 = 8;

// Lanes whose value is not finite: x - x is 0 for finite x and NaN for ±Infinity and NaN.
@inline function notFinite<T>(x: v128): v128 { return v128.ne<T>(v128.sub<T>(x, x), v128.splat<T>(0)); }
@inline function isFiniteT<T>(x: T): bool { return x - x == <T>0; }

// The gradient the step uses: g, or g + λw with coupled decay.
@inline function gradV<T>(g: usize, w: usize, o: usize, lambda: T, coupled: bool): v128 {
  return coupled ? v128.add<T>(v128.load(g + o), v128.mul<T>(v128.splat<T>(lambda), v128.load(w + o))) : v128.load(g + o);
}
@inline function grad1<T>(g: usize, w: usize, o: usize, lambda: T, coupled: bool): T {
  return coupled ? load<T>(g + o) + lambda * load<T>(w + o) : load<T>(g + o);
}

// w -= lr g
@inline function sgdBody<T>(n: i32, w: usize, g: usize, lr: T, lambda: T, coupled: bool, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const wi = v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, gradV<T>(g, w, o, lambda, coupled)));
    if (commit) v128.store(w + o, wi); else bad = v128.or(bad, notFinite<T>(wi));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const wi = load<T>(w + o) - lr * grad1<T>(g, w, o, lambda, coupled);
    if (commit) store<T>(w + o, wi); else ok = ok && isFiniteT<T>(wi);
  }
  return ok;
}

// v = mu v + g; w -= lr v
@inline function momentumBody<T>(n: i32, w: usize, g: usize, v: usize, lr: T, mu: T, lambda: T, coupled: bool, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr), vmu = v128.splat<T>(mu);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const vi = v128.add<T>(v128.mul<T>(vmu, v128.load(v + o)), gradV<T>(g, w, o, lambda, coupled));
    const wi = v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, vi));
    if (commit) { v128.store(v + o, vi); v128.store(w + o, wi); } else bad = v128.or(bad, v128.or(notFinite<T>(vi), notFinite<T>(wi)));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const vi = mu * load<T>(v + o) + grad1<T>(g, w, o, lambda, coupled);
    const wi = load<T>(w + o) - lr * vi;
    if (commit) { store<T>(v + o, vi); store<T>(w + o, wi); } else ok = ok && isFiniteT<T>(vi) && isFiniteT<T>(wi);
  }
  return ok;
}

// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps), at step t (1-based).
// Decoupled decay first scales w by (1 - lr λ).
@inline function adamBody<T>(n: i32, w: usize, g: usize, m: usize, v: usize, lr: T, b1: T, b2: T, eps: T, t: f64,
  lambda: T, coupled: bool, decoupled: bool, commit: bool): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const c1 = <T>(1 - Math.pow(<f64>b1, t));
  const c2 = <T>(1 - Math.pow(<f64>b2, t));
  const shrink: T = <T>1 - lr * lambda;
  const vb1 = v128.splat<T>(b1), vb2 = v128.splat<T>(b2), v1b1 = v128.splat<T>(<T>1 - b1), v1b2 = v128.splat<T>(<T>1 - b2);
  const vc1 = v128.splat<T>(c1), vc2 = v128.splat<T>(c2), vlr = v128.splat<T>(lr), veps = v128.splat<T>(eps), vshrink = v128.splat<T>(shrink);
  let bad = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const gi = gradV<T>(g, w, o, lambda, coupled);
    const mi = v128.add<T>(v128.mul<T>(vb1, v128.load(m + o)), v128.mul<T>(v1b1, gi));
    const vi = v128.add<T>(v128.mul<T>(vb2, v128.load(v + o)), v128.mul<T>(v128.mul<T>(v1b2, gi), gi));
    const step = v128.div<T>(v128.mul<T>(vlr, v128.div<T>(mi, vc1)), v128.add<T>(v128.sqrt<T>(v128.div<T>(vi, vc2)), veps));
    const w0 = decoupled ? v128.mul<T>(v128.load(w + o), vshrink) : v128.load(w + o);
    const wi = v128.sub<T>(w0, step);
    if (commit) { v128.store(m + o, mi); v128.store(v + o, vi); v128.store(w + o, wi); }
    else bad = v128.or(bad, v128.or(v128.or(notFinite<T>(mi), notFinite<T>(vi)), notFinite<T>(wi)));
  }
  let ok = !v128.any_true(bad);
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const gi = grad1<T>(g, w, o, lambda, coupled);
    const mi = b1 * load<T>(m + o) + (<T>1 - b1) * gi;
    const vi = b2 * load<T>(v + o) + (<T>1 - b2) * gi * gi;
    const w0 = decoupled ? load<T>(w + o) * shrink : load<T>(w + o);
    const wi = w0 - lr * (mi / c1) / (sqrtT<T>(vi / c2) + eps);
    if (commit) { store<T>(m + o, mi); store<T>(v + o, vi); store<T>(w + o, wi); }
    else ok = ok && isFiniteT<T>(mi) && isFiniteT<T>(vi) && isFiniteT<T>(wi);
  }
  return ok;
}

// Hyper-parameters arrive as f64 in a block at `params`, in the order the optimizer's TypeScript
// descriptor lists them (src/ops/optimizers.ts): sgd [weightDecay]; momentum [momentum,
// weightDecay]; adam and adamw [beta1, beta2, epsilon, weightDecay].
@inline function param<T>(params: usize, i: i32): T { return <T>load<f64>(params + (<usize>i << 3)); }

// The one dispatch over optimizer codes; an unknown code traps rather than computing something.
// `weights` is false for biases, which take no weight decay.
@inline function update<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64, weights: bool, commit: bool): bool {
  if (opt == OPT_SGD) {
    const lambda = param<T>(params, 0);
    return weights && lambda != 0 ? sgdBody<T>(n, w, g, lr, lambda, true, commit) : sgdBody<T>(n, w, g, lr, 0, false, commit);
  }
  if (opt == OPT_MOMENTUM) {
    const mu = param<T>(params, 0), lambda = param<T>(params, 1);
    return weights && lambda != 0 ? momentumBody<T>(n, w, g, s1, lr, mu, lambda, true, commit) : momentumBody<T>(n, w, g, s1, lr, mu, 0, false, commit);
  }
  if (opt == OPT_ADAM || opt == OPT_ADAMW) {
    const b1 = param<T>(params, 0), b2 = param<T>(params, 1), eps = param<T>(params, 2), lambda = param<T>(params, 3);
    if (!weights || lambda == 0) return adamBody<T>(n, w, g, s1, s2, lr, b1, b2, eps, t, 0, false, false, commit);
    return opt == OPT_ADAM
      ? adamBody<T>(n, w, g, s1, s2, lr, b1, b2, eps, t, lambda, true, false, commit)
      : adamBody<T>(n, w, g, s1, s2, lr, b1, b2, eps, t, lambda, false, true, commit);
  }
  unreachable();
  return false;
}

/** Whether the update of optimizer `opt` would leave every weight and state value finite (stores nothing). */
export function updateStaysFinite<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64, weights: bool): bool {
  return update<T>(opt, n, w, g, s1, s2, lr, params, t, weights, false);
}

/** Applies the update of optimizer `opt` (s1, s2: its state arrays, 0 where it has none; weights: false for biases). */
export function applyUpdate<T>(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64, weights: bool): void {
  update<T>(opt, n, w, g, s1, s2, lr, params, t, weights, true);
}
