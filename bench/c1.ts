// C1 of docs/workloads.md (issue 19's CNN): training and predict samples/s on 1 and 2 threads with
// their effective GFLOP/s, and the conv stages' products on the packed gemm at C1's im2col shapes
// beside the dense gemm n=512 (float32 WASM only: the JS backend trains C1 at a few hundred samples/s).
import { Network } from '../src/index.node.js';
import { getBackend } from '../src/backends/index.js';
import type { GemmForm } from '../src/backends/backend.js';
import { LAYER_KINDS, resolveLayer, type LayerConfig, type Shape } from '../src/layers/index.js';
import { C1, type Digits } from '../examples/mnist-data.js';
import { gflops, onceMs, perSecond, warmMs, type Row } from './measure.js';

/** The C1 workload: SGD lr 0.05, batch 64, the first 4,992 digits per epoch (docs/workloads.md). */
export const C1_WORKLOAD = {
  inputShape: [28, 28, 1],
  batch: 64,
  rows: 4992,
  learningRate: 0.05,
  predictRows: 1024,
} as const;

/** One product of a layer with parameters for one image: m output positions × n outputs, k multiply-adds each. */
export interface Product {
  type: LayerConfig['type'];
  m: number;
  n: number;
  k: number;
}

/** The products of one image through the layers: conv m = outH·outW, k = kh·kw·inChannels, n = filters; dense m = 1. */
export function productsOf(inputShape: readonly number[], layers: readonly LayerConfig[]): Product[] {
  const out: Product[] = [];
  let shape: Shape = [...inputShape];
  for (const c of layers) {
    const kind = LAYER_KINDS[c.type] as (typeof LAYER_KINDS)['dense'];
    const next = kind.outputShape(c as never, shape, c.type),
      p = kind.params(c as never, shape);
    if (p) {
      const n = p.W.at(-1)!,
        k = p.W.slice(0, -1).reduce((a, v) => a * v, 1);
      out.push({ type: c.type, m: next.reduce((a, v) => a * v, 1) / n, n, k });
    }
    shape = next;
  }
  return out;
}

/**
 * FLOPs per image, 2 per multiply-add: predict is every forward product; a training step adds the
 * weight gradient of every layer and the input gradient of every layer but the first (not computed).
 */
export function flopsPerImage(products: readonly Product[]): { predict: number; train: number } {
  const f = products.map((p) => 2 * p.m * p.n * p.k);
  const predict = f.reduce((a, v) => a + v, 0);
  return { predict, train: 3 * predict - f[0]! };
}

const LAYERS = C1.map((l, i) => resolveLayer(l, `C1[${i}]`));
export const C1_FLOPS = flopsPerImage(productsOf(C1_WORKLOAD.inputShape, LAYERS));

const create = (threads: number) =>
  Network.create({
    inputShape: [...C1_WORKLOAD.inputShape],
    layers: C1,
    loss: 'crossEntropy',
    dtype: 'float32',
    seed: 1,
    threads,
  });
const suffix = (threads: number) => (threads > 1 ? ` ${threads} threads` : '');
const rate = (v: number, flops: number) =>
  `${((v * flops) / 1e9).toFixed(1)} GFLOP/s effective (${(flops / 1e6).toFixed(2)} MFLOP per image)`;

/** Samples/s of the first epoch (cold) and the best of the next two (warm). */
async function trainRow(data: Digits, threads: number): Promise<Row> {
  const { rows, batch, learningRate } = C1_WORKLOAD;
  const net = await create(threads);
  const rates: number[] = [];
  net.fit(data.x.subarray(0, rows * 784), data.y.subarray(0, rows * 10), {
    epochs: 3,
    batchSize: batch,
    learningRate,
    optimizer: 'sgd',
    onEpochEnd: (_, logs) => {
      rates.push(logs.samplesPerSecond);
    },
  });
  net.dispose();
  const warm = Math.max(rates[1]!, rates[2]!);
  return {
    id: 'C1',
    name: `C1 train${suffix(threads)} batch ${batch} float32 wasm`,
    metric: 'samples/s',
    cold: rates[0]!,
    warm,
    note: `${rows} digits per epoch, best of epochs 2-3; ${rate(warm, C1_FLOPS.train)}`,
  };
}

async function predictRow(data: Digits, threads: number): Promise<Row> {
  const n = C1_WORKLOAD.predictRows,
    net = await create(threads);
  const x = data.x.subarray(0, n * 784),
    options = { out: new Float32Array(n * 10) };
  const cold = onceMs(() => net.predict(x, options));
  const warm = await warmMs(() => net.predict(x, options), 300, 3);
  net.dispose();
  return {
    id: 'C1',
    name: `C1 predict ${n} rows${suffix(threads)} float32 wasm`,
    metric: 'samples/s',
    cold: perSecond(n, cold),
    warm: perSecond(n, warm),
    note: rate(perSecond(n, warm), C1_FLOPS.predict),
  };
}

/**
 * The conv stages' gemm calls of one C1 training batch (forward cols·W, weight gradient colsᵀ·dZ,
 * input gradient dZ·Wᵀ except for the first stage) at batch 64, timed on the packed gemm with
 * arbitrary values, against gemm nn n=512 in the same process (better of two alternating rounds).
 */
async function convGemmRow(): Promise<Row> {
  const b = await getBackend('wasm', 'float32');
  const convs = productsOf(C1_WORKLOAD.inputShape, LAYERS).filter((p) => p.type === 'conv2d');
  const calls: [GemmForm, number, number, number][] = convs.flatMap(({ m, n, k }, s) => {
    const M = m * C1_WORKLOAD.batch;
    const forms: [GemmForm, number, number, number][] = [
      ['nn', M, n, k],
      ['tn', k, n, M],
    ];
    return s > 0 ? [...forms, ['nt', M, k, n]] : forms;
  });
  const size = Math.max(...calls.map(([, m, n, k]) => Math.max(m * k, k * n, m * n)), 512 * 512);
  const [A, B, C] = [b.alloc(size), b.alloc(size), b.alloc(size)];
  for (const x of [A, B]) {
    const v = x.view();
    for (let i = 0; i < v.length; i++) v[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  }
  const flops = calls.reduce((a, [, m, n, k]) => a + 2 * m * n * k, 0);
  const conv = () => {
    for (const [form, m, n, k] of calls) {
      const [lda, ldb] = [form === 'tn' ? m : k, form === 'nt' ? k : n];
      b.kernels.gemm(form, m, n, k, A, lda, B, ldb, C, n, false);
    }
  };
  const dense = () => b.kernels.gemm('nn', 512, 512, 512, A, 512, B, 512, C, 512, false);
  let convBest = 0,
    denseBest = 0;
  for (let round = 0; round < 2; round++) {
    convBest = Math.max(convBest, gflops(flops, await warmMs(conv, 400, 3)));
    denseBest = Math.max(denseBest, gflops(2 * 512 ** 3, await warmMs(dense, 400, 3)));
  }
  for (const x of [A, B, C]) x.free();
  const shapes = calls.map(([form, m, n, k]) => `${form} ${m}x${n}x${k}`).join(', ');
  return {
    id: 'C1',
    name: 'C1 conv gemm ÷ gemm_f32_nn 512x512x512 wasm',
    metric: 'ratio',
    warm: convBest / denseBest,
    note: `conv ${convBest.toFixed(1)} vs dense ${denseBest.toFixed(1)} GFLOP/s; m x n x k: ${shapes}`,
  };
}

/** The C1 rows (float32 WASM): training and predict on 1 and 2 threads, and the conv gemm ratio. */
export async function c1Rows(data: Digits, log: (r: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (r: Row) => {
    log(r);
    rows.push(r);
  };
  for (const threads of [1, 2]) add(await trainRow(data, threads));
  for (const threads of [1, 2]) add(await predictRow(data, threads));
  add(await convGemmRow());
  return rows;
}
