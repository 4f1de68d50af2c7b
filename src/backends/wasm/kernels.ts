// The Kernels interface over the WASM exports: buffers are arena regions, passed as pointers.
import type { FloatBuffer, Kernels } from '../backend.js';
import { activationOp } from '../../ops/activations.js';
import { lossOp } from '../../ops/losses.js';
import { optimizerOp, packHyperParams } from '../../ops/optimizers.js';
import { bytesPer, type DType, type FloatArray } from '../../util/float-array.js';
import { ArenaView } from './arena.js';
import type { WasmRuntime } from './runtime.js';

export class WasmBuffer implements FloatBuffer {
  private readonly region: ArenaView;
  private freed = false;

  constructor(
    private readonly rt: WasmRuntime,
    dtype: DType,
    readonly length: number,
  ) {
    const bytes = length * bytesPer(dtype);
    this.region = new ArenaView(rt.arena, dtype, rt.arena.alloc(bytes), length);
  }

  get ptr(): number {
    if (this.freed) throw new Error('backprop-wasm: buffer used after free()');
    return this.region.ptr;
  }

  view(): FloatArray {
    return this.region.get();
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.rt.arena.free(this.region.ptr);
  }
}

function ptr(b: FloatBuffer): number {
  if (!(b instanceof WasmBuffer))
    throw new TypeError('backprop-wasm: the wasm kernels take buffers from backend.alloc()');
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
      k.gemm_bias_activation_nn(m, n, kk, ptr(a), lda, ptr(b), ldb, ptr(c), ldc, ptr(bias), activationOp(act).code, ws),
    gemmActivationBackward: (m, n, kk, a, lda, b, ldb, c, ldc, act, kind) =>
      k.gemm_activation_backward_nt(
        m,
        n,
        kk,
        ptr(a),
        lda,
        ptr(b),
        ldb,
        ptr(c),
        ldc,
        ptr(act),
        activationOp(kind).code,
        ws,
      ),
    biasActivation: (act, rows, cols, z, bias) =>
      k.bias_activation(activationOp(act).code, rows, cols, ptr(z), ptr(bias)),
    activationBackward: (act, n, a, d) => k.activation_backward(activationOp(act).code, n, ptr(a), ptr(d)),
    outputDelta: (loss, act, rows, cols, a, z, y, d, scale) =>
      k.output_delta(
        lossOp(loss).code,
        activationOp(act).code,
        rows,
        cols,
        ptr(a),
        z ? ptr(z) : 0,
        ptr(y),
        d ? ptr(d) : 0,
        scale,
      ),
    columnSums: (rows, cols, m, out) => k.column_sums(rows, cols, ptr(m), ptr(out)),
    update: (name, n, w, g, state, lr, hyperParams, t, weights) => {
      rt.writeHyperParams(packHyperParams(name, hyperParams));
      k.update(
        optimizerOp(name).code,
        n,
        ptr(w),
        ptr(g),
        state[0] ? ptr(state[0]) : 0,
        state[1] ? ptr(state[1]) : 0,
        lr,
        rt.hyperBlock,
        t,
        weights,
      );
    },
  };
}
