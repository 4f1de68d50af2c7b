// Activations: each one declared once. A descriptor holds the activation's name, its code in the
// WASM ABI (assembly/codes.ts exports it as the global named `abi`; checked at load), where it may
// be used, the weight initialization of its layers, and its JS reference formula: forward and
// derivative side by side. The AssemblyScript body lives in assembly/activations.ts.
import type { FloatArray } from '../util/float-array.js';

/** Slope of leakyRelu for negative inputs (both backends). */
export const LEAKY_SLOPE = 0.01;

interface Elementwise {
  readonly kind: 'elementwise';
  /** f(z), the reference forward. */
  readonly f: (z: number) => number;
  /** f'(a), computed from the output a = f(z), so z need not be kept. */
  readonly df: (a: number) => number;
}

interface RowWise {
  /** Softmax: a whole row at a time; output layer only (its derivative is folded into the loss). */
  readonly kind: 'row';
}

export type ActivationOp = {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  /** Glorot uniform (limit √(6 / (in + out))) or He uniform (√(6 / in)). */
  readonly init: 'glorot' | 'he';
  /** As an output: probabilities (a classifier, scored by accuracy) or values (a regression, scored by mean absolute error). */
  readonly output: 'probabilities' | 'values';
} & (Elementwise | RowWise);

export const ACTIVATIONS = [
  { name: 'sigmoid', output: 'probabilities', code: 1, abi: 'ACT_SIGMOID', init: 'glorot', kind: 'elementwise', f: (z: number) => 1 / (1 + Math.exp(-z)), df: (a: number) => a * (1 - a) },
  { name: 'tanh', output: 'values', code: 2, abi: 'ACT_TANH', init: 'glorot', kind: 'elementwise', f: (z: number) => Math.tanh(z), df: (a: number) => 1 - a * a },
  { name: 'relu', output: 'values', code: 3, abi: 'ACT_RELU', init: 'he', kind: 'elementwise', f: (z: number) => (z > 0 ? z : 0), df: (a: number) => (a > 0 ? 1 : 0) },
  { name: 'leakyRelu', output: 'values', code: 4, abi: 'ACT_LEAKY_RELU', init: 'he', kind: 'elementwise', f: (z: number) => (z > 0 ? z : LEAKY_SLOPE * z), df: (a: number) => (a > 0 ? 1 : LEAKY_SLOPE) },
  { name: 'linear', output: 'values', code: 0, abi: 'ACT_LINEAR', init: 'glorot', kind: 'elementwise', f: (z: number) => z, df: () => 1 },
  { name: 'softmax', output: 'probabilities', code: 5, abi: 'ACT_SOFTMAX', init: 'glorot', kind: 'row' },
] as const satisfies readonly ActivationOp[];

export type OutputActivation = (typeof ACTIVATIONS)[number]['name'];
export type HiddenActivation = Extract<(typeof ACTIVATIONS)[number], { kind: 'elementwise' }>['name'];

export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ACTIVATIONS.map((a) => a.name);
export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ACTIVATIONS.filter((a) => a.kind === 'elementwise').map((a) => a.name as HiddenActivation);

/** How a network with this output is scored: accuracy (probability outputs) or mean absolute error (value outputs). */
export type Metric = 'accuracy' | 'mae';
export const metricOf = (output: OutputActivation): Metric => (activationOp(output).output === 'probabilities' ? 'accuracy' : 'mae');

export function activationOp(name: OutputActivation): (typeof ACTIVATIONS)[number] {
  return ACTIVATIONS.find((a) => a.name === name)!;
}

// Row-wise softmax of z + bias, shifted by the row maximum so exp never overflows.
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

/** The reference forward pass: z = f(z + bias) in place over rows x cols. */
export function biasActivation(act: OutputActivation, rows: number, cols: number, z: FloatArray, bias: FloatArray): void {
  const op = activationOp(act);
  if (op.kind === 'row') return softmaxRows(rows, cols, z, bias);
  const f = op.f;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) z[r * cols + j] = f(z[r * cols + j]! + bias[j]!);
  }
}

/** The reference backward pass: delta *= f'(a) over n elements (hidden layers only). */
export function activationBackward(act: OutputActivation, n: number, a: FloatArray, delta: FloatArray): void {
  const op = activationOp(act);
  if (op.kind === 'row') throw new Error('softmax has no elementwise derivative; it is output-only');
  const df = op.df;
  for (let i = 0; i < n; i++) delta[i] = df(a[i]!) * delta[i]!;
}
