// Reference losses: value and output delta dL/dZ for each (loss, output activation) pair.
import type { FloatArray, LossName, OutputActivation } from '../../types.js';
import { LOG_EPSILON } from '../../codes.js';
import { derivativeAt } from './activations.js';

const clampedLog = (p: number): number => Math.log(p > LOG_EPSILON ? p : LOG_EPSILON);

/** Loss summed over the batch; writes delta * scale when delta is given. */
export function outputDelta(loss: LossName, act: OutputActivation, rows: number, cols: number,
  a: FloatArray, y: FloatArray, delta: FloatArray | null, scale: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    // mse through softmax: dL/dz_j = a_j (g_j - sum_k g_k a_k), with g = a - y.
    let dot = 0;
    if (loss === 'mse' && act === 'softmax') {
      for (let j = 0; j < cols; j++) dot += (a[o + j]! - y[o + j]!) * a[o + j]!;
    }
    for (let j = 0; j < cols; j++) {
      const ai = a[o + j]!, yi = y[o + j]!, g = ai - yi;
      let d: number;
      if (loss === 'mse') {
        total += g * g * 0.5;
        d = act === 'softmax' ? ai * (g - dot) : g * derivativeAt(act, ai);
      } else if (act === 'sigmoid') {
        total -= yi * clampedLog(ai) + (1 - yi) * clampedLog(1 - ai);
        d = g;
      } else {
        if (yi !== 0) total -= yi * clampedLog(ai);
        d = g;
      }
      if (delta) delta[o + j] = d * scale;
    }
  }
  return total;
}
