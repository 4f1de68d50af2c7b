// Accuracy: argmax agreement for several outputs, threshold 0.5 for one.

export function accuracy(pred: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number): number {
  return correctCount(pred, y, rows, cols) / rows;
}

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
