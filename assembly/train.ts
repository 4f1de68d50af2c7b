// The fused training loop: one exported call runs a batch or a whole epoch, so a tiny network
// does not pay a JS<->WASM crossing per operation.
import { gemm, EPI_BIAS_ACT, EPI_DERIVATIVE, EPI_NONE } from "./gemm";
import { ACT_SOFTMAX, ACT_LINEAR } from "./codes";
import { biasActivation, logitsActivation } from "./activations";
import { fromInput } from "./smooth";
import { outputDelta } from "./losses";
import { columnSums } from "./reduce";
import { absErrorSum, countCorrect } from "./metrics";
import { updateLayers, paramCount } from "./update-layers";
import { deferProducts, runDeferred, parallelUpdate, resetDeferred } from "./threads";
import { dropoutForward, dropoutBackward } from "./dropout";
import { imageForward, imageBackward } from "./image";
import {
  header, layerField, stageField, H_STAGES, H_INPUT_WIDTH, S_A, S_D, H_DROPOUT_SEED, H_METRIC, METRIC_ABS_ERROR, H_LAYERS, H_LOSS, H_OPTIMIZER, H_WORKSPACE, H_X_BATCH, H_Y_BATCH, H_FAILED_BATCH, H_FAILED_KIND, FAIL_LOSS, FAIL_UPDATE,
  L_IN, L_OUT, L_ACT, L_W, L_B, L_DW, L_DB, L_A, L_D, L_Z, L_MASK, L_DROPPED, L_DROP_THRESHOLD, HEADER_WORDS, LAYER_WORDS,
} from "./layout";

/**
 * Forward pass of `rows` samples from x; returns the pointer of the output activations. In
 * training (at optimizer step t), a hidden layer with dropout passes A ⊙ mask to the next layer.
 */
export function forwardNet<T>(net: usize, x: usize, rows: i32, training: bool, t: f64): usize {
  const ws = <usize>header(net, H_WORKSPACE);
  if (!training) resetDeferred();
  let prev = imageForward<T>(net, x, rows);
  for (let l = 0, L = header(net, H_LAYERS); l < L; l++) {
    const nIn = layerField(net, l, L_IN), nOut = layerField(net, l, L_OUT);
    const a = <usize>layerField(net, l, L_A), act = layerField(net, l, L_ACT), bias = <usize>layerField(net, l, L_B);
    const z = <usize>layerField(net, l, L_Z);
    if (z) {
      // The loss needs the logits (cross-entropy): z + b is kept, and a = f(z + b) written beside it.
      gemm<T>(false, false, rows, nOut, nIn, prev, nIn, <usize>layerField(net, l, L_W), nOut, z, nOut, false, ws, EPI_NONE, 0, 0);
      logitsActivation<T>(act, rows, nOut, z, bias, a);
    } else if (act == ACT_SOFTMAX) {
      gemm<T>(false, false, rows, nOut, nIn, prev, nIn, <usize>layerField(net, l, L_W), nOut, a, nOut, false, ws, EPI_NONE, 0, 0);
      biasActivation<T>(act, rows, nOut, a, bias); // row-wise, across tiles
    } else {
      gemm<T>(false, false, rows, nOut, nIn, prev, nIn, <usize>layerField(net, l, L_W), nOut, a, nOut, false, ws, EPI_BIAS_ACT, act, bias);
    }
    const threshold = <u32>layerField(net, l, L_DROP_THRESHOLD);
    if (training && threshold) {
      const dropped = <usize>layerField(net, l, L_DROPPED);
      dropoutForward<T>(rows * nOut, a, <usize>layerField(net, l, L_MASK), dropped, <u32>header(net, H_DROPOUT_SEED), l, t, threshold);
      prev = dropped;
    } else {
      prev = a;
    }
  }
  return prev;
}

/**
 * One optimizer step on a batch: forward, output delta, backward for every layer, then the updates.
 * Returns the batch loss (summed over samples). If the loss, or any new weight or optimizer state
 * value, would not be finite, nothing is updated: H_FAILED_KIND says which, and NaN is returned.
 */
export function trainBatch<T>(net: usize, x: usize, y: usize, rows: i32, lr: T, mean: bool,
  params: usize, t: f64): f64 {
  const ws = <usize>header(net, H_WORKSPACE);
  const opt = header(net, H_OPTIMIZER);
  const L = header(net, H_LAYERS), last = L - 1;
  const out = forwardNet<T>(net, x, rows, true, t);
  const scale: T = mean ? <T>1 / <T>rows : <T>1;
  const loss = outputDelta<T>(header(net, H_LOSS), layerField(net, last, L_ACT), rows,
    layerField(net, last, L_OUT), out, <usize>layerField(net, last, L_Z), y, <usize>layerField(net, last, L_D), scale);
  if (!isFinite(loss)) { store<i32>(net + (<usize>H_FAILED_KIND << 2), FAIL_LOSS); return loss; }
  // The first dense layer's input: the last image stage's output (flatten moves nothing), or x.
  const S = header(net, H_STAGES);
  const x0 = S ? <usize>stageField(net, S - 1, S_A) : x;
  for (let l = last; l >= 0; l--) {
    const nIn = layerField(net, l, L_IN), nOut = layerField(net, l, L_OUT);
    const d = <usize>layerField(net, l, L_D);
    // This layer's input: x, the previous activations, or (with dropout) what dropout passed on.
    const dropPrev = l > 0 && layerField(net, l - 1, L_DROP_THRESHOLD) != 0;
    const prevA = l == 0 ? x0 : <usize>layerField(net, l - 1, L_A);
    const input = dropPrev ? <usize>layerField(net, l - 1, L_DROPPED) : prevA;
    deferProducts(); // threaded builds: the kernel and input gradients in one parallel region
    gemm<T>(true, false, nIn, nOut, rows, input, nIn, d, nOut, <usize>layerField(net, l, L_DW), nOut, false, ws, EPI_NONE, 0, 0);
    columnSums<T>(rows, nOut, d, <usize>layerField(net, l, L_DB));
    if (l > 0) {
      // δ_{l-1} = (δ_l W_lᵀ) ⊙ f'(A_{l-1}) (or f'(Z_{l-1}), kept for it), the f' applied as each tile is stored.
      const dPrev = <usize>layerField(net, l - 1, L_D), actPrev = layerField(net, l - 1, L_ACT);
      gemm<T>(false, true, rows, nIn, nOut, d, nOut, <usize>layerField(net, l, L_W), nOut, dPrev, nIn, false, ws,
        actPrev == ACT_LINEAR ? EPI_NONE : EPI_DERIVATIVE, actPrev, fromInput(actPrev) ? <usize>layerField(net, l - 1, L_Z) : prevA);
      runDeferred();
      if (dropPrev) dropoutBackward<T>(rows * nIn, <usize>layerField(net, l - 1, L_MASK), dPrev);
    } else if (S) {
      // dL/d(the image stages' output), in the parallel region of this layer's kernel gradient; each
      // stage applies its own activation's derivative.
      gemm<T>(false, true, rows, nIn, nOut, d, nOut, <usize>layerField(net, 0, L_W), nOut, <usize>stageField(net, S - 1, S_D), nIn, false, ws, EPI_NONE, 0, 0);
      runDeferred();
      imageBackward<T>(net, x, rows);
    } else {
      runDeferred();
    }
  }
  // Check every layer's update (conv stages included), then commit: split across the threads of a large enough network.
  const total = ASC_FEATURE_THREADS ? paramCount(net) : 0;
  for (let pass = 0; pass < 2; pass++) {
    const commit = pass == 1;
    let ok = parallelUpdate(net, sizeof<T>() == 8, <f64>lr, params, t, commit, total);
    if (ok < 0) ok = updateLayers<T>(net, lr, params, t, commit, 0, 1) ? 1 : 0;
    if (ok == 0 && !commit) {
      store<i32>(net + (<usize>H_FAILED_KIND << 2), FAIL_UPDATE);
      return NaN;
    }
  }
  return loss;
}

/**
 * One epoch over n samples in minibatches. perm (i32 indices, or 0 for in-order) selects the rows
 * of each batch, gathered into the batch buffers. t0 is the optimizer step before the epoch.
 * Returns the summed loss and writes the correct predictions (each batch's, before its update) to
 * *correct; stops at the first batch that fails, recording its index.
 */
function trainEpoch<T>(net: usize, x: usize, y: usize, perm: usize, n: i32, batchSize: i32,
  lr: T, mean: bool, params: usize, t0: f64, correct: usize): f64 {
  const sz = <usize>sizeof<T>();
  const inW = <usize>header(net, H_INPUT_WIDTH) * sz;
  const outW = <usize>layerField(net, header(net, H_LAYERS) - 1, L_OUT) * sz;
  const xb = <usize>header(net, H_X_BATCH), yb = <usize>header(net, H_Y_BATCH);
  const last = header(net, H_LAYERS) - 1;
  const outputs = <usize>layerField(net, last, L_A), outCols = layerField(net, last, L_OUT);
  const regression = header(net, H_METRIC) == METRIC_ABS_ERROR;
  let total: f64 = 0, hits: f64 = 0;
  let t = t0;
  for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
    const rows = min(batchSize, n - start);
    let bx = x + <usize>start * inW, by = y + <usize>start * outW;
    if (perm) {
      for (let r = 0; r < rows; r++) {
        const src = <usize>load<i32>(perm + (<usize>(start + r) << 2));
        memory.copy(xb + <usize>r * inW, x + src * inW, inW);
        memory.copy(yb + <usize>r * outW, y + src * outW, outW);
      }
      bx = xb; by = yb;
    }
    t += 1;
    const loss = trainBatch<T>(net, bx, by, rows, lr, mean, params, t);
    if (!isFinite(loss)) {
      store<i32>(net + (<usize>H_FAILED_BATCH << 2), batch);
      store<f64>(correct, hits);
      return loss;
    }
    total += loss;
    // The batch's outputs, from before the update: correct predictions, or the absolute error for regression.
    hits += regression ? absErrorSum<T>(rows, outCols, outputs, by) : <f64>countCorrect<T>(rows, outCols, outputs, by);
  }
  store<f64>(correct, hits);
  return total;
}

/**
 * `epochs` epochs in one call (no JS between them): epoch e uses perms + e*n*4 (or in-order rows
 * when perms is 0) and writes its summed loss and correct count to stats[2e], stats[2e+1] (f64).
 * Returns the epochs completed;
 * when an epoch hits a non-finite loss it stops there, with H_FAILED_BATCH naming the batch.
 */
export function trainEpochs<T>(net: usize, x: usize, y: usize, perms: usize, n: i32, batchSize: i32, epochs: i32,
  lr: T, mean: bool, params: usize, t0: f64, stats: usize): i32 {
  store<i32>(net + (<usize>H_FAILED_BATCH << 2), -1);
  store<i32>(net + (<usize>H_FAILED_KIND << 2), 0);
  resetDeferred();
  const batches = (n + batchSize - 1) / batchSize;
  for (let e = 0; e < epochs; e++) {
    const perm = perms ? perms + (<usize>e * <usize>n << 2) : 0;
    const loss = trainEpoch<T>(net, x, y, perm, n, batchSize, lr, mean, params, t0 + <f64>(e * batches),
      stats + (<usize>(2 * e + 1) << 3));
    store<f64>(stats + (<usize>(2 * e) << 3), loss);
    if (!isFinite(loss)) return e;
  }
  return epochs;
}

/** Size in bytes of the descriptor of an L-layer network. */
export function netDescriptorBytes(layers: i32): usize {
  return <usize>(HEADER_WORDS + layers * LAYER_WORDS) << 2;
}
