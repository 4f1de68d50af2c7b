// Validation and defaults of Network.create options (architecture). Errors name the option and value.
import { check, oneOf, shown, ValidationError } from '../errors.js';
import { dropoutThreshold } from '../ops/dropout.js';
import {
  ACTIVATIONS,
  activationOp,
  HIDDEN_ACTIVATIONS,
  OUTPUT_ACTIVATIONS,
  type ActivationName,
} from '../ops/activations.js';
import { LOSS_NAMES, lossOp, type LossName } from '../ops/losses.js';
import type { BackendName, DType, HiddenActivation, NetworkOptions } from '../types.js';
import {
  lowerLayers,
  parameterShapes,
  raiseLayers,
  type LayerConfig,
  type Shape,
  type SpatialConfig,
} from '../layers/index.js';

export const DTYPES: readonly DType[] = ['float32', 'float64'];
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];
const CREATE_KEYS = [
  'layers',
  'inputShape',
  'activation',
  'output',
  'loss',
  'dtype',
  'backend',
  'seed',
  'weights',
  'memoryLimit',
  'dropout',
  'threads',
];

/** A random uint32 from the platform's cryptographic generator (Node and browsers alike). */
function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** The architecture after defaults: one activation per layer, the last being the output's. */
export interface Architecture {
  layers: number[];
  activations: ActivationName[];
  loss: LossName;
  dtype: DType;
  backend: BackendName;
  seed: number;
  /** Dropout rate of each hidden layer (0: none). */
  dropout: number[];
  /** The shape of one input row: [layers[0]], or an image [h, w, c] for a network that starts with image layers. */
  inputShape: number[];
  /** The image layers before the dense ones (conv2d, poolings, flatten), in order; [] for a network of dense layers. */
  spatial: SpatialConfig[];
}

export function checkKeys(obj: object, allowed: readonly string[], where: string): void {
  // for-in, not Object.keys: predict checks its options on a path that must not allocate.
  for (const key in obj) {
    if (!allowed.includes(key))
      throw new ValidationError(`${where}: unknown option '${key}' (valid: ${oneOf(allowed)})`);
  }
}

/** An optional options object: undefined, or a plain object with only `allowed` keys (null, arrays and primitives are refused). */
export function checkOptions<T extends object>(
  obj: T | undefined,
  allowed: readonly string[],
  where: string,
): Partial<T> {
  if (obj === undefined) return {};
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ValidationError(
      `${where} options must be an object or left out; got ${obj === null ? 'null' : Array.isArray(obj) ? 'an array' : shown(obj)}`,
    );
  }
  checkKeys(obj, allowed, where);
  return obj;
}

export function checkName<T extends string>(value: unknown, valid: readonly T[], what: string): T {
  if (typeof value !== 'string' || !valid.includes(value as T)) {
    throw new ValidationError(`${what} ${shown(value)} is not one of ${oneOf(valid)}`);
  }
  return value as T;
}

// Indexed loops, not forEach/map: those skip the holes of sparse arrays ([2, , 1]).
function checkLayers(layers: unknown): number[] {
  check(Array.isArray(layers), `layers must be an array of layer sizes, like [2, 3, 2]; got ${shown(layers)}`);
  check(layers.length >= 2, `layers needs at least an input and an output size; got ${shown(layers)}`);
  const out: number[] = [];
  for (let i = 0; i < layers.length; i++) {
    const n: unknown = layers[i];
    check(
      typeof n === 'number' && Number.isInteger(n) && n > 0,
      `layers[${i}] must be a positive integer; got ${n === undefined ? 'a hole' : shown(n)}`,
    );
    out.push(n);
  }
  return out;
}

function checkActivations(activation: unknown, hidden: number): ActivationName[] {
  // One name for every hidden layer is checked even when there are none ({ layers: [2, 1], activation: 'bogus' }).
  if (!Array.isArray(activation) && hidden === 0) checkName(activation, HIDDEN_ACTIVATIONS, 'activation');
  const list: unknown[] = Array.isArray(activation) ? activation : Array.from({ length: hidden }, () => activation);
  check(list.length === hidden, `activation lists ${list.length} names but the network has ${hidden} hidden layer(s)`);
  const out: ActivationName[] = [];
  for (let i = 0; i < hidden; i++) {
    const a = list[i];
    if (ACTIVATIONS.some((op) => op.name === a && op.kind === 'row'))
      throw new ValidationError(
        `activation of hidden layer ${i}: '${String(a)}' is allowed only as the output activation`,
      );
    out.push(checkName(a, HIDDEN_ACTIVATIONS, `activation of hidden layer ${i}:`));
  }
  return out;
}

/** Dropout rates: one for every hidden layer, or one per hidden layer, each in [0, 1). */
export function checkDropout(dropout: unknown, hidden: number): number[] {
  check(
    hidden > 0 || dropout === 0 || (Array.isArray(dropout) && dropout.length === 0),
    'dropout applies to hidden layers, and this network has none; leave dropout out',
  );
  const list: unknown[] = Array.isArray(dropout) ? dropout : Array.from({ length: hidden }, () => dropout);
  check(list.length === hidden, `dropout lists ${list.length} rates but the network has ${hidden} hidden layer(s)`);
  const out: number[] = [];
  for (let i = 0; i < hidden; i++) {
    const r = list[i];
    check(
      typeof r === 'number' && Number.isFinite(r) && r >= 0 && r < 1,
      `dropout of hidden layer ${i} must be a rate in [0, 1); got ${r === undefined ? 'a hole' : shown(r)}`,
    );
    // The kernels apply rates in steps of 2^-24: a rate that rounds to 0 or to 1 would do nothing, or drop every unit.
    const threshold = dropoutThreshold(r);
    check(
      r === 0 || (threshold > 0 && threshold < 2 ** 24),
      `dropout of hidden layer ${i}: ${r} rounds to ${threshold === 0 ? 0 : 1} in the 2^-24 steps dropout uses; use 0 for none, or a rate in [6e-8, 0.99999994]`,
    );
    out.push(r);
  }
  return out;
}

/** Layers as objects (or an inputShape): the general form. */
function isGeneralForm(options: NetworkOptions): boolean {
  return (
    options.inputShape !== undefined ||
    (Array.isArray(options.layers) &&
      (options.layers as unknown[]).some((l) => typeof l === 'object' && l !== null && !Array.isArray(l)))
  );
}

/** The general form: its dense records as the compact form (checked then as the compact form is), with its image layers. */
function generalForm(options: NetworkOptions): Architecture {
  for (const key of ['activation', 'output', 'dropout'] as const) {
    check(
      options[key] === undefined,
      `${key} is an option of layers as sizes; with layers as objects, give each dense layer its activation and add dropout layers`,
    );
  }
  const { records } = lowerLayers(options.inputShape, options.layers);
  const { inputShape, ...rest } = options;
  const arch = resolveArchitecture({
    ...rest,
    layers: records.sizes,
    activation: records.activations.slice(0, -1) as HiddenActivation[],
    output: records.activations.at(-1)!,
    dropout: records.dropout,
  });
  return { ...arch, inputShape: [...inputShape!], spatial: records.spatial };
}

/** The option's value, or the default when it is left out (undefined). null is a value, and is refused by the checks. */
const given = <T>(v: T | undefined, fallback: T): T => (v === undefined ? fallback : v);

export function resolveArchitecture(options: NetworkOptions): Architecture {
  check(typeof options === 'object' && options !== null, 'Network.create needs an options object');
  checkKeys(options, CREATE_KEYS, 'Network.create');
  if (isGeneralForm(options)) return generalForm(options);
  check(
    options.inputShape === undefined,
    "inputShape goes with layers as objects ({ type: 'dense', units }); with layers as sizes, the first size is the input",
  );
  const layers = checkLayers(options.layers);
  const hidden = checkActivations(given<unknown>(options.activation, 'sigmoid'), layers.length - 2);
  const output = checkName(given<unknown>(options.output, 'sigmoid'), OUTPUT_ACTIVATIONS, 'output');
  const loss = checkName(given<unknown>(options.loss, 'mse'), LOSS_NAMES, 'loss');
  const outputs = layers[layers.length - 1]!;
  check(
    activationOp(output).kind !== 'row' || outputs >= 2,
    `output '${output}' needs at least 2 output units; layers end in ${outputs}`,
  );
  const pairs = lossOp(loss).outputs;
  check(
    pairs === null || pairs.includes(output),
    `loss '${loss}' needs output ${pairs?.map((o) => `'${o}'`).join(' or ')}; got '${output}'`,
  );
  // Left out, the seed is drawn at random once; the network reports it (net.seed) and files store it, so a run can be repeated.
  const seed = given<unknown>(options.seed, randomSeed());
  check(typeof seed === 'number' && Number.isInteger(seed), `seed must be an integer; got ${shown(seed)}`);
  return {
    layers,
    activations: [...hidden, output],
    loss,
    dtype: checkName(given<unknown>(options.dtype, 'float32'), DTYPES, 'dtype'),
    backend: checkName(given<unknown>(options.backend, 'wasm'), BACKENDS, 'backend'),
    seed,
    dropout: checkDropout(given<unknown>(options.dropout, 0), layers.length - 2),
    inputShape: [layers[0]!],
    spatial: [],
  };
}

/** The architecture in the general form, every option stated (net.layers, model files). */
export const layerConfigs = (
  arch: Pick<Architecture, 'layers' | 'activations' | 'dropout' | 'spatial'>,
): LayerConfig[] => raiseLayers(arch.layers, arch.activations, arch.dropout, arch.spatial);

/** W and b shapes of each layer with parameters, in order (conv layers, then dense): getWeights' order, model files' arrays. */
export const parameterShapesOf = (
  arch: Pick<Architecture, 'layers' | 'activations' | 'dropout' | 'spatial' | 'inputShape'>,
): { W: Shape; b: Shape }[] => parameterShapes(arch.inputShape, layerConfigs(arch));

/** What the size checks count: the layer sizes of a dense network (named so in messages), else every layer's parameter shapes. */
export const sizedLayers = (arch: Architecture | Omit<Architecture, 'backend'>): number[] | { W: Shape; b: Shape }[] =>
  arch.spatial.length ? parameterShapesOf(arch) : arch.layers;
