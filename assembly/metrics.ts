// Correct predictions in a batch, as src/metrics.ts counts them: argmax agreement for several
// outputs (the first maximum wins), threshold 0.5 for one.

/** Σ |a − y| over a rows x cols batch (regression outputs score this instead of correct predictions). */
export function absErrorSum<T>(rows: i32, cols: i32, a: usize, y: usize): f64 {
  const sz = <usize>sizeof<T>();
  let sum: f64 = 0;
  for (let i = 0, n = rows * cols; i < n; i++) sum += Math.abs(<f64>load<T>(a + <usize>i * sz) - <f64>load<T>(y + <usize>i * sz));
  return sum;
}

export function countCorrect<T>(rows: i32, cols: i32, a: usize, y: usize): i32 {
  const sz = <usize>sizeof<T>();
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const o = <usize>(r * cols) * sz;
    if (cols == 1) {
      if ((load<T>(a + o) >= <T>0.5) == (load<T>(y + o) >= <T>0.5)) hits++;
      continue;
    }
    let bp = 0, by = 0;
    for (let j = 1; j < cols; j++) {
      if (load<T>(a + o + <usize>j * sz) > load<T>(a + o + <usize>bp * sz)) bp = j;
      if (load<T>(y + o + <usize>j * sz) > load<T>(y + o + <usize>by * sz)) by = j;
    }
    if (bp == by) hits++;
  }
  return hits;
}
