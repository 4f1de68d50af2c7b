// The JSON model format: { format, version, architecture, dtype, weights as base64 little-endian
// floats, and for checkpoints the training state }. Sizes are checked before anything is decoded.
// Version 2 states the architecture in the general form (inputShape and layer configs); version 1
// (layers as sizes, activation, output, dropout) is still read.
import { bytesPer } from '../util/float-array.js';
import { ModelFormatError, shown, ValidationError } from '../errors.js';
import { decodeFloats, encodeFloats } from './base64.js';
import { layerConfigs, parameterShapesOf, resolveArchitecture } from '../checks/options.js';
import {
  arrayLengths,
  arrayNames,
  assemble,
  checkFileKeys,
  checkFinite,
  checkTrainingHeader,
  TRAINING_KEYS,
  type ModelData,
  type TrainingState,
} from './model-data.js';
import type { DType, HiddenActivation, LayerOptions, LossName, ActivationName } from '../types.js';
import { LAYER_KINDS, type LayerConfig, type LayerType } from '../layers/index.js';

export const FORMAT = 'backprop-wasm';
export const VERSION = 2;

export interface ModelJSON {
  format: typeof FORMAT;
  version: number;
  /** The shape of one input row. */
  inputShape: number[];
  /** The layers in the general form, every option stated (as net.layers). */
  layers: LayerConfig[];
  loss: LossName;
  dtype: DType;
  seed: number;
  /** Per layer with parameters: W (inputs x outputs, row-major) and b, base64 of little-endian floats of dtype. */
  weights: { W: string; b: string }[];
  /** Checkpoints only: what resuming training needs. */
  training?: Omit<TrainingState, 'state'> & { state: string[][] };
}

/** A version 1 file (before the general form): still read by Network.fromJSON. */
export interface ModelJSONv1 extends Omit<ModelJSON, 'inputShape' | 'layers'> {
  layers: number[];
  activation: HiddenActivation[];
  output: ActivationName;
  /** Dropout rate of each hidden layer; present only when one is not 0. */
  dropout?: number[];
}

/** What `checkpoint()` returns: a model file whose training state is present. */
export type CheckpointJSON = ModelJSON & { training: NonNullable<ModelJSON['training']> };

type ArchHeader = Pick<ModelJSON, 'inputShape' | 'layers' | 'loss' | 'dtype' | 'seed'>;

/** The architecture part shared by the JSON and binary headers (version 2). */
export function archHeader(arch: ModelData['arch']): ArchHeader {
  return {
    inputShape: [...arch.inputShape],
    layers: layerConfigs(arch).map((c) => ({ ...c })),
    loss: arch.loss,
    dtype: arch.dtype,
    seed: arch.seed,
  };
}

/** Fields of the architecture, in the JSON and binary headers alike, by version (version 1: and an optional 'dropout'). */
export const ARCH_KEYS: Record<number, readonly string[]> = {
  1: ['layers', 'activation', 'output', 'loss', 'dtype', 'seed'],
  2: ['inputShape', 'layers', 'loss', 'dtype', 'seed'],
};
/** Fields a header of that version may have beside ARCH_KEYS. */
export const OPTIONAL_KEYS: Record<number, readonly string[]> = { 1: ['dropout'], 2: [] };

/** Checks the architecture fields of a JSON or binary header of the given version. */
export function parseArchHeader(o: Record<string, unknown>, version: number, what: string): ModelData['arch'] {
  // A file states every field: defaults are for Network.create, never for a file (null is not a value either).
  for (const key of ARCH_KEYS[version]!) {
    if (o[key] === undefined) throw new ModelFormatError(`${what}: '${key}' is missing`);
    if (o[key] === null) throw new ModelFormatError(`${what}: '${key}' is null; a model file states every field`);
  }
  try {
    if (version === 2) {
      // A version 2 file states each layer's options in full: no default fills a gap.
      if (Array.isArray(o.layers)) {
        o.layers.forEach((l: unknown, i) => {
          if (
            typeof l === 'object' &&
            l !== null &&
            !Array.isArray(l) &&
            typeof (l as { type?: unknown }).type === 'string' &&
            Object.hasOwn(LAYER_KINDS, (l as { type: string }).type)
          ) {
            const missing = Object.keys(LAYER_KINDS[(l as { type: LayerType }).type].defaults).find(
              (k) => (l as Record<string, unknown>)[k] === undefined,
            );
            if (missing) throw new ValidationError(`layers[${i}]: '${missing}' is missing`);
          }
        });
      }
      const { backend: _b, ...arch } = resolveArchitecture({
        inputShape: o.inputShape as number[],
        layers: o.layers as LayerOptions[],
        loss: o.loss as LossName,
        dtype: o.dtype as DType,
        seed: o.seed as number,
      });
      return arch;
    }
    if (o.dropout === null) throw new ValidationError("'dropout' is null; leave it out for no dropout");
    if (o.dropout !== undefined && !Array.isArray(o.dropout))
      throw new ValidationError("'dropout' must list one rate per hidden layer");
    if (Array.isArray(o.layers) && o.layers.some((l) => typeof l === 'object'))
      throw new ValidationError('version 1 lists layers as sizes');
    const { backend: _b, ...arch } = resolveArchitecture({
      layers: o.layers as number[],
      activation: o.activation as HiddenActivation[],
      output: o.output as ActivationName,
      loss: o.loss as LossName,
      dtype: o.dtype as DType,
      seed: o.seed as number,
      ...(o.dropout ? { dropout: o.dropout as number[] } : {}),
    });
    return arch;
  } catch (e) {
    if (e instanceof ValidationError) throw new ModelFormatError(`${what}: ${e.message}`);
    throw e;
  }
}

/** The versions this library reads. */
export const READ_VERSIONS = [1, 2];

export function encodeJsonModel(m: ModelData): ModelJSON {
  const json: ModelJSON = {
    format: FORMAT,
    version: VERSION,
    ...archHeader(m.arch),
    weights: m.weights.map(({ W, b }) => ({ W: encodeFloats(W), b: encodeFloats(b) })),
  };
  if (m.training) {
    const { state, ...rest } = m.training;
    json.training = { ...rest, state: state.map((layer) => layer.map(encodeFloats)) };
  }
  return json;
}

const WHAT = 'model JSON';
function fail(message: string): never {
  throw new ModelFormatError(`${WHAT}: ${message}`);
}

/** Parses and checks a model (object or JSON text). */
export function decodeJsonModel(json: unknown): ModelData {
  let m: unknown = json;
  if (typeof json === 'string') {
    try {
      m = JSON.parse(json);
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('expected an object');
  const o = m as Partial<ModelJSON>;
  if (o.format !== FORMAT) fail(`format is ${shown(o.format)}, expected '${FORMAT}'`);
  if (!READ_VERSIONS.includes(o.version as number))
    fail(`version ${shown(o.version)} is not supported (this library reads versions ${READ_VERSIONS.join(' and ')})`);
  checkFileKeys(
    m,
    ['format', 'version', ...ARCH_KEYS[o.version!]!, ...OPTIONAL_KEYS[o.version!]!, 'weights', 'training'],
    '',
    WHAT,
  );
  const arch = parseArchHeader(m as Record<string, unknown>, o.version!, WHAT);
  const L = parameterShapesOf(arch).length;
  if (!Array.isArray(o.weights) || o.weights.length !== L) fail(`weights must list ${L} layers`);
  const training = o.training === undefined ? null : checkTrainingHeader(o.training, WHAT, TRAINING_KEYS);
  const texts: unknown[] = [];
  for (let l = 0; l < L; l++) {
    const w: unknown = o.weights[l];
    if (typeof w !== 'object' || w === null || Array.isArray(w)) fail(`weights[${l}] must be { W, b }`);
    checkFileKeys(w, ['W', 'b'], `weights[${l}].`, WHAT);
    texts.push((w as { W: unknown }).W, (w as { b: unknown }).b);
  }
  if (training) {
    const st = o.training!.state;
    if (!Array.isArray(st) || st.length !== L) fail(`training.state must list ${L} layers`);
    for (let l = 0; l < L; l++) {
      const layer: unknown = st[l];
      if (!Array.isArray(layer)) fail(`training.state[${l}] must be an array of base64 strings`);
      for (let k = 0; k < layer.length; k++) texts.push(layer[k]);
    }
  }
  const lengths = arrayLengths(arch, training?.optimizer ?? null);
  const names = arrayNames(arch, training?.optimizer ?? null);
  if (texts.length !== lengths.length)
    fail(
      `training.state holds ${texts.length - 2 * L} arrays, expected ${lengths.length - 2 * L} for '${training!.optimizer}'`,
    );
  const size = bytesPer(arch.dtype);
  // The length of each base64 text is checked against the architecture before anything is decoded.
  const arrays = texts.map((t, i) => {
    const expected = 4 * Math.ceil((lengths[i]! * size) / 3);
    if (typeof t !== 'string') fail(`${names[i]} must be a base64 string`);
    if (t.length !== expected)
      fail(
        `${names[i]} holds ${t.length} base64 characters, expected ${expected} for ${lengths[i]} ${arch.dtype} values`,
      );
    return decodeFloats(t, arch.dtype, `${WHAT}: ${names[i]}`);
  });
  checkFinite(arrays, names, WHAT);
  return assemble(arch, arrays, training);
}
