// Optimizers: each one declared once, with its code in the WASM ABI (the global `abi` of
// assembly/codes.ts), its option keys with defaults and ranges (the order is the order of the f64
// block the kernel reads them from), its default learning rate, its state arrays, and its JS
// reference formula. The AssemblyScript body lives in assembly/optimizers.ts.
import type { FloatArray } from '../util/float-array.js';

export interface HyperParam {
  readonly name: string;
  readonly default: number;
  /** 'unit': in [0, 1); 'positive': > 0; 'nonnegative': >= 0. */
  readonly range: 'unit' | 'positive' | 'nonnegative';
}

/** Hyper-parameter values by name, as resolved from the options. */
export type HyperParams = Readonly<Record<string, number>>;

export interface OptimizerOp {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  readonly defaultLearningRate: number;
  readonly hyperParams: readonly HyperParam[];
  /**
   * State arrays per parameter array (one for W and one for b each): momentum's velocity; Adam's m
   * and v. At most 2: the layer table and the kernels hold two (s1, s2), so a descriptor with more
   * does not compile.
   */
  readonly stateArrays: 0 | 1 | 2;
  /**
   * The reference update of n values at step t (1-based), one formula in two modes: commit stores
   * the new weights and state; check (commit false) computes them, stores nothing, and returns
   * whether every one would be finite. `weights` is false for biases, which take no weight decay.
   */
  readonly update: (
    n: number,
    w: FloatArray,
    g: FloatArray,
    state: readonly FloatArray[],
    lr: number,
    p: HyperParams,
    t: number,
    weights: boolean,
    commit: boolean,
  ) => boolean;
}

// Values as they will be stored: rounded to float32 when the arrays are Float32Array.
const stored = (a: FloatArray, v: number): number => (a instanceof Float32Array ? Math.fround(v) : v);

// Coupled weight decay (L2, as PyTorch's weight_decay): the step uses g + λw for weight matrices.
const decayed = (g: number, w: number, lambda: number): number => (lambda === 0 ? g : g + lambda * w);

// w -= lr g
function sgd(
  n: number,
  w: FloatArray,
  g: FloatArray,
  _s: readonly FloatArray[],
  lr: number,
  p: HyperParams,
  _t: number,
  weights: boolean,
  commit: boolean,
): boolean {
  const lambda = weights ? p.weightDecay! : 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]! - lr * decayed(g[i]!, w[i]!, lambda);
    if (commit) w[i] = wi;
    else if (!Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

// v = μ v + g; w -= lr v
function momentum(
  n: number,
  w: FloatArray,
  g: FloatArray,
  [v]: readonly FloatArray[],
  lr: number,
  p: HyperParams,
  _t: number,
  weights: boolean,
  commit: boolean,
): boolean {
  const mu = p.momentum!,
    lambda = weights ? p.weightDecay! : 0;
  for (let i = 0; i < n; i++) {
    const vi = stored(v!, mu * v![i]! + decayed(g[i]!, w[i]!, lambda));
    const wi = w[i]! - lr * vi;
    if (commit) {
      v![i] = vi;
      w[i] = wi;
    } else if (!Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
  }
  return true;
}

// m = β1 m + (1 − β1) g; v = β2 v + (1 − β2) g²; w -= lr (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε).
// Coupled decay (adam) adds λw to g; decoupled decay (adamw, as PyTorch's AdamW) first scales w by (1 − lr λ).
function adamStep(decoupled: boolean) {
  return (
    n: number,
    w: FloatArray,
    g: FloatArray,
    [m, v]: readonly FloatArray[],
    lr: number,
    p: HyperParams,
    t: number,
    weights: boolean,
    commit: boolean,
  ): boolean => {
    const { beta1, beta2, epsilon } = p as { beta1: number; beta2: number; epsilon: number };
    const lambda = weights ? p.weightDecay! : 0;
    const coupled = decoupled ? 0 : lambda,
      shrink = decoupled && lambda !== 0 ? 1 - lr * lambda : 1;
    const c1 = 1 - beta1 ** t,
      c2 = 1 - beta2 ** t;
    for (let i = 0; i < n; i++) {
      const gi = decayed(g[i]!, w[i]!, coupled);
      const mi = stored(m!, beta1 * m![i]! + (1 - beta1) * gi);
      const vi = stored(v!, beta2 * v![i]! + (1 - beta2) * gi * gi);
      const w0 = shrink === 1 ? w[i]! : w[i]! * shrink;
      const wi = w0 - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      if (commit) {
        m![i] = mi;
        v![i] = vi;
        w[i] = wi;
      } else if (!Number.isFinite(mi) || !Number.isFinite(vi) || !Number.isFinite(stored(w, wi))) return false;
    }
    return true;
  };
}

const ADAM_HYPER_PARAMS = [
  { name: 'beta1', default: 0.9, range: 'unit' },
  { name: 'beta2', default: 0.999, range: 'unit' },
  { name: 'epsilon', default: 1e-8, range: 'positive' },
] as const;

export const OPTIMIZERS = [
  {
    name: 'sgd',
    code: 0,
    abi: 'OPT_SGD',
    defaultLearningRate: 0.01,
    stateArrays: 0,
    update: sgd,
    hyperParams: [{ name: 'weightDecay', default: 0, range: 'nonnegative' }],
  },
  {
    name: 'momentum',
    code: 1,
    abi: 'OPT_MOMENTUM',
    defaultLearningRate: 0.01,
    stateArrays: 1,
    update: momentum,
    hyperParams: [
      { name: 'momentum', default: 0.9, range: 'unit' },
      { name: 'weightDecay', default: 0, range: 'nonnegative' },
    ],
  },
  {
    name: 'adam',
    code: 2,
    abi: 'OPT_ADAM',
    defaultLearningRate: 0.001,
    stateArrays: 2,
    update: adamStep(false),
    hyperParams: [...ADAM_HYPER_PARAMS, { name: 'weightDecay', default: 0, range: 'nonnegative' }],
  },
  {
    name: 'adamw',
    code: 3,
    abi: 'OPT_ADAMW',
    defaultLearningRate: 0.001,
    stateArrays: 2,
    update: adamStep(true),
    hyperParams: [...ADAM_HYPER_PARAMS, { name: 'weightDecay', default: 0.01, range: 'nonnegative' }],
  },
] as const satisfies readonly OptimizerOp[];

type Op = (typeof OPTIMIZERS)[number];
export type OptimizerName = Op['name'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS.map((o) => o.name);

/** The object form of each optimizer option: its name and any of its hyper-parameters. */
export type OptimizerObject = {
  [K in Op as K['name']]: { name: K['name'] } & Partial<Record<K['hyperParams'][number]['name'], number>>;
}[OptimizerName];

export function optimizerOp(name: OptimizerName): OptimizerOp {
  return OPTIMIZERS.find((o) => o.name === name)!;
}

/** The most state arrays an optimizer keeps (what the memory checks count for any optimizer). */
export const MAX_STATE_ARRAYS = Math.max(...OPTIMIZERS.map((o) => o.stateArrays));

/** State arrays per layer, in the order [s1W, s1b, s2W, s2b, …]: two per state array. */
export const stateSlots = (name: OptimizerName): number => 2 * optimizerOp(name).stateArrays;

/** Hyper-parameters in the kernel's block order. */
export function packHyperParams(name: OptimizerName, values: HyperParams): number[] {
  return optimizerOp(name).hyperParams.map((p) => values[p.name]!);
}
