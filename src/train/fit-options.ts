// Validation and defaults of fit options. Everything is checked before any training starts.
import type { OptimizerConfig, StepConfig } from '../backends/backend.js';
import { check, shown, ValidationError } from '../errors.js';
import { checkKeys, checkName } from '../checks/options.js';
import type { Metric } from '../ops/activations.js';
import { OPTIMIZER_NAMES, optimizerOp } from '../ops/optimizers.js';
import { resolveEarlyStopping, type ResolvedEarlyStopping } from './early-stopping.js';
import type { DType, EpochLogs, FitOptions, Matrix, OptimizerOption, Targets } from '../types.js';

/** Defaults as Keras users expect them: Adam (learning rate 0.001), batches of 32, shuffled, one epoch. */
const DEFAULT_OPTIMIZER = 'adam';
const DEFAULT_BATCH_SIZE = 32;

export const FIT_KEYS = [
  'earlyStopping',
  'epochs',
  'initialEpoch',
  'batchSize',
  'learningRate',
  'optimizer',
  'lossReduction',
  'shuffle',
  'validationData',
  'validationSplit',
  'onEpochEnd',
];

export interface ResolvedFit {
  /** Epoch numbers run: initialEpoch .. epochs - 1. */
  initialEpoch: number;
  epochs: number;
  batchSize: number;
  step: StepConfig;
  shuffle: boolean;
  validationData: [Matrix, Targets] | null;
  /** The learning rate by epoch when `learningRate` is a function (step.learningRate is then unused). */
  schedule: ((epoch: number) => number) | null;
  earlyStopping: ResolvedEarlyStopping | null;
  // biome-ignore lint/suspicious/noConfusingVoidType: the public callback's type (types.ts FitOptions)
  onEpochEnd: ((epoch: number, logs: EpochLogs) => boolean | void) | null;
}

function positiveInteger(v: unknown, what: string): number {
  check(typeof v === 'number' && Number.isInteger(v) && v > 0, `${what} must be a positive integer; got ${shown(v)}`);
  return v;
}

// The kernels compute in the network's dtype: a value that float32 rounds to 0 or to 1 would make
// the two backends disagree (the JS reference computes in float64), so it is refused for both.
const inDType = (v: number, dtype: DType): number => (dtype === 'float32' ? Math.fround(v) : v);

function inRange(v: unknown, lo: number, hi: number, what: string, dtype: DType): number {
  check(
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v < hi,
    `${what} must be in [${lo}, ${hi}); got ${shown(v)}`,
  );
  check(inDType(v, dtype) < hi, `${what} ${v} rounds to ${hi} in ${dtype}; use a value further from ${hi}`);
  return v;
}

// A value the dtype holds: a float32 network's kernels would compute with Infinity where the JS reference does not.
function fits(v: number, what: string, dtype: DType): number {
  check(Number.isFinite(inDType(v, dtype)), `${what} ${v} is beyond ${dtype}'s range; use a smaller value`);
  return v;
}

function positive(v: unknown, what: string, dtype: DType): number {
  check(typeof v === 'number' && Number.isFinite(v) && v > 0, `${what} must be a positive number; got ${shown(v)}`);
  check(inDType(v, dtype) > 0, `${what} ${v} rounds to 0 in ${dtype}; use a larger value`);
  return fits(v, what, dtype);
}

function nonNegative(v: unknown, what: string, dtype: DType): number {
  check(typeof v === 'number' && Number.isFinite(v) && v >= 0, `${what} must be a number >= 0; got ${shown(v)}`);
  return fits(v, what, dtype);
}

/** The optimizer option resolved against its descriptor: every hyper-parameter present, in range for the dtype. */
export function resolveOptimizer(opt: OptimizerOption, dtype: DType): OptimizerConfig {
  const o = typeof opt === 'string' ? { name: opt } : opt;
  check(typeof o === 'object' && o !== null, `optimizer must be a name or { name, ... }; got ${shown(opt)}`);
  const name = checkName(o.name, OPTIMIZER_NAMES, 'optimizer');
  const op = optimizerOp(name);
  checkKeys(o, ['name', ...op.hyperParams.map((p) => p.name)], `optimizer '${name}'`);
  const given = o as unknown as Record<string, unknown>;
  const hyperParams: Record<string, number> = {};
  for (const p of op.hyperParams) {
    // Left out means the default; null is a value, and refused.
    const what = `optimizer ${p.name}`,
      v = given[p.name] === undefined ? p.default : given[p.name];
    hyperParams[p.name] =
      p.range === 'unit'
        ? inRange(v, 0, 1, what, dtype)
        : p.range === 'positive'
          ? positive(v, what, dtype)
          : nonNegative(v, what, dtype);
  }
  return { name, hyperParams };
}

/**
 * The learning rate a schedule returns for an epoch, checked as a fixed one is, except that 0 is
 * allowed (an epoch without steps' effect, as a cosine schedule reaches its minimum of 0).
 */
export function scheduledRate(schedule: (epoch: number) => number, epoch: number, dtype: DType): number {
  const v = schedule(epoch);
  const what = `learningRate schedule at epoch ${epoch}: the rate`;
  check(typeof v === 'number' && Number.isFinite(v) && v >= 0, `${what} must be a number >= 0; got ${shown(v)}`);
  return v === 0 ? 0 : positive(v, what, dtype);
}

export function resolveFit(options: FitOptions, rows: number, dtype: DType, metric: Metric): ResolvedFit {
  check(typeof options === 'object' && options !== null && !Array.isArray(options), 'fit options must be an object');
  checkKeys(options, FIT_KEYS, 'fit');
  const optimizer = resolveOptimizer(options.optimizer ?? DEFAULT_OPTIMIZER, dtype);
  const rate = options.learningRate ?? optimizerOp(optimizer.name).defaultLearningRate;
  const schedule = typeof rate === 'function' ? rate : null;
  const learningRate = schedule ? NaN : positive(rate, 'learningRate', dtype);
  const shuffle = options.shuffle ?? true;
  check(typeof shuffle === 'boolean', `shuffle must be true or false; got ${shown(shuffle)}`);
  const v = options.validationData;
  if (v !== undefined) check(Array.isArray(v) && v.length === 2, 'validationData must be [x, y]');
  const cb = options.onEpochEnd;
  if (cb !== undefined && typeof cb !== 'function') throw new ValidationError('onEpochEnd must be a function');
  const epochs = positiveInteger(options.epochs ?? 1, 'epochs');
  const initialEpoch = options.initialEpoch ?? 0;
  check(
    Number.isInteger(initialEpoch) && initialEpoch >= 0 && initialEpoch < epochs,
    `initialEpoch must be an integer in [0, epochs) = [0, ${epochs}); got ${shown(initialEpoch)}`,
  );
  const earlyStopping =
    options.earlyStopping === undefined
      ? null
      : resolveEarlyStopping(
          options.earlyStopping,
          v !== undefined || options.validationSplit !== undefined,
          metric === 'mae',
        );
  return {
    initialEpoch,
    epochs,
    batchSize: Math.min(positiveInteger(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize'), rows),
    step: {
      learningRate,
      reduction: checkName(options.lossReduction ?? 'mean', ['sum', 'mean'] as const, 'lossReduction'),
      optimizer,
    },
    shuffle,
    validationData: v ?? null,
    schedule,
    earlyStopping,
    onEpochEnd: cb ?? null,
  };
}
