// Size checks made before anything is allocated: a network, a data set or a model file that would
// not fit in 32-bit WebAssembly memory (or the caller's memoryLimit) is refused with the size it needs.
import { ValidationError } from './errors.js';
import type { DType } from './types.js';

/** 32-bit WebAssembly memory: 65,536 pages of 64 KiB. */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;
/** Default budget: the whole 32-bit memory less 64 MiB for the module, scratch and buffers. */
export const DEFAULT_MEMORY_LIMIT = WASM_MEMORY_BYTES - 64 * 2 ** 20;

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
export const bytesPer = (dtype: DType): number => (dtype === 'float32' ? 4 : 8);

export function parameterCount(layers: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l - 1]! * layers[l]! + layers[l]!;
  return n;
}

export function checkMemoryLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_MEMORY_LIMIT;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
    throw new ValidationError(`memoryLimit must be a positive number of bytes; got ${JSON.stringify(limit)}`);
  }
  return limit;
}

/** Parameters, gradients and up to two optimizer state buffers (Adam). */
export function checkNetworkSize(layers: readonly number[], dtype: DType, limit: number, what: string): void {
  const params = parameterCount(layers);
  const bytes = params * bytesPer(dtype) * 4;
  if (bytes > limit) {
    throw new ValidationError(`${what}: a ${layers.join('-')} network has ${params.toLocaleString('en-US')} parameters and needs `
      + `${MiB(bytes)} (parameters, gradients and Adam state in ${dtype}), more than the limit of ${MiB(limit)}`
      + (limit >= DEFAULT_MEMORY_LIMIT ? ' (32-bit WebAssembly memory holds 4 GiB)' : ' (memoryLimit)'));
  }
}

/** The copy of a training set, its permutations and the batch buffers, on top of the network. */
export function checkFitSize(layers: readonly number[], dtype: DType, rows: number, batchSize: number,
  epochsPerCall: number, limit: number): void {
  const width = layers[0]! + layers[layers.length - 1]!;
  const activations = layers.slice(1).reduce((s, n) => s + n, 0);
  const bytes = parameterCount(layers) * bytesPer(dtype) * 4 + rows * width * bytesPer(dtype)
    + rows * epochsPerCall * 4 + batchSize * (2 * activations + width) * bytesPer(dtype);
  if (bytes > limit) {
    throw new ValidationError(`fit: training on ${rows.toLocaleString('en-US')} rows needs ${MiB(bytes)} `
      + `(network, a copy of the data, batch buffers), more than the limit of ${MiB(limit)}`);
  }
}
