// The optimizer's pass over every layer of a network (check or commit), or one thread's share of
// it: each parameter array split in whole vectors (a slice runs the same vector body and scalar
// tail arithmetic on each element as the whole array does), so any split computes the same bits.
import { updateStaysFinite, applyUpdate } from "./optimizers";
import {
  header, layerField, stageField, H_LAYERS, H_OPTIMIZER, H_STAGES, L_IN, L_OUT, L_W, L_B, L_DW, L_DB, L_S1W, L_S1B, L_S2W, L_S2B,
  STAGE_CONV, S_TYPE, S_KH, S_KW, S_CHANNELS, S_FILTERS, S_W, S_B, S_DW, S_DB, S_S1W, S_S1B, S_S2W, S_S2B,
} from "./layout";

/** Weights of conv stage s (kh·kw·inChannels·filters), or 0 for a stage without parameters. */
@inline function convWeights(net: usize, s: i32): i32 {
  if (stageField(net, s, S_TYPE) != STAGE_CONV) return 0;
  return stageField(net, s, S_KH) * stageField(net, s, S_KW) * stageField(net, s, S_CHANNELS) * stageField(net, s, S_FILTERS);
}

/** Parameters of the network (weights and biases of every layer). */
export function paramCount(net: usize): i32 {
  let total = 0;
  for (let s = 0, S = header(net, H_STAGES); s < S; s++) {
    const nW = convWeights(net, s);
    if (nW) total += nW + stageField(net, s, S_FILTERS);
  }
  for (let l = 0, L = header(net, H_LAYERS); l < L; l++) total += (layerField(net, l, L_IN) + 1) * layerField(net, l, L_OUT);
  return total;
}

// Thread t of n's part of an n-element array: [from, to), at whole vectors.
@inline function part(count: i32, lanes: i32, t: i32, n: i32): i32 {
  const vectors = (count + lanes - 1) / lanes;
  return min(<i32>((<i64>vectors * <i64>t) / <i64>n) * lanes, count);
}

function step<T>(opt: i32, count: i32, w: usize, g: usize, s1: usize, s2: usize, lr: T, params: usize, t: f64,
  weights: bool, commit: bool, thread: i32, threads: i32): bool {
  if (threads > 1) {
    const lanes = 16 / sizeof<T>();
    const from = part(count, lanes, thread, threads), to = part(count, lanes, thread + 1, threads);
    if (to <= from) return true;
    const o = <usize>from * sizeof<T>();
    w += o; g += o; count = to - from;
    if (s1) s1 += o;
    if (s2) s2 += o;
  }
  if (commit) { applyUpdate<T>(opt, count, w, g, s1, s2, lr, params, t, weights); return true; }
  return updateStaysFinite<T>(opt, count, w, g, s1, s2, lr, params, t, weights);
}

/**
 * Thread `thread` of `threads`' share of the optimizer pass over every layer at step t (check:
 * store nothing and say whether every new weight and state value is finite; commit: store).
 */
export function updateLayers<T>(net: usize, lr: T, params: usize, t: f64, commit: bool, thread: i32, threads: i32): bool {
  const opt = header(net, H_OPTIMIZER);
  let ok = true;
  // The conv stages' kernels and biases, then the dense layers'.
  for (let s = 0, S = header(net, H_STAGES); s < S; s++) {
    const nW = convWeights(net, s), nB = stageField(net, s, S_FILTERS);
    if (!nW) continue;
    ok = step<T>(opt, nW, <usize>stageField(net, s, S_W), <usize>stageField(net, s, S_DW), <usize>stageField(net, s, S_S1W),
      <usize>stageField(net, s, S_S2W), lr, params, t, true, commit, thread, threads) && ok;
    ok = step<T>(opt, nB, <usize>stageField(net, s, S_B), <usize>stageField(net, s, S_DB), <usize>stageField(net, s, S_S1B),
      <usize>stageField(net, s, S_S2B), lr, params, t, false, commit, thread, threads) && ok;
    if (!ok && !commit && threads == 1) return false;
  }
  for (let l = 0, L = header(net, H_LAYERS); l < L; l++) {
    const nB = layerField(net, l, L_OUT), nW = layerField(net, l, L_IN) * nB;
    ok = step<T>(opt, nW, <usize>layerField(net, l, L_W), <usize>layerField(net, l, L_DW), <usize>layerField(net, l, L_S1W),
      <usize>layerField(net, l, L_S2W), lr, params, t, true, commit, thread, threads) && ok;
    ok = step<T>(opt, nB, <usize>layerField(net, l, L_B), <usize>layerField(net, l, L_DB), <usize>layerField(net, l, L_S1B),
      <usize>layerField(net, l, L_S2B), lr, params, t, false, commit, thread, threads) && ok;
    if (!ok && !commit && threads == 1) return false;
  }
  return ok;
}
