// In-place parameter updates over n elements; optimizer state lives in linear memory.
// Each update is a v128 loop with a scalar tail doing the same arithmetic per element.
import { sqrtT } from "./mathT";

/** w -= lr * g */
export function sgd<T>(n: i32, w: usize, g: usize, lr: T): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(w + o, load<T>(w + o) - lr * load<T>(g + o));
  }
}

/** v = mu * v + g; w -= lr * v */
export function momentum<T>(n: i32, w: usize, g: usize, v: usize, lr: T, mu: T): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const vlr = v128.splat<T>(lr), vmu = v128.splat<T>(mu);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const vi = v128.add<T>(v128.mul<T>(vmu, v128.load(v + o)), v128.load(g + o));
    v128.store(v + o, vi);
    v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.mul<T>(vlr, vi)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const vi = mu * load<T>(v + o) + load<T>(g + o);
    store<T>(v + o, vi);
    store<T>(w + o, load<T>(w + o) - lr * vi);
  }
}

/**
 * Adam with bias correction at step t (1-based):
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 */
export function adam<T>(n: i32, w: usize, g: usize, m: usize, v: usize, lr: T, b1: T, b2: T, eps: T, t: f64): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const c1 = <T>(1 - Math.pow(<f64>b1, t));
  const c2 = <T>(1 - Math.pow(<f64>b2, t));
  const vb1 = v128.splat<T>(b1), vb2 = v128.splat<T>(b2), v1b1 = v128.splat<T>(<T>1 - b1), v1b2 = v128.splat<T>(<T>1 - b2);
  const vc1 = v128.splat<T>(c1), vc2 = v128.splat<T>(c2), vlr = v128.splat<T>(lr), veps = v128.splat<T>(eps);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    const gi = v128.load(g + o);
    const mi = v128.add<T>(v128.mul<T>(vb1, v128.load(m + o)), v128.mul<T>(v1b1, gi));
    const vi = v128.add<T>(v128.mul<T>(vb2, v128.load(v + o)), v128.mul<T>(v128.mul<T>(v1b2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = v128.div<T>(v128.mul<T>(vlr, v128.div<T>(mi, vc1)), v128.add<T>(v128.sqrt<T>(v128.div<T>(vi, vc2)), veps));
    v128.store(w + o, v128.sub<T>(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    const gi = load<T>(g + o);
    const mi = b1 * load<T>(m + o) + (<T>1 - b1) * gi;
    const vi = b2 * load<T>(v + o) + (<T>1 - b2) * gi * gi;
    store<T>(m + o, mi);
    store<T>(v + o, vi);
    store<T>(w + o, load<T>(w + o) - lr * (mi / c1) / (sqrtT<T>(vi / c2) + eps));
  }
}
