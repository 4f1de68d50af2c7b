// Rows that compare within one process: the relaxed-SIMD and plain kernel builds on the same
// product (each on a runtime of its own, measured alternately), and the Node-version rows of the
// secondary Node (W1, W2 and gemm n=512 on the build that Node loads by default).
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { loadRuntime } from '../src/backends/wasm/runtime.js';
import { KERNEL_VARIANTS, relaxedSimdSupported } from '../src/backends/wasm/features.js';
import type { Backend } from '../src/backends/backend.js';
import type { DType } from '../src/types.js';
import { gflops, warmMs, type Row } from './measure.js';

const N = 512;

async function gemmGflops(b: Backend): Promise<number> {
  const [A, B, C] = [b.alloc(N * N), b.alloc(N * N), b.alloc(N * N)];
  for (const x of [A, B]) {
    const v = x.view();
    for (let i = 0; i < v.length; i++) v[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  }
  const ms = await warmMs(() => b.kernels.gemm('nn', N, N, N, A, N, B, N, C, N, false), 600, 3);
  for (const x of [A, B, C]) x.free();
  return gflops(2 * N ** 3, ms);
}

/** gemm nn n=512 on each kernel build this engine runs; names end in the build, e.g. `wasm relaxed-simd`. */
export async function variantRows(dtype: DType, log: (r: Row) => void): Promise<Row[]> {
  const variants = KERNEL_VARIANTS.filter((v) => v !== 'relaxed-simd' || relaxedSimdSupported());
  const backends = await Promise.all(
    variants.map(async (v) => createWasmBackend(await loadRuntime(undefined, v), dtype)),
  );
  const best = new Map<string, number>();
  for (let round = 0; round < 2; round++) {
    for (const [i, v] of variants.entries()) best.set(v, Math.max(best.get(v) ?? 0, await gemmGflops(backends[i]!)));
  }
  const suffix = dtype === 'float32' ? 'f32' : 'f64';
  const rows = variants.map(
    (v): Row => ({
      id: 'K',
      name: `gemm_${suffix}_nn ${N}x${N}x${N} wasm ${v}`,
      metric: 'GFLOP/s',
      warm: best.get(v)!,
      note: 'better of two alternating rounds',
    }),
  );
  rows.forEach(log);
  return rows;
}
