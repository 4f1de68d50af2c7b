// Reference activations: each forward and its derivative (from the output a) side by side.
import type { FloatArray, OutputActivation } from '../../types.js';
import { LEAKY_SLOPE } from '../../codes.js';

type Fn = (x: number) => number;

const forward: Record<Exclude<OutputActivation, 'softmax'>, Fn> = {
  linear: (x) => x,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  relu: (x) => (x > 0 ? x : 0),
  leakyRelu: (x) => (x > 0 ? x : LEAKY_SLOPE * x),
};

const derivative: Record<Exclude<OutputActivation, 'softmax'>, Fn> = {
  linear: () => 1,
  sigmoid: (a) => a * (1 - a),
  tanh: (a) => 1 - a * a,
  relu: (a) => (a > 0 ? 1 : 0),
  leakyRelu: (a) => (a > 0 ? 1 : LEAKY_SLOPE),
};

function softmaxRows(rows: number, cols: number, z: FloatArray, bias: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      z[o + j] = z[o + j]! + bias[j]!;
      if (z[o + j]! > max) max = z[o + j]!;
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      z[o + j] = Math.exp(z[o + j]! - max);
      sum += z[o + j]!;
    }
    for (let j = 0; j < cols; j++) z[o + j] = z[o + j]! / sum;
  }
}

export function biasActivation(act: OutputActivation, rows: number, cols: number, z: FloatArray, bias: FloatArray): void {
  if (act === 'softmax') return softmaxRows(rows, cols, z, bias);
  const f = forward[act];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) z[r * cols + j] = f(z[r * cols + j]! + bias[j]!);
  }
}

export function activationBackward(act: OutputActivation, n: number, a: FloatArray, delta: FloatArray): void {
  if (act === 'softmax') throw new Error('softmax has no elementwise derivative; it is output-only');
  const df = derivative[act];
  for (let i = 0; i < n; i++) delta[i] = df(a[i]!) * delta[i]!;
}

/** f'(a) of a non-softmax activation. */
export function derivativeAt(act: Exclude<OutputActivation, 'softmax'>, a: number): number {
  return derivative[act](a);
}
