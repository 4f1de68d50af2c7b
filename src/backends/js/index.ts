// The pure-TypeScript backend: the readable reference and the benchmark baseline.
import type { Backend, FloatBuffer, Kernels, ModelSpec } from '../../backend.js';
import type { DType, FloatArray } from '../../types.js';
import { allocFloat } from '../../data.js';
import { gemm } from './gemm.js';
import { activationBackward, biasActivation } from './activations.js';
import { outputDelta } from './losses.js';
import { adam, columnSums, momentum, sgd } from './updates.js';
import { JsModel } from './model.js';

class JsBuffer implements FloatBuffer {
  constructor(private readonly data: FloatArray) {}
  get length(): number { return this.data.length; }
  view(): FloatArray { return this.data; }
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
  outputDelta: (loss, act, rows, cols, a, y, d, scale) => outputDelta(loss, act, rows, cols, v(a), v(y), d && v(d), scale),
  columnSums: (rows, cols, m, out) => columnSums(rows, cols, v(m), v(out)),
  sgd: (n, w, g, lr) => sgd(n, v(w), v(g), lr),
  momentum: (n, w, g, vel, lr, mu) => momentum(n, v(w), v(g), v(vel), lr, mu),
  adam: (n, w, g, m, s, lr, b1, b2, eps, t) => adam(n, v(w), v(g), v(m), v(s), lr, b1, b2, eps, t),
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
