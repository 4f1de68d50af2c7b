// What evaluate reports, computed from the predictions: classification metrics for probability
// outputs (sigmoid, softmax), regression errors for value outputs.
import { argmax, correctCount } from '../ops/accuracy.js';
import type { Evaluation } from '../types.js';

/**
 * Accuracy (argmax agreement, or threshold 0.5 for one output), as training counts it; for a
 * softmax output (one class per row) also the confusion matrix (rows: true class, columns:
 * predicted) and macro precision, recall and F1 over the classes present in the targets or the
 * predictions (a class never predicted has precision 0).
 */
export function classification(
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  cols: number,
  softmax: boolean,
): Omit<Evaluation, 'loss'> {
  const accuracy = correctCount(pred, y, rows, cols) / rows;
  if (!softmax) return { accuracy };
  const matrix = Array.from({ length: cols }, () => new Array<number>(cols).fill(0));
  for (let r = 0; r < rows; r++) matrix[argmax(y, r * cols, cols)]![argmax(pred, r * cols, cols)]!++;
  let precision = 0,
    recall = 0,
    f1 = 0,
    classes = 0;
  for (let k = 0; k < cols; k++) {
    const tp = matrix[k]![k]!;
    const actual = matrix[k]!.reduce((s, v) => s + v, 0);
    const predicted = matrix.reduce((s, row) => s + row[k]!, 0);
    if (actual === 0 && predicted === 0) continue;
    const p = predicted === 0 ? 0 : tp / predicted,
      q = actual === 0 ? 0 : tp / actual;
    precision += p;
    recall += q;
    f1 += p + q === 0 ? 0 : (2 * p * q) / (p + q);
    classes++;
  }
  return {
    accuracy,
    precision: precision / classes,
    recall: recall / classes,
    f1: f1 / classes,
    confusionMatrix: matrix,
  };
}

/** Mean absolute and root mean squared error over every output of every row. */
export function regression(
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  cols: number,
): Omit<Evaluation, 'loss'> {
  let abs = 0,
    sq = 0;
  for (let i = 0; i < rows * cols; i++) {
    const d = pred[i]! - y[i]!;
    abs += Math.abs(d);
    sq += d * d;
  }
  return { mae: abs / (rows * cols), rmse: Math.sqrt(sq / (rows * cols)) };
}
