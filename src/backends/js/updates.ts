// Reference column sums and optimizer updates. Each optimizer is one formula with a commit flag:
// commit = false computes every new weight and state value, stores nothing, and returns whether
// all are finite; commit = true stores them.
import type { FloatArray } from '../../types.js';

export function columnSums(rows: number, cols: number, m: FloatArray, out: FloatArray): void {
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[j] = out[j]! + m[r * cols + j]!;
  }
}

// Values as they will be stored: rounded to float32 when the arrays are Float32Array.
const stored = (a: FloatArray, v: number): number => (a instanceof Float32Array ? Math.fround(v) : v);

export function sgd(n: number, w: FloatArray, g: FloatArray, lr: number, commit = true): boolean {
  for (let i = 0; i < n; i++) {
    const wi = w[i]! - lr * g[i]!;
    if (commit) w[i] = wi; else if (!Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

export function momentum(n: number, w: FloatArray, g: FloatArray, v: FloatArray, lr: number, mu: number, commit = true): boolean {
  for (let i = 0; i < n; i++) {
    const vi = stored(v, mu * v[i]! + g[i]!);
    const wi = w[i]! - lr * vi;
    if (commit) { v[i] = vi; w[i] = wi; } else if (!Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

export function adam(n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  lr: number, beta1: number, beta2: number, epsilon: number, t: number, commit = true): boolean {
  const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < n; i++) {
    const mi = stored(m, beta1 * m[i]! + (1 - beta1) * g[i]!);
    const vi = stored(v, beta2 * v[i]! + (1 - beta2) * g[i]! * g[i]!);
    const wi = w[i]! - lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
    if (commit) { m[i] = mi; v[i] = vi; w[i] = wi; }
    else if (!Number.isFinite(mi) || !Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}
