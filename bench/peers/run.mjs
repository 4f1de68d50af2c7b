// npm run bench:peers: W0-W2 of docs/workloads.md on tfjs-wasm and brain.js, and C1 on PyTorch and
// tfjs (c1.mjs), with backprop-wasm in the same run so the ratios compare like with like. tfjs is used as its users
// would (tf.matMul with transpose flags), plus a row with the transposes done by hand (tf.transpose
// first), which keeps every product on XNNPACK's fast path. Then predict beside ONNX Runtime Web in
// Chromium (predict.mjs). `node run.mjs --predict-only` runs only that part and keeps the other rows.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import brain from 'brain.js';
import { Network } from '../../dist/src/index.node.js';
import { loadDigits } from '../../dist/examples/mnist-data.js';
import { torchRows } from './torch.mjs';
import { predictPeers } from './predict.mjs';
import { c1Peers } from './c1.mjs';

const predictOnly = process.argv.includes('--predict-only');

await tf.setBackend('wasm');
await tf.ready();
const rows = 9984;
const digits = loadDigits();
const X = digits.x.subarray(0, rows * 784),
  Y = digits.y.subarray(0, rows * 10);
const results = [];
const report = (workload, who, value, unit, note = '', threads = undefined) => {
  results.push({ workload, who, value, unit, note, threads });
  const shown = value === null ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
  console.log(`${workload}  ${who.padEnd(34)} ${shown.padStart(10)} ${unit} ${note}`);
};

// One SGD step of a sigmoid MLP with mse (mean over the batch of ½Σ), backprop written with tf ops.
function tfStep(params, x, y, lr, byHand) {
  tf.tidy(() => {
    const acts = [x];
    for (const { W, b } of params) acts.push(tf.sigmoid(tf.add(tf.matMul(acts.at(-1), W), b)));
    const out = acts.at(-1);
    let delta = tf.div(tf.mul(tf.sub(out, y), tf.mul(out, tf.sub(1, out))), x.shape[0]);
    for (let l = params.length - 1; l >= 0; l--) {
      const { W, b } = params[l],
        a = acts[l];
      const dW = byHand ? tf.matMul(tf.transpose(a), delta) : tf.matMul(a, delta, true, false);
      const db = tf.sum(delta, 0);
      if (l > 0) {
        const back = byHand ? tf.matMul(delta, tf.transpose(W)) : tf.matMul(delta, W, false, true);
        delta = tf.mul(back, tf.mul(a, tf.sub(1, a)));
      }
      W.assign(tf.sub(W, tf.mul(dW, lr)));
      b.assign(tf.sub(b, tf.mul(db, lr)));
    }
  });
}

async function tfEpoch(layers, batch, byHand) {
  const params = layers
    .slice(1)
    .map((n, l) => ({ W: tf.variable(tf.randomUniform([layers[l], n], -0.1, 0.1)), b: tf.variable(tf.zeros([n])) }));
  const run = () => {
    const t = performance.now();
    for (let s = 0; s < rows; s += batch) {
      const n = Math.min(batch, rows - s);
      const x = tf.tensor2d(X.subarray(s * 784, (s + n) * 784), [n, 784]),
        y = tf.tensor2d(Y.subarray(s * 10, (s + n) * 10), [n, 10]);
      tfStep(params, x, y, 0.1, byHand);
      x.dispose();
      y.dispose();
    }
    return performance.now() - t;
  };
  run(); // warm-up epoch
  const ms = run();
  params.forEach(({ W, b }) => {
    W.dispose();
    b.dispose();
  });
  return (rows * 1000) / ms;
}

async function oursEpoch(layers, batch) {
  const net = await Network.create({ layers, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1 });
  const rates = [];
  net.fit(X, Y, {
    epochs: 2,
    batchSize: batch,
    learningRate: 0.1,
    onEpochEnd: (_, l) => {
      rates.push(l.samplesPerSecond);
    },
  });
  net.dispose();
  return rates[1];
}

// brain.js refuses errorThresh 0 and momentum 0; 1e-12 and 1e-9 keep it plain SGD for a fixed count.
function brainEpoch(layers, count) {
  const net = new brain.NeuralNetwork({ hiddenLayers: layers.slice(1, -1), activation: 'sigmoid' });
  const data = Array.from({ length: count }, (_, i) => ({
    input: Array.from(X.subarray(i * 784, (i + 1) * 784)),
    output: Array.from(Y.subarray(i * 10, (i + 1) * 10)),
  }));
  net.train(data.slice(0, 10), { iterations: 1, errorThresh: 1e-12, learningRate: 0.1, momentum: 1e-9 });
  const t = performance.now();
  net.train(data, { iterations: 1, errorThresh: 1e-12, learningRate: 0.1, momentum: 1e-9 });
  return (count * 1000) / (performance.now() - t);
}

// W0: the seed (2-3-2, full batch of 2, 50,001 epochs), µs per epoch.
if (!predictOnly) {
  const weights = [
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
  ];
  const net = await Network.create({ layers: [2, 3, 2], dtype: 'float64', weights });
  let t = performance.now();
  net.fit(
    [
      [0.6, 0.1],
      [0.3, 0.6],
    ],
    [
      [0, 1],
      [0, 1],
    ],
    { epochs: 50001, learningRate: 0.01, lossReduction: 'sum', shuffle: false },
  );
  report('W0', 'backprop-wasm float64', ((performance.now() - t) * 1000) / 50001, 'µs/epoch');
  const b = new brain.NeuralNetwork({ hiddenLayers: [3] });
  t = performance.now();
  b.train(
    [
      { input: [0.6, 0.1], output: [0, 1] },
      { input: [0.3, 0.6], output: [0, 1] },
    ],
    { iterations: 50001, errorThresh: 1e-12, learningRate: 0.01, momentum: 1e-9 },
  );
  report('W0', 'brain.js 1.6 (per-sample updates)', ((performance.now() - t) * 1000) / 50001, 'µs/epoch');
  const params = [
    { W: tf.variable(tf.tensor2d(weights[0].W)), b: tf.variable(tf.tensor1d(weights[0].b)) },
    { W: tf.variable(tf.tensor2d(weights[1].W)), b: tf.variable(tf.tensor1d(weights[1].b)) },
  ];
  const x = tf.tensor2d([
      [0.6, 0.1],
      [0.3, 0.6],
    ]),
    y = tf.tensor2d([
      [0, 1],
      [0, 1],
    ]);
  const epochs = 2000; // tfjs takes ~70 µs per epoch: a subset is enough to time it
  t = performance.now();
  for (let e = 0; e < epochs; e++) tfStep(params, x, y, 0.01 * 2, false);
  report('W0', 'tfjs-wasm 4.22', ((performance.now() - t) * 1000) / epochs, 'µs/epoch', `(${epochs} epochs timed)`);
}

for (const [id, layers, batch, brainCount] of predictOnly
  ? []
  : [
      ['W1', [784, 128, 10], 64, 2000],
      ['W2', [784, 512, 512, 10], 256, 300],
    ]) {
  report(id, 'backprop-wasm float32', await oursEpoch(layers, batch), 'samples/s');
  report(id, 'tfjs-wasm (matMul transpose flags)', await tfEpoch(layers, batch, false), 'samples/s');
  report(id, 'tfjs-wasm (transposes by hand)', await tfEpoch(layers, batch, true), 'samples/s');
  report(
    id,
    'brain.js 1.6 (per-sample updates)',
    brainEpoch(layers, brainCount),
    'samples/s',
    `(${brainCount} digits timed)`,
  );
}
if (!predictOnly) torchRows(report);

await predictPeers(report);

if (!predictOnly) await c1Peers(X, Y, report);

console.log('\nRatios (same run):');
for (const id of predictOnly ? [] : ['W0', 'W1', 'W2']) {
  const ours = results.find((r) => r.workload === id && r.who.startsWith('backprop-wasm'));
  for (const r of results.filter((x) => x.workload === id && x !== ours)) {
    const ratio = id === 'W0' ? r.value / ours.value : ours.value / r.value;
    console.log(`  ${id}: backprop-wasm is ${ratio.toFixed(1)}x ${r.who}`);
  }
}
for (const id of ['C1 train', 'C1 predict'])
  for (const threads of [1, 2]) {
    const ours = results.find((r) => r.workload === id && r.who.startsWith('backprop-wasm') && r.threads === threads);
    for (const r of results.filter((x) => x.workload === id && x.value && !x.who.startsWith('backprop-wasm'))) {
      console.log(
        `  ${id}: backprop-wasm on ${threads} thread${threads > 1 ? 's' : ''} is ${(ours.value / r.value).toFixed(2)}x ${r.who}`,
      );
    }
  }

// predict: ours ÷ ORT's time, in the same page.
for (const r of results.filter((x) => x.who.startsWith('onnxruntime-web'))) {
  const ours = results.find(
    (x) =>
      x.workload === r.workload &&
      x.who.startsWith('backprop-wasm') &&
      x.who.includes(`ORT ${/(\d+) thread/.exec(r.who)[1]} thread`),
  );
  console.log(`  ${r.workload}: backprop-wasm is ${(r.value / ours.value).toFixed(2)}x ${r.who}`);
}

const { existsSync, readFileSync, writeFileSync } = await import('node:fs');
const os = await import('node:os');
const file = new URL('./results.json', import.meta.url);
// --predict-only keeps the training rows of the last full run.
const kept =
  predictOnly && existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8')).results.filter((r) => !r.workload.startsWith('predict'))
    : [];
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      results: [...kept, ...results],
    },
    null,
    1,
  )}\n`,
);
console.log('wrote bench/peers/results.json (npm run bench puts it into BENCHMARKS.md)');
