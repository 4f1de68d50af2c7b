// Forward passes over any number of rows, in chunks that fit the model's batch buffers: predict,
// evaluate and validation all go through here, for both backends.
import type { Model } from '../backends/backend.js';
import type { FloatArray } from '../util/float-array.js';

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
