// The image stages before the dense layers, inside the fused loop: conv2d as im2col then the packed
// gemm (z = cols·W, [rows·oh·ow, kh·kw·c] times [kh·kw·c, filters], the channels-last output, with the
// bias and activation fused into the store), its gradients as two more gemms (dW = colsᵀ·dZ,
// dcols = dZ·Wᵀ then col2im) and column sums (db); pooling from assembly/pool.ts. Every buffer is in
// the layer table (src/backends/wasm/model.ts allocates them from the buffer plan): nothing allocates.
import { gemm, EPI_BIAS_ACT } from "./gemm";
import { activationBackward, logitsActivation } from "./activations";
import { columnSums } from "./reduce";
import { im2col, col2im } from "./conv";
import { maxPoolForward, maxPoolBackward, averagePoolForward, averagePoolBackward } from "./pool";
import {
  header, stageField, H_STAGES, H_COLS, H_WORKSPACE, STAGE_CONV, STAGE_MAX_POOL,
  S_TYPE, S_CHANNELS, S_KH, S_KW, S_OH, S_OW, S_FILTERS, S_ACT, S_USE_BIAS, S_W, S_B, S_DW, S_DB, S_A, S_D, S_Z, S_ARGMAX,
} from "./layout";

// Rows of the im2col matrix and its width for stage s.
@inline function positions(net: usize, s: i32, rows: i32): i32 { return rows * stageField(net, s, S_OH) * stageField(net, s, S_OW); }
@inline function depth(net: usize, s: i32): i32 { return stageField(net, s, S_KH) * stageField(net, s, S_KW) * stageField(net, s, S_CHANNELS); }

/** The stages' forward pass over `rows` images at x; returns the last stage's output (x when there is none). */
export function imageForward<T>(net: usize, x: usize, rows: i32): usize {
  const ws = <usize>header(net, H_WORKSPACE), cols = <usize>header(net, H_COLS);
  let prev = x;
  for (let s = 0, S = header(net, H_STAGES); s < S; s++) {
    const type = stageField(net, s, S_TYPE), a = <usize>stageField(net, s, S_A);
    if (type == STAGE_CONV) {
      const m = positions(net, s, rows), k = depth(net, s), f = stageField(net, s, S_FILTERS);
      const w = <usize>stageField(net, s, S_W), b = <usize>stageField(net, s, S_B), z = <usize>stageField(net, s, S_Z);
      const act = stageField(net, s, S_ACT);
      im2col<T>(net, s, prev, rows, cols);
      if (z) {
        gemm<T>(false, false, m, f, k, cols, k, w, f, z, f, false, ws);
        logitsActivation<T>(act, m, f, z, b, a);
      } else {
        gemm<T>(false, false, m, f, k, cols, k, w, f, a, f, false, ws, EPI_BIAS_ACT, act, b);
      }
    } else if (type == STAGE_MAX_POOL) {
      maxPoolForward<T>(net, s, rows, prev, a, <usize>stageField(net, s, S_ARGMAX));
    } else {
      averagePoolForward<T>(net, s, rows, prev, a);
    }
    prev = a;
  }
  return prev;
}

/**
 * From the last stage's D (dL/d its output, written by the first dense layer): every conv stage's dW
 * and db, after imageForward on the same rows. The input's gradient of stage 0 is not computed.
 */
export function imageBackward<T>(net: usize, x: usize, rows: i32): void {
  const ws = <usize>header(net, H_WORKSPACE), cols = <usize>header(net, H_COLS);
  const S = header(net, H_STAGES);
  // The last conv stage's im2col is still in cols from the forward pass.
  let fresh = true;
  for (let s = S - 1; s >= 0; s--) {
    const type = stageField(net, s, S_TYPE), d = <usize>stageField(net, s, S_D);
    const input = s > 0 ? <usize>stageField(net, s - 1, S_A) : x;
    const dx = s > 0 ? <usize>stageField(net, s - 1, S_D) : 0;
    if (type == STAGE_CONV) {
      const m = positions(net, s, rows), k = depth(net, s), f = stageField(net, s, S_FILTERS);
      const z = <usize>stageField(net, s, S_Z), w = <usize>stageField(net, s, S_W), db = <usize>stageField(net, s, S_DB);
      activationBackward<T>(stageField(net, s, S_ACT), m * f, z ? z : <usize>stageField(net, s, S_A), d);
      if (stageField(net, s, S_USE_BIAS)) columnSums<T>(m, f, d, db);
      else memory.fill(db, 0, <usize>f * sizeof<T>());
      if (!fresh) im2col<T>(net, s, input, rows, cols);
      fresh = false;
      gemm<T>(true, false, k, f, m, cols, k, d, f, <usize>stageField(net, s, S_DW), f, false, ws);
      if (dx) {
        gemm<T>(false, true, m, k, f, d, f, w, f, cols, k, false, ws);
        col2im<T>(net, s, cols, rows, dx);
      }
    } else if (!dx) {
      continue;
    } else if (type == STAGE_MAX_POOL) {
      maxPoolBackward<T>(net, s, rows, <usize>stageField(net, s, S_ARGMAX), d, dx);
    } else {
      averagePoolBackward<T>(net, s, rows, d, dx);
    }
  }
}
