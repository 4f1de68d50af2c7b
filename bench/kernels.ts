// Per-kernel rows: every registry entry on both backends, named `<kernel> <shape> <backend>`.
// gemm rows are W3 (square n); the others run at a training-sized shape.
import { getBackend } from '../src/backends/index.js';
import type { Backend, FloatBuffer } from '../src/backends/backend.js';
import type { BackendName, DType } from '../src/types.js';
import { KERNELS, type KernelEntry } from '../src/backends/kernel-registry.js';
import { gflops, onceMs, perSecond, warmMs, type Row } from './measure.js';
import { OPTIMIZERS } from '../src/ops/optimizers.js';

const GEMM_SIZES = [32, 64, 128, 256, 512, 1024];
/** The JS backend is skipped above this size (a 1024 product takes seconds per call there). */
const JS_GEMM_MAX = 512;
const ELEMENTS = 1 << 20;

function filled(b: Backend, n: number, lo = -1, hi = 1): FloatBuffer {
  const buf = b.alloc(n);
  const v = buf.view();
  for (let i = 0; i < n; i++) v[i] = lo + ((hi - lo) * ((i * 2654435761) % 1000)) / 1000;
  return buf;
}

async function gemmRows(b: Backend, e: KernelEntry): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of GEMM_SIZES) {
    if (b.name === 'js' && n > JS_GEMM_MAX) continue;
    const [A, B, C] = [filled(b, n * n), filled(b, n * n), b.alloc(n * n)];
    const call = () => b.kernels.gemm(e.variant!, n, n, n, A, n, B, n, C, n, false);
    const cold = onceMs(call);
    const warm = await warmMs(call, n >= 512 ? 600 : 250, 3);
    rows.push({
      id: 'W3',
      name: `${e.name} ${n}x${n}x${n} ${b.name}`,
      metric: 'GFLOP/s',
      cold: gflops(2 * n ** 3, cold),
      warm: gflops(2 * n ** 3, warm),
    });
    for (const x of [A, B, C]) x.free();
  }
  return rows;
}

async function elementwiseRows(b: Backend, e: KernelEntry): Promise<Row[]> {
  const n = ELEMENTS,
    k = b.kernels;
  const [p, q, r, s] = [filled(b, n, 0.01, 0.99), filled(b, n), filled(b, n), filled(b, n, 0, 1)];
  const defaults = (op: (typeof OPTIMIZERS)[number]) =>
    Object.fromEntries(op.hyperParams.map((x) => [x.name, x.default]));
  // One row per kernel; the update kernel gets one per optimizer descriptor.
  const calls: Partial<Record<KernelEntry['family'], [string, () => void][]>> = {
    biasActivation: [['sigmoid 1024x1024', () => k.biasActivation('sigmoid', 1024, 1024, q, r)]],
    activationBackward: [['sigmoid 1M', () => k.activationBackward('sigmoid', n, p, q)]],
    outputDelta: [
      [
        'mse/sigmoid 1024x1024',
        () => {
          k.outputDelta('mse', 'sigmoid', 1024, 1024, p, null, s, r, 1 / 1024);
        },
      ],
    ],
    columnSums: [['1024x1024', () => k.columnSums(1024, 1024, q, r)]],
    update: OPTIMIZERS.map((op) => [
      `${op.name} 1M`,
      () => k.update(op.name, n, q, r, [p, s].slice(0, op.stateArrays), 1e-9, defaults(op), 10, true),
    ]),
  };
  const rows: Row[] = [];
  for (const [what, call] of calls[e.family] ?? []) {
    const warm = await warmMs(call, 250);
    rows.push({ id: 'K', name: `${e.name} ${what} ${b.name}`, metric: 'M elements/s', warm: perSecond(n, warm) / 1e6 });
  }
  for (const x of [p, q, r, s]) x.free();
  return rows;
}

// The fused products at the W2 shapes they serve: a hidden layer's forward (bias + sigmoid in the
// tile stores) and its δ·Wᵀ (times sigmoid'). The JS rows are the product and then the pass.
async function fusedRow(b: Backend, e: KernelEntry): Promise<Row> {
  const forward = e.family === 'gemmBiasActivation';
  const [m, n, k] = forward ? [256, 512, 784] : [256, 512, 512];
  const [A, B, C, aux] = [
    filled(b, m * k),
    filled(b, k * n, -0.05, 0.05),
    b.alloc(m * n),
    filled(b, forward ? n : m * n, 0.01, 0.99),
  ];
  const call = forward
    ? () => b.kernels.gemmBiasActivation(m, n, k, A, k, B, n, C, n, aux, 'sigmoid')
    : () => b.kernels.gemmActivationBackward(m, n, k, A, k, B, k, C, n, aux, 'sigmoid');
  const cold = onceMs(call);
  const warm = await warmMs(call, 400, 3);
  for (const x of [A, B, C, aux]) x.free();
  return {
    id: 'K',
    name: `${e.name} ${m}x${n}x${k} sigmoid ${b.name}`,
    metric: 'GFLOP/s',
    cold: gflops(2 * m * n * k, cold),
    warm: gflops(2 * m * n * k, warm),
  };
}

/** Kernel rows for every registry entry of dtype; the fused-loop entries are measured by the workloads. */
export async function kernelRows(dtype: DType, backend: BackendName, log: (r: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const b = await getBackend(backend, dtype);
  for (const e of KERNELS.filter((k) => k.dtype === dtype)) {
    const out =
      e.family === 'gemm'
        ? await gemmRows(b, e)
        : e.family === 'gemmBiasActivation' || e.family === 'gemmActivationBackward'
          ? [await fusedRow(b, e)]
          : await elementwiseRows(b, e);
    out.forEach(log);
    rows.push(...out);
  }
  return rows;
}
