// What toONNX and toLayersModel add to the network so the file takes raw rows and names its classes:
// the feature standardization folded into the first layer, a regression target's into the last, and
// class names stored as metadata. Checked here once for both formats; the folding is computed in
// float64, and each writer rounds it once to its file's dtype.
import { ModelFormatError, ValidationError } from '../index.js';
import type { LayerWeights, ActivationName } from '../index.js';
import { shown } from '../internal.js';
import { checkOptions } from './common.js';

/** A per-column standardization: a column's raw value x stands for (x - mean) / std. */
export interface Scale {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

/** The options toONNX and toLayersModel / saveLayersModel share. */
export interface ExportOptions {
  /**
   * The standardization the network was trained on, one mean and std per input feature: the file
   * takes raw rows and computes (x - mean) / std itself (folded into the first layer's weights).
   */
  inputScale?: Scale;
  /**
   * For a linear (regression) output trained on standardized targets, one mean and std per output:
   * the file predicts y' * std + mean, in the target's own units (folded into the last layer).
   */
  outputScale?: Scale;
  /** Class names in output order (softmax or sigmoid output), stored in the file's metadata. */
  classNames?: readonly string[];
}

/** The metadata key under which the class names are stored (ONNX metadata_props, tfjs userDefinedMetadata). */
export const CLASS_NAMES_KEY = 'classNames';
export const EXPORT_OPTIONS = ['inputScale', 'outputScale', 'classNames'] as const;

interface Checked {
  inputScale: { mean: Float64Array; std: Float64Array } | null;
  outputScale: { mean: Float64Array; std: Float64Array } | null;
  classNames: string[] | null;
}

/** A list of exactly `n` values copied out once (a getter cannot change them after the check). */
function list(v: unknown, n: number, name: string, what: string, unit: string): unknown[] {
  const isList = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isList) throw new ValidationError(`${what}: ${name} must be an array of ${n} ${unit}; got ${shown(v)}`);
  const len = (v as ArrayLike<unknown>).length;
  if (len !== n) throw new ValidationError(`${what}: ${name} has ${len} values; the network has ${n} ${unit}`);
  return Array.from({ length: n }, (_, i) => (v as ArrayLike<unknown>)[i]);
}

function scale(
  v: unknown,
  n: number,
  name: string,
  what: string,
  unit: string,
): { mean: Float64Array; std: Float64Array } {
  const o = checkOptions(v, ['mean', 'std'], `${what}: ${name}`);
  if (v === undefined || o.mean === undefined || o.std === undefined) {
    throw new ValidationError(
      `${what}: ${name} must be { mean, std }, each an array of ${n} numbers (one per ${unit.replace(/s$/, '')})`,
    );
  }
  const mean = list(o.mean, n, `${name}.mean`, what, unit),
    std = list(o.std, n, `${name}.std`, what, unit);
  mean.forEach((m, i) => {
    if (typeof m !== 'number' || !Number.isFinite(m))
      throw new ValidationError(`${what}: ${name}.mean[${i}] must be a finite number; got ${shown(m)}`);
  });
  std.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      throw new ValidationError(`${what}: ${name}.std[${i}] must be a finite number greater than 0; got ${shown(s)}`);
    }
  });
  return { mean: Float64Array.from(mean as number[]), std: Float64Array.from(std as number[]) };
}

/** Checks inputScale, outputScale and classNames against the network (options already free of unknown keys). */
export function checkExportOptions(
  o: Record<string, unknown>,
  layers: readonly number[],
  output: ActivationName,
  what: string,
  image = false,
): Checked {
  const inputs = layers[0]!,
    outputs = layers[layers.length - 1]!;
  if (image && o.inputScale !== undefined) {
    throw new ValidationError(
      `${what}: inputScale folds into a first dense layer, and this network starts with image layers (conv2d, pooling), which take their rows as given; scale the images before they reach the network instead`,
    );
  }
  const inputScale = o.inputScale === undefined ? null : scale(o.inputScale, inputs, 'inputScale', what, 'inputs');
  let outputScale = null;
  if (o.outputScale !== undefined) {
    if (output !== 'linear') {
      throw new ValidationError(
        `${what}: outputScale applies only to a linear (regression) output; this network's output is ${output}. Drop outputScale, or give the scale of the inputs with inputScale`,
      );
    }
    outputScale = scale(o.outputScale, outputs, 'outputScale', what, 'outputs');
  }
  let classNames: string[] | null = null;
  if (o.classNames !== undefined) {
    if (output !== 'softmax' && output !== 'sigmoid') {
      throw new ValidationError(
        `${what}: classNames applies only to a softmax or sigmoid (classifier) output; this network's output is ${output}`,
      );
    }
    classNames = list(o.classNames, outputs, 'classNames', what, 'outputs').map((c, i) => {
      if (typeof c !== 'string')
        throw new ValidationError(`${what}: classNames[${i}] must be a string; got ${shown(c)}`);
      return c;
    });
    const seen = new Set<string>();
    classNames.forEach((c, i) => {
      if (seen.has(c))
        throw new ValidationError(
          `${what}: classNames[${i}] repeats the class name ${shown(c)}; each output needs its own name`,
        );
      seen.add(c);
    });
  }
  return { inputScale, outputScale, classNames };
}

/**
 * The weights with the scales folded in, in float64. Input: x' = (x - mean) / std, so
 * W'[i][j] = W[i][j] / std[i] and b'[j] = b[j] - Σ_i mean[i]·W[i][j] / std[i]. Output: y = y'·std + mean,
 * so W'[i][j] = W[i][j]·std[j] and b'[j] = b[j]·std[j] + mean[j] (after the input fold for a single layer).
 */
export function foldScales(
  weights: readonly LayerWeights[],
  { inputScale, outputScale }: Pick<Checked, 'inputScale' | 'outputScale'>,
): LayerWeights[] {
  const out = weights.map(({ W, b }) => ({ W: W.map((row) => [...row]), b: [...b] }));
  if (inputScale) {
    const { W, b } = out[0]!;
    const { mean, std } = inputScale;
    W.forEach((row, i) => {
      row.forEach((w, j) => {
        row[j] = w / std[i]!;
        b[j] = b[j]! - mean[i]! * row[j]!;
      });
    });
  }
  if (outputScale) {
    const { W, b } = out[out.length - 1]!;
    const { mean, std } = outputScale;
    for (const row of W)
      row.forEach((w, j) => {
        row[j] = w * std[j]!;
      });
    b.forEach((v, j) => {
      b[j] = v * std[j]! + mean[j]!;
    });
  }
  return out;
}

/** Class names as a file stores them (a JSON array of strings), checked; `what` names the file. */
export function parseClassNames(text: unknown, what: string): string[] {
  let v: unknown = text;
  if (typeof text === 'string') {
    try {
      v = JSON.parse(text);
    } catch {
      v = undefined;
    }
  }
  if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) {
    throw new ModelFormatError(
      `${what}: the metadata '${CLASS_NAMES_KEY}' must be a JSON array of strings; got ${shown(text)}`,
    );
  }
  return v as string[];
}
