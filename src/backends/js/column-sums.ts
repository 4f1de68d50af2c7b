// Reference column sums (bias gradients).
import type { FloatArray } from '../../util/float-array.js';

export function columnSums(rows: number, cols: number, m: FloatArray, out: FloatArray): void {
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[j] = out[j]! + m[r * cols + j]!;
  }
}
