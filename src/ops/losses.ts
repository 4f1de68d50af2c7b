// Losses: each one declared once, with its code in the WASM ABI (the global `abi` of
// assembly/codes.ts), the output activations it pairs with, and its JS reference formula: the loss
// of a batch and the output delta dL/dZ of each (loss, output activation) pair, together. The
// AssemblyScript body lives in assembly/losses.ts.
import type { FloatArray } from '../util/float-array.js';
import { activationOp, type OutputActivation } from './activations.js';

/** Probabilities are clamped to this before log in cross-entropy (both backends). */
export const LOG_EPSILON = 1e-12;
const clampedLog = (p: number): number => Math.log(p > LOG_EPSILON ? p : LOG_EPSILON);

export interface LossOp {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  /** Output activations it is defined for (null: any). */
  readonly outputs: readonly OutputActivation[] | null;
  /** Loss summed over a rows x cols batch of outputs a against targets y; writes dL/dZ times scale when delta is given. */
  readonly reference: (act: OutputActivation, rows: number, cols: number, a: FloatArray, y: FloatArray, delta: FloatArray | null, scale: number) => number;
}

// ½ Σ (a − y)²: dL/dZ = (a − y) f'(a); through softmax, the full Jacobian: a_j (g_j − Σ_k g_k a_k), g = a − y.
function mse(act: OutputActivation, rows: number, cols: number, a: FloatArray, y: FloatArray, delta: FloatArray | null, scale: number): number {
  const op = activationOp(act);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    if (op.kind === 'row') for (let j = 0; j < cols; j++) dot += (a[o + j]! - y[o + j]!) * a[o + j]!;
    for (let j = 0; j < cols; j++) {
      const ai = a[o + j]!, g = ai - y[o + j]!;
      total += g * g * 0.5;
      if (delta) delta[o + j] = (op.kind === 'row' ? ai * (g - dot) : g * op.df(ai)) * scale;
    }
  }
  return total;
}

// −Σ y log a (softmax), or −Σ y log a + (1 − y) log(1 − a) (sigmoid): dL/dZ = a − y for both.
function crossEntropy(act: OutputActivation, rows: number, cols: number, a: FloatArray, y: FloatArray, delta: FloatArray | null, scale: number): number {
  let total = 0;
  for (let i = 0; i < rows * cols; i++) {
    const ai = a[i]!, yi = y[i]!;
    if (act === 'sigmoid') total -= yi * clampedLog(ai) + (1 - yi) * clampedLog(1 - ai);
    else if (yi !== 0) total -= yi * clampedLog(ai);
    if (delta) delta[i] = (ai - yi) * scale;
  }
  return total;
}

export const LOSSES = [
  { name: 'mse', code: 0, abi: 'LOSS_MSE', outputs: null, reference: mse },
  { name: 'crossEntropy', code: 1, abi: 'LOSS_CROSS_ENTROPY', outputs: ['softmax', 'sigmoid'], reference: crossEntropy },
] as const satisfies readonly LossOp[];

export type LossName = (typeof LOSSES)[number]['name'];
/** 'sum' adds the loss and gradient over a batch (the seed's convention); 'mean' averages them. */
export type LossReduction = 'sum' | 'mean';
export const LOSS_NAMES: readonly LossName[] = LOSSES.map((l) => l.name);

export function lossOp(name: LossName): LossOp {
  return LOSSES.find((l) => l.name === name)!;
}
