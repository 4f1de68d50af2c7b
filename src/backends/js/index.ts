// The pure-TypeScript backend: the readable reference and the benchmark baseline. The formulas of
// activations, losses and optimizers are the descriptors' own (src/ops/); this file adapts them to
// the Kernels interface.
import type { Backend, FloatBuffer, Kernels, ModelSpec } from '../backend.js';
import { activationBackward, biasActivation } from '../../ops/activations.js';
import { lossOp } from '../../ops/losses.js';
import { optimizerOp } from '../../ops/optimizers.js';
import { allocFloat, type DType, type FloatArray } from '../../util/float-array.js';
import { columnSums } from './column-sums.js';
import { gemm } from './gemm.js';
import { JsModel } from './model.js';

class JsBuffer implements FloatBuffer {
  constructor(private readonly data: FloatArray) {}
  get length(): number {
    return this.data.length;
  }
  view(): FloatArray {
    return this.data;
  }
  free(): void {}
}

const v = (b: FloatBuffer): FloatArray => b.view();

const kernels: Kernels = {
  gemm: (form, m, n, k, a, lda, b, ldb, c, ldc, acc) => gemm(form, m, n, k, v(a), lda, v(b), ldb, v(c), ldc, acc),
  // The reference composes the product and the pass; only the WASM kernels fuse them.
  gemmBiasActivation: (m, n, k, a, lda, b, ldb, c, ldc, bias, act) => {
    gemm('nn', m, n, k, v(a), lda, v(b), ldb, v(c), ldc, false);
    biasActivation(act, m, n, v(c), v(bias));
  },
  gemmActivationBackward: (m, n, k, a, lda, b, ldb, c, ldc, act, kind) => {
    gemm('nt', m, n, k, v(a), lda, v(b), ldb, v(c), ldc, false);
    if (kind !== 'linear') activationBackward(kind, m * n, v(act), v(c));
  },
  biasActivation: (act, rows, cols, z, bias) => biasActivation(act, rows, cols, v(z), v(bias)),
  activationBackward: (act, n, a, d) => activationBackward(act, n, v(a), v(d)),
  outputDelta: (loss, act, rows, cols, a, z, y, d, scale) =>
    lossOp(loss).reference(act, rows, cols, v(a), z && v(z), v(y), d && v(d), scale),
  columnSums: (rows, cols, m, out) => columnSums(rows, cols, v(m), v(out)),
  update: (name, n, w, g, state, lr, hyperParams, t, weights) => {
    optimizerOp(name).update(n, v(w), v(g), state.map(v), lr, hyperParams, t, weights, true);
  },
};

export function createJsBackend(dtype: DType): Backend {
  return {
    name: 'js',
    dtype,
    kernels,
    alloc: (n: number) => new JsBuffer(allocFloat(dtype, n)),
    createModel: (spec: ModelSpec) => new JsModel(spec, dtype),
  };
}
