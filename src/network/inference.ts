// Forward passes over any number of rows, in chunks that fit the model's batch buffers: predict,
// evaluate and validation all go through here, for both backends.
import type { Model, ModelSpec } from '../backends/backend.js';
import { inputWidth } from '../backends/buffer-plan.js';
import { asFlat, isDTypeArray } from '../checks/data.js';
import { expandLabels } from '../checks/labels.js';
import type { Architecture } from '../checks/options.js';
import { checkTargets } from '../checks/targets.js';
import { check, ValidationError } from '../errors.js';
import type { ActivationName } from '../ops/activations.js';
import { classification, regression } from '../train/metrics.js';
import type { DType, Evaluation, Matrix, Targets } from '../types.js';
import { allocFloat, bytesPer, type FloatArray } from '../util/float-array.js';

/**
 * Bytes of one chunk's widest activations: half of a 1 MiB L2 (AMD Zen 4 and 5, recent Intel cores;
 * Apple's are larger), the other half left to the packed block of weights the product streams them past.
 */
const CHUNK_BYTES = 512 * 1024;
/** Chunks are whole multiples of this many rows (register tiles of 4, split whole between threads), at most MAX_CHUNK. */
const CHUNK_STEP = 16,
  MAX_CHUNK = 512;
// From assembly/gemm.ts: a product of fewer rows than its register tile (MR), or of at most SMALL
// multiply-adds, takes a direct path whose sums are rounded otherwise than the packed product's.
const TILE_ROWS = 4,
  SMALL_PRODUCT = 4096;

/** A network's chunk (before the rows of a call bound it) and the fewest rows a last chunk may have. */
interface ChunkPlan {
  chunk: number;
  tail: number;
}
// Per spec and dtype, worked out once: predict must not allocate (nor box the quotients below).
const plans = new WeakMap<ModelSpec, Map<DType, ChunkPlan>>();

/**
 * The rule: as many rows as keep the widest activations of a row (the input or a layer's outputs)
 * within CHUNK_BYTES, in whole CHUNK_STEPs, at least CHUNK_STEP and at most MAX_CHUNK (784-wide
 * rows: 160 float32 or 80 float64 rows). The tail: the fewest rows (at most a chunk) whose every
 * dense product takes the packed path; a last chunk of fewer joins the chunk before it, so chunks
 * start at whole tiles and each row of an input of this many rows or more is computed exactly as in
 * one pass over all of them (784-128-10: 4 rows).
 */
function planOf(spec: ModelSpec, dtype: DType): ChunkPlan {
  let byType = plans.get(spec);
  if (byType === undefined) {
    byType = new Map();
    plans.set(spec, byType);
  }
  let plan = byType.get(dtype);
  if (plan === undefined) {
    let widest = inputWidth(spec),
      least = Infinity;
    for (const l of spec.layers) {
      widest = Math.max(widest, l.outputs);
      least = Math.min(least, l.inputs * l.outputs);
    }
    const fits = Math.floor(CHUNK_BYTES / (bytesPer(dtype) * widest) / CHUNK_STEP) * CHUNK_STEP;
    const chunk = Math.min(MAX_CHUNK, Math.max(CHUNK_STEP, fits));
    plan = { chunk, tail: Math.min(chunk, Math.max(TILE_ROWS, Math.floor(SMALL_PRODUCT / least) + 1)) };
    byType.set(dtype, plan);
  }
  return plan;
}

/** Rows of one forward pass of predict, evaluate and validation over `rows` rows (more go in chunks of it). */
export const chunkRows = (spec: ModelSpec, dtype: DType, rows: number): number =>
  Math.min(rows, planOf(spec, dtype).chunk);

/** Rows of batch buffers a forward pass over `rows` rows needs: a chunk, and the rows a last one may add (under two chunks). */
export function bufferRows(spec: ModelSpec, dtype: DType, rows: number): number {
  const { chunk, tail } = planOf(spec, dtype);
  return Math.min(rows, chunk + tail - 1);
}

/**
 * Outputs of every row of x into out (rows x outputs); returns the loss against y summed over the
 * rows (0 without y). Allocates nothing in the JS heap once the model has the buffers (and, for
 * inputs of more than one chunk, has seen these arrays: backends/wasm/model.ts).
 */
export function forwardAll(model: Model, x: FloatArray, y: FloatArray | null, rows: number, out: FloatArray): number {
  const plan = planOf(model.spec, model.dtype),
    chunk = Math.min(rows, plan.chunk),
    tail = plan.tail;
  model.reserve(bufferRows(model.spec, model.dtype, rows));
  let loss = 0;
  for (let start = 0; start < rows; ) {
    const left = rows - start,
      n = left - chunk < tail ? left : chunk;
    loss += model.forwardRows(x, y, start, n, out);
    start += n;
  }
  return loss;
}

/** predict's `out`: of the dtype, rows x outputs long, not overlapping x. Messages are built only on failure (predict must not allocate). */
export function checkPredictOut(out: FloatArray, x: FloatArray, rows: number, outputs: number, dtype: DType): void {
  if (!isDTypeArray(out, dtype))
    throw new ValidationError(
      `predict out must be a ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'} (the network's dtype)`,
    );
  if (out.length !== rows * outputs) {
    throw new ValidationError(
      `predict out has length ${out.length}, expected ${rows} rows x ${outputs} outputs = ${rows * outputs}`,
    );
  }
  if (
    out.buffer === x.buffer &&
    out.byteOffset < x.byteOffset + x.byteLength &&
    x.byteOffset < out.byteOffset + out.byteLength
  ) {
    throw new ValidationError(
      'predict out overlaps x: outputs would overwrite inputs still to be read; pass a separate array',
    );
  }
}

/**
 * evaluate's figures on flat rows: the mean loss, and the classification or regression report of the
 * outputs. `pred` (rows x outputs) takes the outputs: validation passes one made once per fit.
 */
export function evaluateRows(
  model: Model,
  x: FloatArray,
  y: FloatArray,
  rows: number,
  outputs: number,
  output: ActivationName,
  pred: FloatArray = allocFloat(model.dtype, rows * outputs),
): Evaluation {
  const loss = forwardAll(model, x, y, rows, pred);
  const report =
    model.spec.metric === 'accuracy'
      ? classification(pred, y, rows, outputs, output === 'softmax')
      : regression(pred, y, rows, outputs);
  return { loss: loss / rows, ...report };
}

/** evaluate's x and y, checked and flat: as many rows each, targets valid for the loss (labels expanded). */
export function evaluateData(
  x: Matrix,
  y: Targets,
  arch: Architecture,
  memoryLimit: number,
): { xs: FloatArray; ys: FloatArray; rows: number } {
  const { dtype, loss } = arch,
    inputs = arch.inputShape.reduce((a, b) => a * b, 1),
    outputs = arch.layers.at(-1)!,
    output = arch.activations.at(-1)!;
  const xs = asFlat(x, inputs, dtype, 'evaluate x'),
    rows = xs.length / inputs;
  const ys = asFlat(
    expandLabels(y, outputs, output, dtype, 'evaluate y', rows, memoryLimit),
    outputs,
    dtype,
    'evaluate y',
  );
  check(rows === ys.length / outputs, `evaluate: x has ${rows} rows but y has ${ys.length / outputs}`);
  checkTargets(ys, outputs, loss, output, 'evaluate y');
  return { xs, ys, rows };
}
