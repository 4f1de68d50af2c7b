// Losses: the value and the output delta dL/dZ_L of each (loss, output activation) pair, together.
import { ACT_SIGMOID, ACT_SOFTMAX, LOSS_MSE, LOSS_CROSS_ENTROPY } from "./codes";
import { derivative } from "./activations";
import { fromInput } from "./smooth";

// Cross-entropy of one row from its logits z, in f64 and never clamped (a confidently wrong sample
// reports its true loss): softmax −Σ_j y_j (z_j − logsumexp(z)); sigmoid, per output,
// max(z, 0) − z·y + log1p(exp(−|z|)).
function crossEntropyRow<T>(act: i32, cols: i32, z: usize, y: usize): f64 {
  const sz = <usize>sizeof<T>();
  let loss: f64 = 0;
  if (act == ACT_SIGMOID) {
    for (let j = 0; j < cols; j++) {
      const zj = <f64>load<T>(z + <usize>j * sz), yj = <f64>load<T>(y + <usize>j * sz);
      loss += Math.max(zj, 0) - zj * yj + Math.log1p(Math.exp(-Math.abs(zj)));
    }
    return loss;
  }
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, <f64>load<T>(z + <usize>j * sz));
  let s: f64 = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(<f64>load<T>(z + <usize>j * sz) - m);
  const lse = m + Math.log(s);
  for (let j = 0; j < cols; j++) {
    const yj = <f64>load<T>(y + <usize>j * sz);
    if (yj != 0) loss += yj * (lse - <f64>load<T>(z + <usize>j * sz));
  }
  return loss;
}

// mse through softmax needs the full Jacobian: dL/dz_j = a_j (g_j - sum_k g_k a_k), g = a - y.
function mseSoftmax<T>(cols: i32, a: usize, y: usize, d: usize, scale: T): f64 {
  const sz = <usize>sizeof<T>();
  let loss: f64 = 0;
  let dot: T = 0;
  for (let j = 0; j < cols; j++) {
    const aj = load<T>(a + <usize>j * sz);
    const g = aj - load<T>(y + <usize>j * sz);
    loss += <f64>g * <f64>g * 0.5;
    dot += g * aj;
  }
  if (d) {
    for (let j = 0; j < cols; j++) {
      const aj = load<T>(a + <usize>j * sz);
      const g = aj - load<T>(y + <usize>j * sz);
      store<T>(d + <usize>j * sz, aj * (g - dot) * scale);
    }
  }
  return loss;
}

/**
 * Sum over a rows x cols batch of the loss of outputs a (logits z, for cross-entropy) against
 * targets y. When d is not 0, also writes the output delta dL/dZ scaled by `scale` (1 for
 * reduction 'sum', 1/rows for 'mean').
 */
export function outputDelta<T>(loss: i32, act: i32, rows: i32, cols: i32, a: usize, z: usize, y: usize, d: usize, scale: T): f64 {
  const sz = <usize>sizeof<T>();
  const n = rows * cols;
  // Pairs the kernels know (cross-entropy needs the logits); anything else traps rather than computing something.
  // An activation whose derivative is taken from z needs z too when the delta is asked for.
  if (!(loss == LOSS_MSE || (loss == LOSS_CROSS_ENTROPY && (act == ACT_SIGMOID || act == ACT_SOFTMAX) && z != 0))) unreachable();
  if (d && fromInput(act) && z == 0) unreachable();
  let total: f64 = 0;
  if (loss == LOSS_CROSS_ENTROPY) {
    // dL/dZ = a − y for both pairs.
    for (let r = 0; r < rows; r++) total += crossEntropyRow<T>(act, cols, z + <usize>(r * cols) * sz, y + <usize>(r * cols) * sz);
    if (d) for (let i = 0; i < n; i++) store<T>(d + <usize>i * sz, (load<T>(a + <usize>i * sz) - load<T>(y + <usize>i * sz)) * scale);
    return total;
  }
  if (loss == LOSS_MSE && act == ACT_SOFTMAX) {
    for (let r = 0; r < rows; r++) {
      const o = <usize>(r * cols) * sz;
      total += mseSoftmax<T>(cols, a + o, y + o, d ? d + o : 0, scale);
    }
    return total;
  }
  // f' from z (kept for it) or from a: decided once, not per element.
  const at = fromInput(act) ? z : a;
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sz;
    const ai = load<T>(a + o), yi = load<T>(y + o);
    const g = ai - yi;
    total += <f64>g * <f64>g * 0.5; // squared in f64: a float32 square overflows at |g| > 1.8e19
    if (d) store<T>(d + o, g * derivative<T>(act, load<T>(at + o)) * scale);
  }
  return total;
}
