// The seed article's program (docs/seed.md; 神经网络反向传播算法及代码实现): a 2-3-2 sigmoid network,
// loss ½Σ(o-d)², its fixed X, y, W1, b1, W2, b2, full-batch gradient descent with lr 0.01 for
// 50,001 updates in float64, printed every 100 updates in the article's format.
//
// One deliberate difference: the article thresholds z2 *in place* for printing (z2[z2 > 0.5] = 1),
// and that modified z2 then feeds the next update, which perturbs the run after every print. We
// reproduce the algorithm as the article derives it, so the thresholded copy is for printing only.
//
// The label 第N批次 is the update number N (the article prints i/100 with %d, a count of hundreds that
// only works for every = 100).
//
// Run: npm run seed  (options: -- --backend js, --dtype float32, --every N)
import { Network } from '../src/index.node.js';
import { choice, number, parseFlags } from '../src/cli/args.js';
import { CliError } from '../src/cli/errors.js';

let flags: ReturnType<typeof parseFlags>;
try {
  flags = parseFlags(
    'seed',
    process.argv.slice(2),
    { backend: { type: 'string' }, dtype: { type: 'string' }, every: { type: 'string' } },
    'the options are --backend wasm|js, --dtype float64|float32, --every N (npm run seed -- --every 50)',
  );
  if (flags.positionals.length) throw new CliError(`unexpected argument "${flags.positionals[0]}"`);
} catch (e) {
  console.error(`npm run seed: ${(e as Error).message}`);
  process.exit(2);
}
const get = <T>(read: () => T): T => {
  try {
    return read();
  } catch (e) {
    console.error(`npm run seed: ${(e as Error).message}`);
    process.exit(2);
  }
};
const backend = get(() => choice(flags.values, 'backend', ['wasm', 'js'] as const, 'wasm'));
const dtype = get(() => choice(flags.values, 'dtype', ['float64', 'float32'] as const, 'float64'));
const every = get(() => number(flags.values, 'every', 100, { min: 1, integer: true })!);

const X = [
  [0.6, 0.1],
  [0.3, 0.6],
];
const y = [
  [0, 1],
  [0, 1],
]; // the article's y = [0, 1], broadcast by NumPy to every row

// NumPy's way of printing a 2-D float array: 8 decimals, trailing zeros trimmed to spaces, columns aligned.
function numpyFormat(rows: number[][]): string {
  const cells = rows.map((r) => r.map((v) => v.toFixed(8).replace(/0+$/, '')));
  const width = Math.max(...cells.flat().map((c) => c.length));
  const decimals = Math.max(...cells.flat().map((c) => c.length - c.indexOf('.') - 1));
  const padded = cells.map((r) =>
    r.map((c) => (c + ' '.repeat(decimals - (c.length - c.indexOf('.') - 1))).padStart(width)),
  );
  return `[${padded.map((r) => `[${r.join(' ')}]`).join('\n ')}]`;
}

const net = await Network.create({
  layers: [2, 3, 2],
  activation: 'sigmoid',
  output: 'sigmoid',
  loss: 'mse',
  dtype,
  backend,
  weights: [
    {
      W: [
        [0.4, 0.3, 0.6],
        [0.3, 0.4, 0.2],
      ],
      b: [0.4, 0.1, 0.2],
    },
    {
      W: [
        [0.2, 0.3],
        [0.3, 0.4],
        [0.5, 0.3],
      ],
      b: [0.1, 0.2],
    },
  ],
});
const started = performance.now();
net.fit(X, y, {
  epochs: 50001,
  learningRate: 0.01,
  lossReduction: 'sum',
  shuffle: false,
  optimizer: 'sgd',
  batchSize: 2, // the article's full-batch gradient descent
  // Called after update `epoch`, like the article's print after its update i.
  onEpochEnd: (epoch) => {
    if (epoch % every !== 0) return;
    const z2 = net.predict(X);
    const loss = net.evaluate(X, y).loss * X.length; // evaluate gives the mean per sample; the seed sums
    console.log(`第${epoch}批次`);
    console.log(`当前损失为:${loss.toFixed(4)}`);
    console.log(numpyFormat(z2));
    console.log(numpyFormat(z2.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)))));
  },
});
console.error(
  `(${backend}, ${dtype}: 50,001 updates in ${((performance.now() - started) / 1000).toFixed(2)} s including printing)`,
);
