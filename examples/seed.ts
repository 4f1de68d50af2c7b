// The seed article's program (shared/seed/…, 神经网络反向传播算法及代码实现): a 2-3-2 sigmoid network,
// loss ½Σ(o-d)², its fixed X, y, W1, b1, W2, b2, full-batch gradient descent with lr 0.01 for
// 50,001 updates in float64, printed every 100 updates in the article's format.
//
// One deliberate difference: the article thresholds z2 *in place* for printing (z2[z2 > 0.5] = 1),
// and that modified z2 then feeds the next update, which perturbs the run after every print. We
// reproduce the algorithm as the article derives it, so the thresholded copy is for printing only.
//
// Run: npm run seed  (options: --backend js, --dtype float32, --every N)
import { Network, type BackendName, type DType } from '../src/index.node.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const dtype = arg('dtype', 'float64') as DType;
const every = Number(arg('every', '100'));

const X = [[0.6, 0.1], [0.3, 0.6]];
const y = [[0, 1], [0, 1]]; // the article's y = [0, 1], broadcast by NumPy to every row

// NumPy's way of printing a 2-D float array: 8 decimals, trailing zeros trimmed to spaces, columns aligned.
function numpyFormat(rows: number[][]): string {
  const cells = rows.map((r) => r.map((v) => v.toFixed(8).replace(/0+$/, '')));
  const width = Math.max(...cells.flat().map((c) => c.length));
  const decimals = Math.max(...cells.flat().map((c) => c.length - c.indexOf('.') - 1));
  const padded = cells.map((r) => r.map((c) => (c + ' '.repeat(decimals - (c.length - c.indexOf('.') - 1))).padStart(width)));
  return '[' + padded.map((r) => `[${r.join(' ')}]`).join('\n ') + ']';
}

const net = await Network.create({
  layers: [2, 3, 2], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', dtype, backend,
  weights: [
    { W: [[0.4, 0.3, 0.6], [0.3, 0.4, 0.2]], b: [0.4, 0.1, 0.2] },
    { W: [[0.2, 0.3], [0.3, 0.4], [0.5, 0.3]], b: [0.1, 0.2] },
  ],
});
const started = performance.now();
net.fit(X, y, {
  epochs: 50001, learningRate: 0.01, lossReduction: 'sum', shuffle: false,
  // Called after update `epoch`, like the article's print after its update i.
  onEpochEnd: (epoch) => {
    if (epoch % every !== 0) return;
    const z2 = net.predict(X) as number[][];
    const loss = net.evaluate(X, y).loss * X.length; // evaluate gives the mean per sample; the seed sums
    console.log(`第${epoch / 100}批次`);
    console.log(`当前损失为:${loss.toFixed(4)}`);
    console.log(numpyFormat(z2));
    console.log(numpyFormat(z2.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)))));
  },
});
console.error(`(${backend}, ${dtype}: 50,001 updates in ${((performance.now() - started) / 1000).toFixed(2)} s including printing)`);
