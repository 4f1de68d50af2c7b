// Forward passes over any number of rows, in chunks that fit the model's batch buffers: predict,
// evaluate and validation all go through here, for both backends.
import type { Model } from '../backends/backend.js';
import { asFlat, isDTypeArray } from '../checks/data.js';
import { expandLabels } from '../checks/labels.js';
import type { Architecture } from '../checks/options.js';
import { checkTargets } from '../checks/targets.js';
import { check, ValidationError } from '../errors.js';
import type { OutputActivation } from '../ops/activations.js';
import { classification, regression } from '../train/metrics.js';
import type { DType, Evaluation, Matrix, Targets } from '../types.js';
import { allocFloat, type FloatArray } from '../util/float-array.js';

/** Rows one forward pass takes at most when the buffers are smaller (larger inputs go in chunks). */
export const PREDICT_ROWS = 256;

/** Buffer rows predict/evaluate of `rows` rows will use: the capacity the model has, or up to PREDICT_ROWS. */
export const chunkRows = (capacity: number, rows: number): number => Math.max(capacity, Math.min(rows, PREDICT_ROWS));

/**
 * Outputs of every row of x into out (rows x outputs); returns the loss against y summed over the
 * rows (0 without y). Allocates nothing in the JS heap once the model has the buffers.
 */
export function forwardAll(model: Model, x: FloatArray, y: FloatArray | null, rows: number, out: FloatArray): number {
  const chunk = chunkRows(model.capacity, rows);
  model.reserve(chunk);
  let loss = 0;
  for (let start = 0; start < rows; start += chunk) loss += model.forwardRows(x, y, start, Math.min(chunk, rows - start), out);
  return loss;
}

/** predict's `out`: of the dtype, rows x outputs long, not overlapping x. Messages are built only on failure (predict must not allocate). */
export function checkPredictOut(out: FloatArray, x: FloatArray, rows: number, outputs: number, dtype: DType): void {
  if (!isDTypeArray(out, dtype)) throw new ValidationError(`predict out must be a ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'} (the network's dtype)`);
  if (out.length !== rows * outputs) {
    throw new ValidationError(`predict out has length ${out.length}, expected ${rows} rows x ${outputs} outputs = ${rows * outputs}`);
  }
  if (out.buffer === x.buffer && out.byteOffset < x.byteOffset + x.byteLength && x.byteOffset < out.byteOffset + out.byteLength) {
    throw new ValidationError('predict out overlaps x: outputs would overwrite inputs still to be read; pass a separate array');
  }
}

/** evaluate's figures on flat rows: the mean loss, and the classification or regression report of the outputs. */
export function evaluateRows(model: Model, x: FloatArray, y: FloatArray, rows: number, outputs: number, output: OutputActivation): Evaluation {
  const pred = allocFloat(model.dtype, rows * outputs);
  const loss = forwardAll(model, x, y, rows, pred);
  const report = model.spec.metric === 'accuracy' ? classification(pred, y, rows, outputs, output === 'softmax') : regression(pred, y, rows, outputs);
  return { loss: loss / rows, ...report };
}

/** evaluate's x and y, checked and flat: as many rows each, targets valid for the loss (labels expanded). */
export function evaluateData(x: Matrix, y: Targets, arch: Architecture, memoryLimit: number): { xs: FloatArray; ys: FloatArray; rows: number } {
  const { dtype, loss } = arch, inputs = arch.inputShape.reduce((a, b) => a * b, 1), outputs = arch.layers.at(-1)!, output = arch.activations.at(-1)!;
  const xs = asFlat(x, inputs, dtype, 'evaluate x'), rows = xs.length / inputs;
  const ys = asFlat(expandLabels(y, outputs, output, dtype, 'evaluate y', rows, memoryLimit), outputs, dtype, 'evaluate y');
  check(rows === ys.length / outputs, `evaluate: x has ${rows} rows but y has ${ys.length / outputs}`);
  checkTargets(ys, outputs, loss, output, 'evaluate y');
  return { xs, ys, rows };
}
