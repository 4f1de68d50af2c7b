// Column sums (bias gradients), streaming whole rows into the output so memory is read in order.

/** out[j] = sum over r of m[r][j] for a rows x cols matrix. */
export function columnSums<T>(rows: i32, cols: i32, m: usize, out: usize): void {
  const sz = <usize>sizeof<T>();
  if (rows <= 0) { memory.fill(out, 0, <usize>cols * sz); return; }
  // A loop, not memory.copy: V8 runs bulk-memory ops as calls out of WASM, costly for a few floats.
  for (let j = 0; j < cols; j++) store<T>(out + <usize>j * sz, load<T>(m + <usize>j * sz));
  for (let r = 1; r < rows; r++) {
    const row = m + <usize>(r * cols) * sz;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j * sz;
      store<T>(out + o, load<T>(out + o) + load<T>(row + o));
    }
  }
}
