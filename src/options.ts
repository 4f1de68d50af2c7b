// Validation and defaults of Network.create options (architecture). Errors name the option and value.
import { check, oneOf, ValidationError } from './errors.js';
import type { BackendName, DType, HiddenActivation, LossName, NetworkOptions, OutputActivation } from './types.js';

export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = [...HIDDEN_ACTIVATIONS, 'softmax'];
export const LOSSES: readonly LossName[] = ['mse', 'crossEntropy'];
export const DTYPES: readonly DType[] = ['float32', 'float64'];
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];
const CREATE_KEYS = ['layers', 'activation', 'output', 'loss', 'dtype', 'backend', 'seed', 'weights', 'memoryLimit'];

/** The architecture after defaults: one activation per layer, the last being the output's. */
export interface Architecture {
  layers: number[];
  activations: OutputActivation[];
  loss: LossName;
  dtype: DType;
  backend: BackendName;
  seed: number;
}

export function checkKeys(obj: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ValidationError(`${where}: unknown option '${key}' (valid: ${oneOf(allowed)})`);
  }
}

export function checkName<T extends string>(value: unknown, valid: readonly T[], what: string): T {
  if (typeof value !== 'string' || !valid.includes(value as T)) {
    throw new ValidationError(`${what} ${JSON.stringify(value)} is not one of ${oneOf(valid)}`);
  }
  return value as T;
}

function checkLayers(layers: unknown): number[] {
  check(Array.isArray(layers), `layers must be an array of layer sizes, like [2, 3, 2]; got ${JSON.stringify(layers)}`);
  check(layers.length >= 2, `layers needs at least an input and an output size; got ${JSON.stringify(layers)}`);
  layers.forEach((n, i) => {
    check(typeof n === 'number' && Number.isInteger(n) && n > 0,
      `layers[${i}] must be a positive integer; got ${JSON.stringify(n)}`);
  });
  return layers as number[];
}

function checkActivations(activation: unknown, hidden: number): OutputActivation[] {
  const list = Array.isArray(activation) ? activation : Array.from({ length: hidden }, () => activation);
  check(list.length === hidden,
    `activation lists ${list.length} names but the network has ${hidden} hidden layer(s)`);
  return list.map((a, i) => {
    if (a === 'softmax') throw new ValidationError(`activation of hidden layer ${i}: 'softmax' is allowed only as the output activation`);
    return checkName(a, HIDDEN_ACTIVATIONS, `activation of hidden layer ${i}:`);
  });
}

export function resolveArchitecture(options: NetworkOptions): Architecture {
  check(typeof options === 'object' && options !== null, 'Network.create needs an options object');
  checkKeys(options, CREATE_KEYS, 'Network.create');
  const layers = checkLayers(options.layers);
  const hidden = checkActivations(options.activation ?? 'sigmoid', layers.length - 2);
  const output = checkName(options.output ?? 'sigmoid', OUTPUT_ACTIVATIONS, 'output');
  const loss = checkName(options.loss ?? 'mse', LOSSES, 'loss');
  const outputs = layers[layers.length - 1]!;
  check(output !== 'softmax' || outputs >= 2, `output 'softmax' needs at least 2 output units; layers end in ${outputs}`);
  check(loss !== 'crossEntropy' || output === 'softmax' || output === 'sigmoid',
    `loss 'crossEntropy' needs output 'softmax' or 'sigmoid'; got '${output}'`);
  const seed = options.seed ?? 1;
  check(typeof seed === 'number' && Number.isInteger(seed), `seed must be an integer; got ${JSON.stringify(seed)}`);
  return {
    layers,
    activations: [...hidden, output],
    loss,
    dtype: checkName(options.dtype ?? 'float32', DTYPES, 'dtype'),
    backend: checkName(options.backend ?? 'wasm', BACKENDS, 'backend'),
    seed,
  };
}
