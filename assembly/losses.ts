// Losses: the value and the output delta dL/dZ_L of each (loss, output activation) pair, together.
import { ACT_SIGMOID, ACT_SOFTMAX, LOSS_MSE, LOSS_CROSS_ENTROPY, LOG_EPSILON } from "./codes";
import { derivative } from "./activations";
import { logT } from "./scalar-math";

@inline function clampedLog<T>(p: T): T {
  return logT<T>(p > <T>LOG_EPSILON ? p : <T>LOG_EPSILON);
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
 * Sum over a rows x cols batch of the loss of outputs a against targets y. When d is not 0,
 * also writes the output delta dL/dZ scaled by `scale` (1 for reduction 'sum', 1/rows for 'mean').
 */
export function outputDelta<T>(loss: i32, act: i32, rows: i32, cols: i32, a: usize, y: usize, d: usize, scale: T): f64 {
  const sz = <usize>sizeof<T>();
  const n = rows * cols;
  // Pairs the kernels know; anything else (an unknown code) traps rather than computing something.
  if (!(loss == LOSS_MSE || (loss == LOSS_CROSS_ENTROPY && (act == ACT_SIGMOID || act == ACT_SOFTMAX)))) unreachable();
  let total: f64 = 0;
  if (loss == LOSS_MSE && act == ACT_SOFTMAX) {
    for (let r = 0; r < rows; r++) {
      const o = <usize>(r * cols) * sz;
      total += mseSoftmax<T>(cols, a + o, y + o, d ? d + o : 0, scale);
    }
    return total;
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sz;
    const ai = load<T>(a + o), yi = load<T>(y + o);
    const g = ai - yi;
    let delta: T;
    if (loss == LOSS_MSE) {
      total += <f64>g * <f64>g * 0.5; // squared in f64: a float32 square overflows at |g| > 1.8e19
      delta = g * derivative<T>(act, ai);
    } else if (act == ACT_SIGMOID) {
      total -= <f64>(yi * clampedLog<T>(ai) + (<T>1 - yi) * clampedLog<T>(<T>1 - ai));
      delta = g;
    } else {
      if (yi != <T>0) total -= <f64>(yi * clampedLog<T>(ai));
      delta = g;
    }
    if (d) store<T>(d + o, delta * scale);
  }
  return total;
}
