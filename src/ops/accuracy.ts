// The per-epoch scores of training: accuracy (argmax agreement for several outputs, threshold 0.5
// for one) for probability outputs, the absolute error for value outputs.

/** Rows of pred whose class agrees with y's. */
export function correctCount(pred: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number): number {
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (cols === 1) {
      if ((pred[o]! >= 0.5) === (y[o]! >= 0.5)) hits++;
      continue;
    }
    let bp = 0, by = 0;
    for (let j = 1; j < cols; j++) {
      if (pred[o + j]! > pred[o + bp]!) bp = j;
      if (y[o + j]! > y[o + by]!) by = j;
    }
    if (bp === by) hits++;
  }
  return hits;
}

/** Σ |a − y| over n values (summed in order, as the WASM loop does). */
export function absErrorSum(a: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(a[i]! - y[i]!);
  return sum;
}
