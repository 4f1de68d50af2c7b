// A saved network in memory: architecture, parameters and, for checkpoints, the training state.
// The JSON and binary formats both encode this, and both run its checks before a network is built.
import { ModelFormatError, shown, shownText } from '../errors.js';
import { parameterShapesOf, type Architecture } from '../checks/options.js';
import { OPTIMIZER_NAMES, stateSlots } from '../ops/optimizers.js';
import type { FloatArray, OptimizerName } from '../types.js';

export interface TrainingState {
  optimizer: OptimizerName;
  /** Optimizer steps taken (Adam's t). */
  steps: number;
  /** Epochs trained so far: fit's initialEpoch when resuming. */
  epochs: number;
  /** The shuffle generator's state (four uint32). */
  shuffleState: number[];
  /** Per layer: [s1W, s1b, s2W, s2b] for Adam (m, v), [s1W, s1b] for momentum, [] for sgd. */
  state: FloatArray[][];
}

export interface ModelData {
  arch: Omit<Architecture, 'backend'>;
  /** W and b of each layer with parameters (the optimizer's hyper-parameters are never called weights). */
  weights: { W: FloatArray; b: FloatArray }[];
  training?: TrainingState;
}

/** Element counts of each array, in order: W and b of every layer, then each layer's state slots. */
export function arrayLengths(arch: ModelData['arch'], optimizer: OptimizerName | null): number[] {
  const out: number[] = [];
  const params = parameterShapesOf(arch).map(({ W, b }) => [W.reduce((a, v) => a * v, 1), b[0]!]);
  for (const sizes of params) out.push(...sizes);
  if (optimizer) {
    for (const sizes of params) {
      for (let s = 0; s < stateSlots(optimizer); s++) out.push(sizes[s % 2]!);
    }
  }
  return out;
}

function fail(what: string, message: string): never {
  throw new ModelFormatError(`${what}: ${message}`);
}

/** A file states only fields this version knows: an unknown key is a typo or a newer format, never ignored. */
export function checkFileKeys(obj: object, allowed: readonly string[], where: string, what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      fail(
        what,
        `unknown field '${where}${shownText(key)}' (this version knows ${allowed.map((k) => `'${k}'`).join(', ')})`,
      );
  }
}

/** Fields of the training header, as the JSON format stores it (the binary header has all but 'state'). */
export const TRAINING_KEYS = ['optimizer', 'steps', 'epochs', 'shuffleState', 'state'] as const;

/** Checks the training header fields (everything but the arrays). */
export function checkTrainingHeader(t: unknown, what: string, keys: readonly string[]): Omit<TrainingState, 'state'> {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) fail(what, 'training must be an object');
  checkFileKeys(t, keys, 'training.', what);
  const o = t as Partial<TrainingState>;
  if (typeof o.optimizer !== 'string' || !(OPTIMIZER_NAMES as readonly string[]).includes(o.optimizer))
    fail(what, `training.optimizer ${shown(o.optimizer)} is not one of ${OPTIMIZER_NAMES.join(', ')}`);
  for (const k of ['steps', 'epochs'] as const) {
    if (!Number.isSafeInteger(o[k]) || o[k]! < 0)
      fail(what, `training.${k} must be a non-negative integer; got ${shown(o[k])}`);
  }
  const s = o.shuffleState;
  if (!Array.isArray(s) || s.length !== 4 || !s.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)) {
    fail(what, 'training.shuffleState must be four uint32 values');
  }
  return { optimizer: o.optimizer, steps: o.steps!, epochs: o.epochs!, shuffleState: s };
}

/** Every value finite; throws naming the array and index. */
export function checkFinite(arrays: FloatArray[], names: string[], what: string): void {
  arrays.forEach((a, i) => {
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(what, `${names[i]}[${bad}] is ${a[bad]}, not finite`);
  });
}

/** Names of the arrays in arrayLengths order, for messages. */
export function arrayNames(arch: ModelData['arch'], optimizer: OptimizerName | null): string[] {
  const out: string[] = [];
  const L = parameterShapesOf(arch).length;
  for (let l = 0; l < L; l++) out.push(`weights[${l}].W`, `weights[${l}].b`);
  if (optimizer) {
    for (let l = 0; l < L; l++) {
      for (let s = 0; s < stateSlots(optimizer); s++) out.push(`training.state[${l}][${s}]`);
    }
  }
  return out;
}

/** Splits arrays in arrayLengths order into parameters and per-layer state. */
export function assemble(
  arch: ModelData['arch'],
  arrays: FloatArray[],
  training: Omit<TrainingState, 'state'> | null,
): ModelData {
  const L = parameterShapesOf(arch).length;
  const weights = Array.from({ length: L }, (_, l) => ({ W: arrays[2 * l]!, b: arrays[2 * l + 1]! }));
  if (!training) return { arch, weights };
  const slots = stateSlots(training.optimizer);
  const state = Array.from({ length: L }, (_, l) => arrays.slice(2 * L + l * slots, 2 * L + (l + 1) * slots));
  return { arch, weights, training: { ...training, state } };
}
