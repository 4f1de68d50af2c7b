// Losses: each one declared once, with its code in the WASM ABI (the global `abi` of
// assembly/codes.ts), the output activations it pairs with, and its JS reference formula: the loss
// of a batch and the output delta dL/dZ of each (loss, output activation) pair, together. The
// AssemblyScript body lives in assembly/losses.ts.
import type { FloatArray } from '../util/float-array.js';
import { activationOp, type ActivationName } from './activations.js';

export interface LossOp {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  /** Output activations it is defined for (null: any). */
  readonly outputs: readonly ActivationName[] | null;
  /** Whether the value is computed from the logits z (the output layer's pre-activation), which the backends then keep. */
  readonly needsLogits: boolean;
  /**
   * Loss summed over a rows x cols batch of outputs a (logits z, when needsLogits) against targets
   * y; writes dL/dZ times scale when delta is given.
   */
  readonly reference: (
    act: ActivationName,
    rows: number,
    cols: number,
    a: FloatArray,
    z: FloatArray | null,
    y: FloatArray,
    delta: FloatArray | null,
    scale: number,
  ) => number;
}

// ½ Σ (a − y)²: dL/dZ = (a − y) f'(a) (f'(z) for an activation whose derivative needs z); through
// softmax, the full Jacobian: a_j (g_j − Σ_k g_k a_k), g = a − y.
function mse(
  act: ActivationName,
  rows: number,
  cols: number,
  a: FloatArray,
  z: FloatArray | null,
  y: FloatArray,
  delta: FloatArray | null,
  scale: number,
): number {
  const op = activationOp(act);
  const from = op.kind === 'elementwise' && op.from === 'input' ? z : a;
  if (delta && !from) throw new Error(`mse: the output delta of ${act} needs the output layer's z`);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    if (op.kind === 'row') for (let j = 0; j < cols; j++) dot += (a[o + j]! - y[o + j]!) * a[o + j]!;
    for (let j = 0; j < cols; j++) {
      const ai = a[o + j]!,
        g = ai - y[o + j]!;
      total += g * g * 0.5;
      if (delta) delta[o + j] = (op.kind === 'row' ? ai * (g - dot) : g * op.df(from![o + j]!)) * scale;
    }
  }
  return total;
}

// From the logits, never clamped (a confidently wrong sample reports its true loss):
// softmax −Σ_j y_j (z_j − logsumexp(z)); sigmoid, per output, max(z, 0) − z·y + log1p(exp(−|z|)).
// dL/dZ = a − y for both.
function crossEntropy(
  act: ActivationName,
  rows: number,
  cols: number,
  a: FloatArray,
  z: FloatArray | null,
  y: FloatArray,
  delta: FloatArray | null,
  scale: number,
): number {
  if (!z) throw new Error('crossEntropy needs the logits of the output layer');
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (act === 'sigmoid') {
      for (let j = 0; j < cols; j++) {
        const zj = z[o + j]!;
        total += Math.max(zj, 0) - zj * y[o + j]! + Math.log1p(Math.exp(-Math.abs(zj)));
      }
      continue;
    }
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, z[o + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(z[o + j]! - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < cols; j++) if (y[o + j] !== 0) total += y[o + j]! * (lse - z[o + j]!);
  }
  if (delta) for (let i = 0; i < rows * cols; i++) delta[i] = (a[i]! - y[i]!) * scale;
  return total;
}

export const LOSSES = [
  { name: 'mse', code: 0, abi: 'LOSS_MSE', outputs: null, needsLogits: false, reference: mse },
  {
    name: 'crossEntropy',
    code: 1,
    abi: 'LOSS_CROSS_ENTROPY',
    outputs: ['softmax', 'sigmoid'],
    needsLogits: true,
    reference: crossEntropy,
  },
] as const satisfies readonly LossOp[];

export type LossName = (typeof LOSSES)[number]['name'];
/** 'sum' adds the loss and gradient over a batch (the seed's convention); 'mean' averages them. */
export type LossReduction = 'sum' | 'mean';
export const LOSS_NAMES: readonly LossName[] = LOSSES.map((l) => l.name);

export function lossOp(name: LossName): LossOp {
  return LOSSES.find((l) => l.name === name)!;
}
