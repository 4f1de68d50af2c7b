// C1 training speed in one run: samples/s of one epoch (after a warm-up epoch) on the wasm and js
// backends (float32, Adam, batch 32, the first N MNIST rows) and of PyTorch on one thread
// (scripts/cnn_speed_torch.py, /usr/bin/python3, MALLOC_MMAP_THRESHOLD_=16777216: glibc then keeps
// the per-batch tensors, up to 4.4 MB for conv 2's im2col, on its heap instead of an mmap and
// munmap each, which would slow PyTorch down). The machine may be shared: compare ratios.
// Run after npm run build: node scripts/cnn_speed.mjs [rows=320]
// node scripts/cnn_speed.mjs --torch-accuracy S: PyTorch's held-out accuracy of C1 on the 8,000/2,000
// split of npm run mnist-cnn (5 epochs, Adam, batch 32, seed S), for comparison with it.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { Network } from '../dist/src/index.node.js';
import { C1, splitDigits } from '../dist/examples/mnist-data.js';

const accuracySeed = process.argv[2] === '--torch-accuracy' ? Number(process.argv[3] ?? 1) : null;
const { train, test } = splitDigits();
const rows = accuracySeed === null ? Number(process.argv[2] ?? 320) : train.rows + test.rows;
const both = (k) => {
  const a = new Float32Array(train[k].length + test[k].length);
  a.set(train[k]);
  a.set(test[k], train[k].length);
  return a;
};
const x = accuracySeed === null ? train.x.subarray(0, rows * 784) : both('x'),
  y = accuracySeed === null ? train.y.subarray(0, rows * 10) : both('y');

async function backend(name) {
  const net = await Network.create({
    inputShape: [28, 28, 1],
    layers: C1,
    loss: 'crossEntropy',
    backend: name,
    dtype: 'float32',
    seed: 1,
  });
  const fit = { epochs: 1, batchSize: 32, learningRate: 1e-3, optimizer: 'adam', shuffle: false };
  net.fit(x.subarray(0, Math.min(rows, 64) * 784), y.subarray(0, Math.min(rows, 64) * 10), fit);
  const t = performance.now();
  net.fit(x, y, fit);
  const rate = rows / ((performance.now() - t) / 1000);
  net.dispose();
  return rate;
}

function torch(extra = []) {
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = y.subarray(r * 10, r * 10 + 10).indexOf(1);
  const input = Buffer.concat([Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(labels)]);
  const p = spawnSync(
    '/usr/bin/python3',
    [new URL('./cnn_speed_torch.py', import.meta.url).pathname, String(rows), ...extra],
    { input, env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '16777216', OMP_NUM_THREADS: '1' }, encoding: 'utf8' },
  );
  if (p.status !== 0) throw new Error(`PyTorch: ${p.stderr}`);
  return Number(p.stdout.trim());
}

if (accuracySeed !== null) {
  console.log(
    `PyTorch C1, seed ${accuracySeed}: held-out accuracy ${(100 * torch([String(test.rows), String(accuracySeed)])).toFixed(2)}%`,
  );
  process.exit(0);
}
const load = loadavg()[0].toFixed(2);
const wasm = await backend('wasm');
const js = await backend('js');
const pt = torch();
console.log(
  `C1 on ${rows} MNIST rows, float32, Adam, batch 32; load average ${load} before, ${loadavg()[0].toFixed(2)} after`,
);
console.log(
  `wasm ${wasm.toFixed(0)} samples/s, js ${js.toFixed(0)} samples/s, PyTorch (1 thread) ${pt.toFixed(0)} samples/s`,
);
console.log(`wasm / js ${(wasm / js).toFixed(1)}x, wasm / PyTorch ${(wasm / pt).toFixed(2)}x`);
