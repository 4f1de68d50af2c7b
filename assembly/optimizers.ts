// In-place parameter updates over n elements; optimizer state lives in linear memory.
import { sqrtT } from "./mathT";

/** w -= lr * g */
export function sgd<T>(n: i32, w: usize, g: usize, lr: T): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(w + o, load<T>(w + o) - lr * load<T>(g + o));
  }
}

/** v = mu * v + g; w -= lr * v */
export function momentum<T>(n: i32, w: usize, g: usize, v: usize, lr: T, mu: T): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
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
  const sz = <usize>sizeof<T>();
  const c1 = <T>(1 - Math.pow(<f64>b1, t));
  const c2 = <T>(1 - Math.pow(<f64>b2, t));
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sz;
    const gi = load<T>(g + o);
    const mi = b1 * load<T>(m + o) + (<T>1 - b1) * gi;
    const vi = b2 * load<T>(v + o) + (<T>1 - b2) * gi * gi;
    store<T>(m + o, mi);
    store<T>(v + o, vi);
    store<T>(w + o, load<T>(w + o) - lr * (mi / c1) / (sqrtT<T>(vi / c2) + eps));
  }
}
