// The Kernels interface over the WASM exports: buffers are arena regions, passed as pointers.
import type { FloatBuffer, Kernels } from '../../backend.js';
import type { DType, FloatArray } from '../../types.js';
import { ACTIVATION_CODES, LOSS_CODES } from '../../codes.js';
import { ArenaView } from './arena.js';
import { bytesPer } from '../../bytes.js';
import type { WasmRuntime } from './runtime.js';

export class WasmBuffer implements FloatBuffer {
  private readonly region: ArenaView;
  private freed = false;

  constructor(private readonly rt: WasmRuntime, dtype: DType, readonly length: number) {
    const bytes = length * bytesPer(dtype);
    this.region = new ArenaView(rt.arena, dtype, rt.arena.alloc(bytes), length);
  }

  get ptr(): number {
    if (this.freed) throw new Error('backprop-wasm: buffer used after free()');
    return this.region.ptr;
  }

  view(): FloatArray { return this.region.get(); }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.rt.arena.free(this.region.ptr);
  }
}

function ptr(b: FloatBuffer): number {
  if (!(b instanceof WasmBuffer)) throw new TypeError('backprop-wasm: the wasm kernels take buffers from backend.alloc()');
  return b.ptr;
}

export function createWasmKernels(rt: WasmRuntime, dtype: DType): Kernels {
  const k = dtype === 'float32' ? rt.f32 : rt.f64;
  const ws = rt.workspace;
  const gemms = { nn: k.gemm_nn, tn: k.gemm_tn, nt: k.gemm_nt };
  return {
    gemm: (form, m, n, kk, a, lda, b, ldb, c, ldc, acc) =>
      gemms[form](m, n, kk, ptr(a), lda, ptr(b), ldb, ptr(c), ldc, acc, ws),
    gemmBiasActivation: (m, n, kk, a, lda, b, ldb, c, ldc, bias, act) =>
      k.gemm_bias_activation_nn(m, n, kk, ptr(a), lda, ptr(b), ldb, ptr(c), ldc, ptr(bias), ACTIVATION_CODES[act], ws),
    gemmActivationBackward: (m, n, kk, a, lda, b, ldb, c, ldc, act, kind) =>
      k.gemm_activation_backward_nt(m, n, kk, ptr(a), lda, ptr(b), ldb, ptr(c), ldc, ptr(act), ACTIVATION_CODES[kind], ws),
    biasActivation: (act, rows, cols, z, bias) => k.bias_activation(ACTIVATION_CODES[act], rows, cols, ptr(z), ptr(bias)),
    activationBackward: (act, n, a, d) => k.activation_backward(ACTIVATION_CODES[act], n, ptr(a), ptr(d)),
    outputDelta: (loss, act, rows, cols, a, y, d, scale) =>
      k.output_delta(LOSS_CODES[loss], ACTIVATION_CODES[act], rows, cols, ptr(a), ptr(y), d ? ptr(d) : 0, scale),
    columnSums: (rows, cols, m, out) => k.column_sums(rows, cols, ptr(m), ptr(out)),
    sgd: (n, w, g, lr) => k.sgd(n, ptr(w), ptr(g), lr),
    momentum: (n, w, g, v, lr, mu) => k.momentum(n, ptr(w), ptr(g), ptr(v), lr, mu),
    adam: (n, w, g, m, v, lr, b1, b2, eps, t) => k.adam(n, ptr(w), ptr(g), ptr(m), ptr(v), lr, b1, b2, eps, t),
  };
}
