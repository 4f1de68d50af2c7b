// The module's exports: raw pointers (byte offsets), sizes and scalars only, and the operation
// codes as constant globals (the TypeScript descriptors are checked against them at load).
export * from "./codes";
export * from "./abi";
/** 1 when this build uses relaxed-SIMD instructions (dist/backprop-relaxed.wasm), 0 otherwise. */
export { RELAXED_SIMD } from "./madd";
// Names say op, dtype and variant; src/kernels/registry.ts lists them for tests and benchmarks.
import { gemm, gemmWorkspaceBytes, EPI_BIAS_ACT, EPI_DERIVATIVE } from "./gemm";
import { ACT_SOFTMAX } from "./codes";
import { biasActivation, activationBackward } from "./activations";
import { outputDelta } from "./losses";
import { columnSums } from "./reduce";
import { applyUpdate, MAX_PARAMS } from "./optimizers";
import { forwardNet, trainEpochs, netDescriptorBytes } from "./train";

/** First byte past the module's static data: the TypeScript arena starts here. */
export function heap_base(): usize { return __heap_base; }
/** Scratch bytes one gemm call needs. */
export function gemm_workspace_bytes(): usize { return gemmWorkspaceBytes(); }
/** Bytes of an optimizer's hyper-parameter block (f64 values). */
export function optimizer_params_bytes(): usize { return <usize>MAX_PARAMS << 3; }
/** Bytes of the layer table of an L-layer network. */
export function net_descriptor_bytes(layers: i32): usize { return netDescriptorBytes(layers); }

/** C = A·B (+C if acc): A m x k (lda), B k x n (ldb), C m x n (ldc). */
export function gemm_f32_nn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f32>(false, false, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }
/** C = Aᵀ·B (+C if acc): A stored k x m (lda). */
export function gemm_f32_tn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f32>(true, false, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }
/** C = A·Bᵀ (+C if acc): B stored n x k (ldb). */
export function gemm_f32_nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f32>(false, true, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }
/** C = A·B (+C if acc), f64. */
export function gemm_f64_nn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f64>(false, false, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }
/** C = Aᵀ·B (+C if acc), f64. */
export function gemm_f64_tn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f64>(true, false, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }
/** C = A·Bᵀ (+C if acc), f64. */
export function gemm_f64_nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize): void { gemm<f64>(false, true, m, n, k, a, lda, b, ldb, c, ldc, acc, ws); }

/** C = f(A·B + bias) with the bias and activation applied as each tile is stored (softmax: after the product). */
export function gemm_bias_activation_f32_nn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, act: i32, ws: usize): void { gemmBiasActivation<f32>(m, n, k, a, lda, b, ldb, c, ldc, bias, act, ws); }
export function gemm_bias_activation_f64_nn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, act: i32, ws: usize): void { gemmBiasActivation<f64>(m, n, k, a, lda, b, ldb, c, ldc, bias, act, ws); }
/** C = (A·Bᵀ) ⊙ f'(act), f' computed from the activations act (laid out like C), applied as each tile is stored. */
export function gemm_activation_backward_f32_nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, act: usize, kind: i32, ws: usize): void { gemm<f32>(false, true, m, n, k, a, lda, b, ldb, c, ldc, false, ws, EPI_DERIVATIVE, kind, act); }
export function gemm_activation_backward_f64_nt(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, act: usize, kind: i32, ws: usize): void { gemm<f64>(false, true, m, n, k, a, lda, b, ldb, c, ldc, false, ws, EPI_DERIVATIVE, kind, act); }

// Softmax spans a whole row, across tiles: it runs after the product.
@inline function gemmBiasActivation<T>(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, act: i32, ws: usize): void {
  if (act == ACT_SOFTMAX) {
    gemm<T>(false, false, m, n, k, a, lda, b, ldb, c, ldc, false, ws);
    biasActivation<T>(act, m, n, c, bias);
  } else {
    gemm<T>(false, false, m, n, k, a, lda, b, ldb, c, ldc, false, ws, EPI_BIAS_ACT, act, bias);
  }
}

/** In place z = f(z + bias), rows x cols. */
export function bias_activation_f32(act: i32, rows: i32, cols: i32, z: usize, bias: usize): void { biasActivation<f32>(act, rows, cols, z, bias); }
export function bias_activation_f64(act: i32, rows: i32, cols: i32, z: usize, bias: usize): void { biasActivation<f64>(act, rows, cols, z, bias); }
/** In place delta *= f'(a), n elements. */
export function activation_backward_f32(act: i32, n: i32, a: usize, delta: usize): void { activationBackward<f32>(act, n, a, delta); }
export function activation_backward_f64(act: i32, n: i32, a: usize, delta: usize): void { activationBackward<f64>(act, n, a, delta); }
/** Loss summed over the batch (cross-entropy from the logits z); writes delta (scaled) when d != 0. */
export function output_delta_f32(loss: i32, act: i32, rows: i32, cols: i32, a: usize, z: usize, y: usize, d: usize, scale: f64): f64 { return outputDelta<f32>(loss, act, rows, cols, a, z, y, d, <f32>scale); }
export function output_delta_f64(loss: i32, act: i32, rows: i32, cols: i32, a: usize, z: usize, y: usize, d: usize, scale: f64): f64 { return outputDelta<f64>(loss, act, rows, cols, a, z, y, d, scale); }
/** out = column sums of a rows x cols matrix. */
export function column_sums_f32(rows: i32, cols: i32, m: usize, out: usize): void { columnSums<f32>(rows, cols, m, out); }
export function column_sums_f64(rows: i32, cols: i32, m: usize, out: usize): void { columnSums<f64>(rows, cols, m, out); }

/** One optimizer step over n values: opt is an OPT_* code; s1, s2 its state arrays; params its f64 hyper-parameters; weights false for biases (no weight decay). */
export function update_f32(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: f64, params: usize, t: f64, weights: bool): void { applyUpdate<f32>(opt, n, w, g, s1, s2, <f32>lr, params, t, weights); }
export function update_f64(opt: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize, lr: f64, params: usize, t: f64, weights: bool): void { applyUpdate<f64>(opt, n, w, g, s1, s2, lr, params, t, weights); }

/** Forward pass of rows samples through the network at net; returns the output pointer. */
export function forward_f32(net: usize, x: usize, rows: i32): usize { return forwardNet<f32>(net, x, rows, false, 0); }
export function forward_f64(net: usize, x: usize, rows: i32): usize { return forwardNet<f64>(net, x, rows, false, 0); }
/** `epochs` epochs of minibatches (perms: one i32 permutation per epoch, or 0 for in order); per-epoch loss sum and correct count go to stats (f64 pairs); returns epochs completed. */
export function train_epochs_f32(net: usize, x: usize, y: usize, perms: usize, n: i32, batch: i32, epochs: i32, lr: f64, mean: bool, params: usize, t0: f64, stats: usize): i32 { return trainEpochs<f32>(net, x, y, perms, n, batch, epochs, <f32>lr, mean, params, t0, stats); }
export function train_epochs_f64(net: usize, x: usize, y: usize, perms: usize, n: i32, batch: i32, epochs: i32, lr: f64, mean: bool, params: usize, t0: f64, stats: usize): i32 { return trainEpochs<f64>(net, x, y, perms, n, batch, epochs, lr, mean, params, t0, stats); }
