// Cross-entropy targets: probabilities, and for softmax one distribution per row. Other targets
// would give a loss without meaning (a one-hot row that sums to 2 drives the loss below zero).
import { ValidationError } from '../errors.js';
import type { FloatArray, LossName, ActivationName } from '../types.js';

/** How far a softmax target row may sum from 1 (rounding of label-smoothed rows in float32). */
const ROW_SUM_TOLERANCE = 1e-5;

export function checkTargets(y: FloatArray, cols: number, loss: LossName, output: ActivationName, what: string): void {
  if (loss !== 'crossEntropy') return;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new ValidationError(
        `${what}: the target at row ${Math.floor(i / cols)}, column ${i % cols} is ${v}; ` +
          `cross-entropy targets are probabilities in [0, 1] (use loss 'mse' for other values)`,
      );
    }
  }
  if (output !== 'softmax') return;
  for (let r = 0; r < y.length / cols; r++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += y[r * cols + j]!;
    if (!(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
      throw new ValidationError(
        `${what}: target row ${r} sums to ${sum}; with a softmax output and cross-entropy each row ` +
          'is a distribution over the classes that sums to 1 (one-hot: a single 1)',
      );
    }
  }
}
