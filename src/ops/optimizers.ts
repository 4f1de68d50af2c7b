// Optimizers: each one declared once, with its code in the WASM ABI (the global `abi` of
// assembly/codes.ts), its option keys with defaults and ranges (the order is the order of the f64
// block the kernel reads them from), its default learning rate, its state arrays, and its JS
// reference formula. The AssemblyScript body lives in assembly/optimizers.ts.
import type { FloatArray } from '../util/float-array.js';

export interface OptimizerParam {
  readonly name: string;
  readonly default: number;
  /** 'unit': in [0, 1); 'positive': > 0. */
  readonly range: 'unit' | 'positive';
}

/** Hyper-parameter values by name, as resolved from the options. */
export type ParamValues = Readonly<Record<string, number>>;

export interface OptimizerOp {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  readonly defaultLearningRate: number;
  readonly params: readonly OptimizerParam[];
  /** State arrays per parameter array (one for W and one for b each): momentum's velocity; Adam's m and v. */
  readonly stateArrays: number;
  /**
   * The reference update of n values at step t (1-based), one formula in two modes: commit stores
   * the new weights and state; check (commit false) computes them, stores nothing, and returns
   * whether every one would be finite.
   */
  readonly update: (n: number, w: FloatArray, g: FloatArray, state: readonly FloatArray[], lr: number, p: ParamValues, t: number, commit: boolean) => boolean;
}

// Values as they will be stored: rounded to float32 when the arrays are Float32Array.
const stored = (a: FloatArray, v: number): number => (a instanceof Float32Array ? Math.fround(v) : v);

// w -= lr g
function sgd(n: number, w: FloatArray, g: FloatArray, _s: readonly FloatArray[], lr: number, _p: ParamValues, _t: number, commit: boolean): boolean {
  for (let i = 0; i < n; i++) {
    const wi = w[i]! - lr * g[i]!;
    if (commit) w[i] = wi; else if (!Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

// v = μ v + g; w -= lr v
function momentum(n: number, w: FloatArray, g: FloatArray, [v]: readonly FloatArray[], lr: number, p: ParamValues, _t: number, commit: boolean): boolean {
  const mu = p.momentum!;
  for (let i = 0; i < n; i++) {
    const vi = stored(v!, mu * v![i]! + g[i]!);
    const wi = w[i]! - lr * vi;
    if (commit) { v![i] = vi; w[i] = wi; } else if (!Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

// m = β1 m + (1 − β1) g; v = β2 v + (1 − β2) g²; w -= lr (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
function adam(n: number, w: FloatArray, g: FloatArray, [m, v]: readonly FloatArray[], lr: number, p: ParamValues, t: number, commit: boolean): boolean {
  const { beta1, beta2, epsilon } = p as { beta1: number; beta2: number; epsilon: number };
  const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < n; i++) {
    const mi = stored(m!, beta1 * m![i]! + (1 - beta1) * g[i]!);
    const vi = stored(v!, beta2 * v![i]! + (1 - beta2) * g[i]! * g[i]!);
    const wi = w[i]! - lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
    if (commit) { m![i] = mi; v![i] = vi; w[i] = wi; }
    else if (!Number.isFinite(mi) || !Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

export const OPTIMIZERS = [
  { name: 'sgd', code: 0, abi: 'OPT_SGD', defaultLearningRate: 0.01, params: [], stateArrays: 0, update: sgd },
  {
    name: 'momentum', code: 1, abi: 'OPT_MOMENTUM', defaultLearningRate: 0.01, stateArrays: 1, update: momentum,
    params: [{ name: 'momentum', default: 0.9, range: 'unit' }],
  },
  {
    name: 'adam', code: 2, abi: 'OPT_ADAM', defaultLearningRate: 0.001, stateArrays: 2, update: adam,
    params: [{ name: 'beta1', default: 0.9, range: 'unit' }, { name: 'beta2', default: 0.999, range: 'unit' }, { name: 'epsilon', default: 1e-8, range: 'positive' }],
  },
] as const satisfies readonly OptimizerOp[];

type Op = (typeof OPTIMIZERS)[number];
export type OptimizerName = Op['name'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.map((o) => o.name);

/** The object form of each optimizer option: its name and any of its hyper-parameters. */
export type OptimizerObject = { [K in Op as K['name']]: { name: K['name'] } & Partial<Record<K['params'][number]['name'], number>> }[OptimizerName];

export function optimizerOp(name: OptimizerName): OptimizerOp {
  return OPTIMIZERS.find((o) => o.name === name)!;
}

/** State arrays per layer, in the order [s1W, s1b, s2W, s2b, …]: two per state array. */
export const stateSlots = (name: OptimizerName): number => 2 * optimizerOp(name).stateArrays;

/** Hyper-parameters in the kernel's block order. */
export function packParams(name: OptimizerName, values: ParamValues): number[] {
  return optimizerOp(name).params.map((p) => values[p.name]!);
}
