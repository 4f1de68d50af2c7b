// The per-epoch scores of training: accuracy (argmax agreement for several outputs, threshold 0.5
// for one) for probability outputs, the absolute error for value outputs.

/** The column of a row's largest value, the first one on a tie (as assembly/metrics.ts counts). */
export function argmax(a: ArrayLike<number>, offset: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (a[offset + j]! > a[offset + best]!) best = j;
  return best;
}

/** Rows of pred whose class agrees with y's. */
export function correctCount(pred: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number): number {
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (cols === 1 ? pred[o]! >= 0.5 === y[o]! >= 0.5 : argmax(pred, o, cols) === argmax(y, o, cols)) hits++;
  }
  return hits;
}

/** Σ |a − y| over n values (summed in order, as the WASM loop does). */
export function absErrorSum(a: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(a[i]! - y[i]!);
  return sum;
}
