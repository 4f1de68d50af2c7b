// The training workloads of BENCHMARKS.md (W0 seed, W1 784-128-10, W2 784-512-512-10, W4 sigmoid),
// on both backends, and C1 (bench/c1.ts) on float32 WASM. Cold is the first epoch (or first fit) in
// this process, warm a later one.
import { Network, type BackendName, type DType, type NetworkOptions } from '../src/index.node.js';
import { getBackend } from '../src/backends/index.js';
import { loadDigits, type Digits } from '../examples/mnist-data.js';
import { onceMs, perSecond, warmMs, type Row } from './measure.js';
import { c1Rows } from './c1.js';

const SEED_WEIGHTS = [
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
const SEED_EPOCHS = 50001;

/** Times a fit and, within it, the backend's training calls (the network's model, reached past TypeScript's private). */
function timedFit(net: Network, fit: () => void): { total: number; backend: number } {
  const model = (net as unknown as { model: { trainEpochs: (...args: unknown[]) => unknown } }).model;
  const call = model.trainEpochs.bind(model);
  let backend = 0;
  model.trainEpochs = (...args: unknown[]) => {
    const t = performance.now();
    try {
      return call(...args);
    } finally {
      backend += performance.now() - t;
    }
  };
  const total = onceMs(fit);
  return { total, backend };
}

/**
 * W0 per epoch, and the part of it spent outside the backend's training calls (fit's own loop and
 * history): the seed's epoch is so short that per-epoch JavaScript shows. That part once cost a third
 * of the WASM epoch (the history filled inside fit's generator, which V8 does not optimize).
 */
async function w0(backend: BackendName, dtype: DType): Promise<Row[]> {
  const run = async () => {
    const net = await Network.create({ layers: [2, 3, 2], dtype, backend, weights: SEED_WEIGHTS });
    const t = timedFit(net, () =>
      net.fit(
        [
          [0.6, 0.1],
          [0.3, 0.6],
        ],
        [
          [0, 1],
          [0, 1],
        ],
        {
          epochs: SEED_EPOCHS,
          learningRate: 0.01,
          lossReduction: 'sum',
          shuffle: false,
          optimizer: 'sgd',
          batchSize: 2,
        },
      ),
    );
    net.dispose();
    return { total: (t.total * 1000) / SEED_EPOCHS, outside: ((t.total - t.backend) * 1000) / SEED_EPOCHS };
  };
  const cold = await run();
  const warm = [await run(), await run(), await run()].sort((a, b) => a.total - b.total)[1]!;
  return [
    {
      id: 'W0',
      name: `seed 2-3-2 sgd ${SEED_EPOCHS} epochs ${dtype} ${backend}`,
      metric: 'µs/epoch',
      cold: cold.total,
      warm: warm.total,
      note: `whole loop ${((warm.total * SEED_EPOCHS) / 1e6).toFixed(3)} s warm`,
    },
    {
      id: 'W0',
      name: `seed 2-3-2 fit outside the backend call ${dtype} ${backend}`,
      metric: 'µs/epoch',
      cold: cold.outside,
      warm: warm.outside,
      note: `${((100 * warm.outside) / warm.total).toFixed(1)}% of this W0 row's epoch (fit's time outside the backend call, its one-off setup spread over the epochs included)`,
    },
  ];
}

/** Samples/s of the first epoch (cold) and of the second (warm, after one warm-up epoch). */
async function epochRates(
  arch: NetworkOptions,
  data: Digits,
  rows: number,
  batchSize: number,
): Promise<[number, number]> {
  const net = await Network.create({ ...arch, seed: 1 });
  const rates: number[] = [];
  const x = data.x.subarray(0, rows * 784),
    y = data.y.subarray(0, rows * 10);
  net.fit(x, y, {
    epochs: 2,
    batchSize,
    learningRate: 0.1,
    optimizer: 'sgd',
    onEpochEnd: (_, logs) => {
      rates.push(logs.samplesPerSecond);
    },
  });
  net.dispose();
  return [rates[0]!, rates[1]!];
}

export async function mnistRow(
  id: 'W1' | 'W2',
  backend: BackendName,
  dtype: DType,
  data: Digits,
  dropout = 0,
  threads = 1,
): Promise<Row> {
  const layers = id === 'W1' ? [784, 128, 10] : [784, 512, 512, 10];
  const batch = id === 'W1' ? 64 : 256;
  // The JS backend takes ~25 s per W2 epoch; it is timed on the first 2,560 digits (10 batches).
  const rows = id === 'W2' && backend === 'js' ? 2560 : 9984;
  const [cold, warm] = await epochRates(
    { layers, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', dtype, backend, dropout, threads },
    data,
    rows,
    batch,
  );
  const variant = (dropout ? ` dropout ${dropout}` : '') + (threads > 1 ? ` ${threads} threads` : '');
  return {
    id,
    name: `${layers.join('-')}${variant} batch ${batch} ${dtype} ${backend}`,
    metric: 'samples/s',
    cold,
    warm,
    note: `${rows} digits per epoch`,
  };
}

async function w4(backend: BackendName): Promise<Row> {
  const b = await getBackend(backend, 'float32');
  const n = 1 << 20;
  const z = b.alloc(n),
    bias = b.alloc(n);
  const fill = () => {
    const v = z.view();
    for (let i = 0; i < n; i++) v[i] = -20 + (40 * (i + 0.5)) / n;
  };
  fill();
  const xs = Float64Array.from(z.view());
  b.kernels.biasActivation('sigmoid', 1, n, z, bias);
  let err = 0;
  const out = z.view();
  for (let i = 0; i < n; i++) {
    const ref = 1 / (1 + Math.exp(-xs[i]!));
    err = Math.max(err, Math.abs(out[i]! - ref) / ref);
  }
  const warm = await warmMs(() => b.kernels.biasActivation('sigmoid', 1, n, z, bias), 300);
  z.free();
  bias.free();
  return {
    id: 'W4',
    name: `sigmoid_f32 1M ${backend}`,
    metric: 'M elements/s',
    warm: perSecond(n, warm) / 1e6,
    note: `max relative error ${err.toExponential(2)} on [-20, 20] vs float64`,
  };
}

/** Latency of one-row predict with { out } (an app classifying one frame at a time). */
async function predictRow(backend: BackendName, dtype: DType): Promise<Row> {
  const net = await Network.create({
    layers: [784, 128, 10],
    output: 'softmax',
    loss: 'crossEntropy',
    dtype,
    backend,
    seed: 1,
  });
  const x = dtype === 'float32' ? new Float32Array(784).fill(0.3) : new Float64Array(784).fill(0.3);
  const options = { out: dtype === 'float32' ? new Float32Array(10) : new Float64Array(10) };
  const cold = onceMs(() => net.predict(x, options));
  const warm = await warmMs(() => net.predict(x, options), 300);
  net.dispose();
  return {
    id: 'K',
    name: `predict 1 row 784-128-10 ${dtype} ${backend}`,
    metric: 'µs/call',
    cold: cold * 1000,
    warm: warm * 1000,
  };
}

const PREDICT_NETS = { W1: [784, 128, 10], W2: [784, 512, 512, 10] } as const;

/**
 * predict of 1, 64 and 1,024 rows of the W1 and W2 networks (float32 WASM) with a reused { out }:
 * the rows to put beside ONNX Runtime Web's (bench/peers). Sigmoid hidden layers, softmax output.
 */
async function predictRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [id, layers] of Object.entries(PREDICT_NETS)) {
    const net = await Network.create({
      layers: [...layers],
      activation: 'sigmoid',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 1,
    });
    for (const n of [1, 64, 1024]) {
      const x = new Float32Array(784 * n).map((_, i) => ((i * 2654435761) % 1000) / 1000);
      const options = { out: new Float32Array(10 * n) };
      const cold = onceMs(() => net.predict(x, options));
      const warm = await warmMs(() => net.predict(x, options), 300);
      const macs = n * layers.slice(1).reduce((s, o, i) => s + o * layers[i]!, 0);
      rows.push({
        id: 'P',
        name: `predict ${n} ${n === 1 ? 'row' : 'rows'} sigmoid ${layers.join('-')} float32 wasm`,
        metric: 'µs/call',
        cold: cold * 1000,
        warm: warm * 1000,
        note: `${id} network; ${((2 * macs) / (warm * 1e6)).toFixed(1)} GFLOP/s`,
      });
    }
    net.dispose();
  }
  return rows;
}

/** The workload rows of one dtype and backend (W4 is float32 only). */
export async function workloadRows(dtype: DType, backend: BackendName, log: (r: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (r: Row) => {
    log(r);
    rows.push(r);
  };
  for (const r of await w0(backend, dtype)) add(r);
  const data = loadDigits();
  add(await mnistRow('W1', backend, dtype, data));
  add(await mnistRow('W1', backend, dtype, data, 0.2)); // the cost of dropout (target: >= 85% of W1's speed)
  add(await mnistRow('W2', backend, dtype, data));
  if (backend === 'wasm' && dtype === 'float32') {
    // Threads split each product by output tiles: the same results, on both cores of this machine class.
    add(await mnistRow('W1', backend, dtype, data, 0, 2));
    add(await mnistRow('W2', backend, dtype, data, 0, 2));
  }
  if (dtype === 'float32') add(await w4(backend));
  add(await predictRow(backend, dtype));
  if (backend === 'wasm' && dtype === 'float32') for (const r of await predictRows()) add(r);
  if (backend === 'wasm' && dtype === 'float32') rows.push(...(await c1Rows(data, log)));
  return rows;
}
