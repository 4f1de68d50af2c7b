// C1 of docs/workloads.md (SGD lr 0.05, batch 64, the first 4,992 digits, best epoch after the first;
// predict on 1,024 digits) for bench/peers/run.mjs: backprop-wasm on 1 and 2 threads, PyTorch
// (c1_torch.py --speed, /usr/bin/python3) on 1 and 2 threads with glibc's default mmap threshold and
// with MALLOC_MMAP_THRESHOLD_=16777216 (glibc then keeps the per-batch tensors, up to 4.4 MB for conv
// 2's im2col, on its heap instead of an mmap and munmap each: much faster on this virtual machine),
// tfjs 4.22's CPU backend on a bounded number of batches (about 3 samples/s), and tfjs-wasm, which
// has no conv2d gradient kernels: its row records the error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // its CPU backend and the gradients (tfjs-core alone registers none), on the same tfjs-core
import { Network } from '../../dist/src/index.node.js';
import { C1 } from '../../dist/examples/mnist-data.js';

const ROWS = 4992,
  BATCH = 64,
  LR = 0.05,
  PREDICT = 1024;
const PYTHON = '/usr/bin/python3';
const MMAP = '16777216';

async function ours(X, Y, threads) {
  const net = await Network.create({ inputShape: [28, 28, 1], layers: C1, loss: 'crossEntropy', seed: 1, threads });
  const rates = [];
  net.fit(X.subarray(0, ROWS * 784), Y.subarray(0, ROWS * 10), {
    epochs: 3,
    batchSize: BATCH,
    learningRate: LR,
    optimizer: 'sgd',
    onEpochEnd: (_, l) => {
      rates.push(l.samplesPerSecond);
    },
  });
  const x = X.subarray(0, PREDICT * 784),
    out = new Float32Array(PREDICT * 10),
    times = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    net.predict(x, { out });
    times.push(performance.now() - t);
  }
  net.dispose();
  return { train: Math.max(rates[1], rates[2]), predict: (PREDICT * 1000) / times.slice(1).sort((a, b) => a - b)[2] };
}

function torch(threads, mmap) {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
  if (mmap) env.MALLOC_MMAP_THRESHOLD_ = MMAP;
  else delete env.MALLOC_MMAP_THRESHOLD_;
  const p = spawnSync(
    PYTHON,
    [new URL('./c1_torch.py', import.meta.url).pathname, '--speed', '--threads', String(threads)],
    { env, encoding: 'utf8' },
  );
  if (p.status !== 0) throw new Error(`c1_torch.py: ${p.stderr || p.error}`);
  return JSON.parse(p.stdout.trim().split('\n').at(-1));
}

const variable = (shape, fanIn) =>
  tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn), 'float32', 1));
function tfParams() {
  return {
    k1: variable([3, 3, 1, 32], 9),
    b1: tf.variable(tf.zeros([32])),
    k2: variable([3, 3, 32, 64], 288),
    b2: tf.variable(tf.zeros([64])),
    w3: variable([1600, 128], 1600),
    b3: tf.variable(tf.zeros([128])),
    w4: variable([128, 10], 128),
    b4: tf.variable(tf.zeros([10])),
  };
}
function tfForward(p, x) {
  let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, p.k1, 1, 'valid'), p.b1)), 2, 2, 'valid');
  h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, p.k2, 1, 'valid'), p.b2)), 2, 2, 'valid');
  h = tf.relu(tf.add(tf.matMul(tf.reshape(h, [-1, 1600]), p.w3), p.b3));
  return tf.add(tf.matMul(h, p.w4), p.b4);
}

/** tfjs on `backend`: samples/s of `batches` timed SGD steps after one, and of one predict of `predictRows` after one. */
async function tfjs(backend, X, Y, batches, predictRows) {
  await tf.setBackend(backend);
  await tf.ready();
  const p = tfParams(),
    opt = tf.train.sgd(LR);
  const batch = (s, n) => [
    tf.tensor4d(X.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1]),
    tf.tensor2d(Y.subarray(s * 10, (s + n) * 10), [n, 10]),
  ];
  const step = (s) => {
    const [x, y] = batch(s, BATCH);
    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tfForward(p, x)), false, Object.values(p));
    x.dispose();
    y.dispose();
  };
  try {
    step(0);
    let t = performance.now();
    for (let i = 1; i <= batches; i++) step(i * BATCH);
    const train = (batches * BATCH * 1000) / (performance.now() - t);
    const [x] = batch(0, predictRows);
    tf.tidy(() => tfForward(p, x).dataSync());
    t = performance.now();
    tf.tidy(() => tfForward(p, x).dataSync());
    return { train, predict: (predictRows * 1000) / (performance.now() - t) };
  } catch (e) {
    return { error: String(e.message ?? e).split('\n')[0] };
  } finally {
    Object.values(p).forEach((v) => v.dispose());
    opt.dispose();
  }
}

/** Appends the C1 rows through report(workload, who, value, unit, note, threads); value null when the library cannot run it. */
export async function c1Peers(X, Y, report) {
  for (const threads of [1, 2]) {
    const r = await ours(X, Y, threads);
    report(
      'C1 train',
      `backprop-wasm float32 ${threads} thread${threads > 1 ? 's' : ''}`,
      r.train,
      'samples/s',
      '',
      threads,
    );
    report(
      'C1 predict',
      `backprop-wasm float32 ${threads} thread${threads > 1 ? 's' : ''}`,
      r.predict,
      'samples/s',
      `${PREDICT} digits per call`,
      threads,
    );
  }
  if (existsSync(PYTHON)) {
    for (const mmap of [false, true])
      for (const threads of [1, 2]) {
        const who = `PyTorch ${threads} thread${threads > 1 ? 's' : ''}, ${mmap ? `MALLOC_MMAP_THRESHOLD_=${MMAP}` : "glibc's default mmap threshold"}`;
        try {
          const r = torch(threads, mmap);
          report('C1 train', who, r.train, 'samples/s', 'torch.set_num_threads', threads);
          report('C1 predict', who, r.predict, 'samples/s', `${PREDICT} digits per call`, threads);
        } catch (e) {
          report('C1 train', who, null, 'samples/s', `not run: ${String(e.message).split('\n')[0]}`, threads);
        }
      }
  }
  const cpu = await tfjs('cpu', X, Y, 1, 64);
  report(
    'C1 train',
    'tfjs 4.22 cpu backend',
    cpu.train ?? null,
    'samples/s',
    cpu.error ?? `(${BATCH} digits timed, after one batch)`,
  );
  report('C1 predict', 'tfjs 4.22 cpu backend', cpu.predict ?? null, 'samples/s', cpu.error ?? '(64 digits timed)');
  const wasm = await tfjs('wasm', X, Y, 1, 64);
  report(
    'C1 train',
    'tfjs-wasm 4.22',
    wasm.train ?? null,
    'samples/s',
    wasm.error ? `cannot train: ${wasm.error}` : `(${BATCH} digits timed)`,
  );
  await tf.setBackend('wasm');
}
