// Size checks made before anything is allocated: a network, a data set or a model file that would
// not fit in 32-bit WebAssembly memory (or the caller's memoryLimit) is refused with the size it needs.
import { bytesPer } from '../util/float-array.js';
import { formatBytes } from '../util/format-bytes.js';
import { ResourceError, shown, ValidationError } from '../errors.js';
import type { BackendName, DType } from '../types.js';
import {
  batchElementsPerRow,
  ELEMENTS_PER_PARAMETER,
  inputWidth,
  parameterSizes,
  type PlanSpec,
} from '../backends/buffer-plan.js';

/** 32-bit WebAssembly memory: 65,536 pages of 64 KiB. */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;
/** Default budget: the whole 32-bit memory less 64 MiB for the module, scratch and buffers. */
export const DEFAULT_MEMORY_LIMIT = WASM_MEMORY_BYTES - 64 * 2 ** 20;
/** Permutation entries (i32) that one training call may hold: 4 MiB. */
export const PERM_BUDGET = 1 << 20;
/** Epochs per call when rows are taken in order (bounded so a long fit still yields progress in history). */
export const MAX_EPOCHS_PER_CALL = 65536;
/** Bytes of the per-epoch statistics of one call (two f64 per epoch). */
const STATS_BYTES_PER_EPOCH = 16;

const MiB = (bytes: number): string =>
  bytes >= 0.05 * 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : formatBytes(bytes);

/** Parameters of a network of layer sizes, or of each layer's W and b shapes. */
export function parameterCount(
  layers: readonly number[] | readonly { W: readonly number[]; b: readonly number[] }[],
): number {
  let n = 0;
  if (typeof layers[0] === 'object') {
    for (const { W, b } of layers as readonly { W: readonly number[]; b: readonly number[] }[])
      n += W.reduce((a, v) => a * v, 1) + b[0]!;
    return n;
  }
  const sizes = layers as readonly number[];
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1]! * sizes[l]! + sizes[l]!;
  return n;
}

/**
 * The byte budget: `memoryLimit` when given (a positive number), else the default. On the WASM
 * backend it never exceeds what 32-bit memory can hold, whatever was asked.
 */
export function checkMemoryLimit(limit: unknown, backend: BackendName): number {
  if (limit === undefined) return DEFAULT_MEMORY_LIMIT;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
    throw new ValidationError(`memoryLimit must be a positive number of bytes; got ${shown(limit)}`);
  }
  return backend === 'wasm' ? Math.min(limit, DEFAULT_MEMORY_LIMIT) : limit;
}

function refuse(what: string, bytes: number, detail: string, limit: number): never {
  throw new ResourceError(
    `${what} needs ${MiB(bytes)} (${detail}), more than the limit of ${MiB(limit)}` +
      (limit >= DEFAULT_MEMORY_LIMIT ? ' (32-bit WebAssembly memory holds 4 GiB)' : ' (memoryLimit)'),
    bytes,
    limit,
  );
}

/** Parameters, their gradients and the state of the optimizer that keeps the most (backends/buffer-plan.ts). */
export function networkBytes(layers: Parameters<typeof parameterCount>[0], dtype: DType): number {
  return parameterCount(layers) * bytesPer(dtype) * ELEMENTS_PER_PARAMETER;
}

export function checkNetworkSize(
  layers: Parameters<typeof parameterCount>[0],
  dtype: DType,
  limit: number,
  what: string,
): void {
  const bytes = networkBytes(layers, dtype);
  if (bytes > limit) {
    const name = typeof layers[0] === 'object' ? `${layers.length}-layer` : (layers as readonly number[]).join('-');
    refuse(
      `${what}: a ${name} network has ${parameterCount(layers).toLocaleString('en-US')} parameters and`,
      bytes,
      `parameters, gradients and Adam state in ${dtype}`,
      limit,
    );
  }
}

/** Epochs one training call makes room for: one when JS runs between epochs, else as many as the permutation budget allows. */
export function epochsPerCall(epochs: number, rows: number, shuffle: boolean, jsBetweenEpochs: boolean): number {
  if (jsBetweenEpochs) return 1;
  return Math.min(epochs, shuffle ? Math.max(1, Math.floor(PERM_BUDGET / rows)) : MAX_EPOCHS_PER_CALL);
}

/**
 * Bytes `fit` needs on top of nothing: the network, one copy of the data set, the batch buffers
 * of backends/buffer-plan.ts for `batchRows` rows (gathered inputs and targets, and per layer its
 * activations, deltas, kept z and dropout buffers), the permutations of one call when shuffling (at
 * most max(rows, 2^20) i32) and two f64 per epoch of one call. It grows with the data and the
 * network, never with `epochs`.
 */
export function fitBytes(
  spec: PlanSpec,
  dtype: DType,
  rows: number,
  batchRows: number,
  perCall: number,
  shuffle: boolean,
): number {
  const width = inputWidth(spec) + spec.layers[spec.layers.length - 1]!.outputs;
  const parameters = parameterSizes(spec).reduce((n, { W, b }) => n + W + b, 0);
  return (
    parameters * ELEMENTS_PER_PARAMETER * bytesPer(dtype) +
    rows * width * bytesPer(dtype) +
    (shuffle ? rows * perCall * 4 : 0) +
    perCall * STATS_BYTES_PER_EPOCH +
    batchRows * batchElementsPerRow(spec) * bytesPer(dtype)
  );
}

export function checkFitSize(
  spec: PlanSpec,
  dtype: DType,
  rows: number,
  batchRows: number,
  perCall: number,
  shuffle: boolean,
  limit: number,
): void {
  const bytes = fitBytes(spec, dtype, rows, batchRows, perCall, shuffle);
  if (bytes > limit)
    refuse(
      `fit: training on ${rows.toLocaleString('en-US')} rows`,
      bytes,
      'network, a copy of the data, batch buffers',
      limit,
    );
}
