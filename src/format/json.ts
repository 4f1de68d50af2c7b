// The JSON model format: { format, version, architecture, dtype, weights as base64 little-endian
// floats, and for checkpoints the training state }. Sizes are checked before anything is decoded.
import { bytesPer } from '../util/float-array.js';
import { ModelFormatError, shown, ValidationError } from '../errors.js';
import { decodeFloats, encodeFloats } from './base64.js';
import { resolveArchitecture } from '../checks/options.js';
import { arrayLengths, arrayNames, assemble, checkFileKeys, checkFinite, checkTrainingHeader, TRAINING_KEYS, type ModelData, type TrainingState } from './model-data.js';
import type { DType, HiddenActivation, LossName, OutputActivation } from '../types.js';

export const FORMAT = 'backprop-wasm';
export const VERSION = 1;

export interface ModelJSON {
  format: typeof FORMAT;
  version: number;
  layers: number[];
  activation: HiddenActivation[];
  output: OutputActivation;
  loss: LossName;
  dtype: DType;
  seed: number;
  /** Dropout rate of each hidden layer; present only when one is not 0. */
  dropout?: number[];
  /** Per layer: W (inputs x outputs, row-major) and b, base64 of little-endian floats of dtype. */
  weights: { W: string; b: string }[];
  /** Checkpoints only: what resuming training needs. */
  training?: Omit<TrainingState, 'state'> & { state: string[][] };
}

/** What `checkpoint()` returns: a model file whose training state is present. */
export type CheckpointJSON = ModelJSON & { training: NonNullable<ModelJSON['training']> };

/** The architecture part shared by the JSON and binary headers. */
export function archHeader(arch: ModelData['arch']): Pick<ModelJSON, 'layers' | 'activation' | 'output' | 'loss' | 'dtype' | 'seed' | 'dropout'> {
  return {
    layers: [...arch.layers],
    activation: arch.activations.slice(0, -1) as HiddenActivation[],
    output: arch.activations[arch.activations.length - 1]!,
    loss: arch.loss,
    dtype: arch.dtype,
    seed: arch.seed,
    // Files without dropout stay as they were before dropout existed.
    ...(arch.dropout.some((r) => r > 0) ? { dropout: [...arch.dropout] } : {}),
  };
}

/** Fields of the architecture, in the JSON and binary headers alike. */
export const ARCH_KEYS = ['layers', 'activation', 'output', 'loss', 'dtype', 'seed'] as const;

/** Checks the architecture fields of a JSON or binary header. */
export function parseArchHeader(o: Partial<ModelJSON>, what: string): ModelData['arch'] {
  // A file states every field: defaults are for Network.create, never for a file (null is not a value either).
  for (const key of ARCH_KEYS) {
    if (o[key] === undefined) throw new ModelFormatError(`${what}: '${key}' is missing`);
    if (o[key] === null) throw new ModelFormatError(`${what}: '${key}' is null; a model file states every field`);
  }
  try {
    if (o.dropout === null) throw new ValidationError("'dropout' is null; leave it out for no dropout");
    if (o.dropout !== undefined && !Array.isArray(o.dropout)) throw new ValidationError("'dropout' must list one rate per hidden layer");
    const { backend: _b, ...arch } = resolveArchitecture({
      layers: o.layers!, activation: o.activation!, output: o.output!, loss: o.loss!, dtype: o.dtype!, seed: o.seed!, ...(o.dropout ? { dropout: o.dropout } : {}),
    });
    return arch;
  } catch (e) {
    if (e instanceof ValidationError) throw new ModelFormatError(`${what}: ${e.message}`);
    throw e;
  }
}

export function encodeJsonModel(m: ModelData): ModelJSON {
  const json: ModelJSON = {
    format: FORMAT, version: VERSION, ...archHeader(m.arch),
    weights: m.params.map(({ W, b }) => ({ W: encodeFloats(W), b: encodeFloats(b) })),
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
    try { m = JSON.parse(json); } catch (e) { fail(`not valid JSON (${(e as Error).message})`); }
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('expected an object');
  checkFileKeys(m, ['format', 'version', ...ARCH_KEYS, 'dropout', 'weights', 'training'], '', WHAT);
  const o = m as Partial<ModelJSON>;
  if (o.format !== FORMAT) fail(`format is ${shown(o.format)}, expected '${FORMAT}'`);
  if (o.version !== VERSION) fail(`version ${shown(o.version)} is not supported (this library reads version ${VERSION})`);
  const arch = parseArchHeader(o, WHAT);
  const L = arch.layers.length - 1;
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
  const lengths = arrayLengths(arch.layers, training?.optimizer ?? null);
  const names = arrayNames(arch.layers, training?.optimizer ?? null);
  if (texts.length !== lengths.length) fail(`training.state holds ${texts.length - 2 * L} arrays, expected ${lengths.length - 2 * L} for '${training!.optimizer}'`);
  const size = bytesPer(arch.dtype);
  // The length of each base64 text is checked against the architecture before anything is decoded.
  const arrays = texts.map((t, i) => {
    const expected = 4 * Math.ceil((lengths[i]! * size) / 3);
    if (typeof t !== 'string') fail(`${names[i]} must be a base64 string`);
    if (t.length !== expected) fail(`${names[i]} holds ${t.length} base64 characters, expected ${expected} for ${lengths[i]} ${arch.dtype} values`);
    return decodeFloats(t, arch.dtype, `${WHAT}: ${names[i]}`);
  });
  checkFinite(arrays, names, WHAT);
  return assemble(arch, arrays, training);
}
