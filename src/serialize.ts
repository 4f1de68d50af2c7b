// The JSON model format: { format, version, architecture, dtype, weights as base64 little-endian floats }.
import { ModelFormatError, ValidationError } from './errors.js';
import { decodeFloats, encodeFloats } from './base64.js';
import { resolveArchitecture, type Architecture } from './options.js';
import type { DType, FloatArray, HiddenActivation, LossName, OutputActivation } from './types.js';

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
  /** Per layer: W (inputs x outputs, row-major) and b, base64 of little-endian floats of dtype. */
  weights: { W: string; b: string }[];
}

export function encodeModel(arch: Architecture, params: { W: FloatArray; b: FloatArray }[]): ModelJSON {
  return {
    format: FORMAT,
    version: VERSION,
    layers: [...arch.layers],
    activation: arch.activations.slice(0, -1) as HiddenActivation[],
    output: arch.activations[arch.activations.length - 1]!,
    loss: arch.loss,
    dtype: arch.dtype,
    seed: arch.seed,
    weights: params.map(({ W, b }) => ({ W: encodeFloats(W), b: encodeFloats(b) })),
  };
}

function fail(message: string): never {
  throw new ModelFormatError(`model JSON: ${message}`);
}

/** Parses and checks a model (object or JSON text); returns its architecture and parameters. */
export function decodeModel(json: unknown): { arch: Omit<Architecture, 'backend'>; params: { W: FloatArray; b: FloatArray }[] } {
  let m: unknown = json;
  if (typeof json === 'string') {
    try { m = JSON.parse(json); } catch (e) { fail(`not valid JSON (${(e as Error).message})`); }
  }
  if (typeof m !== 'object' || m === null) fail('expected an object');
  const o = m as Partial<ModelJSON>;
  if (o.format !== FORMAT) fail(`format is ${JSON.stringify(o.format)}, expected '${FORMAT}'`);
  if (o.version !== VERSION) fail(`version ${JSON.stringify(o.version)} is not supported (this library reads version ${VERSION})`);
  let arch: Architecture;
  try {
    arch = resolveArchitecture({ layers: o.layers!, activation: o.activation!, output: o.output!, loss: o.loss!, dtype: o.dtype!, seed: o.seed! });
  } catch (e) {
    if (e instanceof ValidationError) fail(e.message);
    throw e;
  }
  const L = arch.layers.length - 1;
  if (!Array.isArray(o.weights) || o.weights.length !== L) fail(`weights must list ${L} layers`);
  const params = o.weights.map((w, l) => {
    const inputs = arch.layers[l]!, outputs = arch.layers[l + 1]!;
    const W = decodeFloats(w?.W, arch.dtype, `weights[${l}].W`);
    const b = decodeFloats(w?.b, arch.dtype, `weights[${l}].b`);
    if (W.length !== inputs * outputs) fail(`weights[${l}].W holds ${W.length} values, expected ${inputs} x ${outputs}`);
    if (b.length !== outputs) fail(`weights[${l}].b holds ${b.length} values, expected ${outputs}`);
    for (const [name, a] of [['W', W], ['b', b]] as const) {
      const bad = a.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) fail(`weights[${l}].${name}[${bad}] is ${a[bad]}, not finite`);
    }
    return { W, b };
  });
  const { backend: _unused, ...rest } = arch;
  return { arch: rest, params };
}
