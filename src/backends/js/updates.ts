// Reference column sums and optimizer updates.
import type { FloatArray } from '../../types.js';

export function columnSums(rows: number, cols: number, m: FloatArray, out: FloatArray): void {
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[j] = out[j]! + m[r * cols + j]!;
  }
}

export function sgd(n: number, w: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < n; i++) w[i] = w[i]! - lr * g[i]!;
}

export function momentum(n: number, w: FloatArray, g: FloatArray, v: FloatArray, lr: number, mu: number): void {
  for (let i = 0; i < n; i++) {
    v[i] = mu * v[i]! + g[i]!;
    w[i] = w[i]! - lr * v[i]!;
  }
}

export function adam(n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  lr: number, beta1: number, beta2: number, epsilon: number, t: number): void {
  const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < n; i++) {
    m[i] = beta1 * m[i]! + (1 - beta1) * g[i]!;
    v[i] = beta2 * v[i]! + (1 - beta2) * g[i]! * g[i]!;
    w[i] = w[i]! - lr * (m[i]! / c1) / (Math.sqrt(v[i]! / c2) + epsilon);
  }
}
