// Activations: forward (bias add fused with f) and backward (delta *= f'), side by side.
// A derivative is computed from the activation's output A (sigmoid, tanh, relu, leakyRelu, linear:
// Z need not be kept) or from its input Z (GELU, swish, ELU, softplus: assembly/smooth.ts; the
// layer table then holds the layer's Z, and `derivative` is given z instead of a).
import { ACT_LINEAR, ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_SOFTMAX, LEAKY_SLOPE } from "./codes";
import { expT, tanhT } from "./scalar-math";
import { sigmoidV, tanhV, sigmoid1, tanh1 } from "./simd-math";
import { fromInput, smooth1, smoothLanes } from "./smooth";

// f32 uses the SIMD polynomial exp (scalar tails through the same code); f64 uses Math.exp, as NumPy does.
@inline export function forward<T>(act: i32, x: T): T {
  if (act == ACT_SIGMOID) return sizeof<T>() == 4 ? <T>sigmoid1(<f32>x) : <T>1 / (<T>1 + expT<T>(-x));
  if (act == ACT_TANH) return sizeof<T>() == 4 ? <T>tanh1(<f32>x) : tanhT<T>(x);
  if (act == ACT_RELU) return x > <T>0 ? x : <T>0;
  if (act == ACT_LEAKY_RELU) return x > <T>0 ? x : <T>LEAKY_SLOPE * x;
  if (act == ACT_LINEAR) return x;
  if (fromInput(act)) return smooth1<T>(act, x, false);
  unreachable(); // an unknown code (or softmax, which is row-wise) traps
  return x;
}

/** f' from a (the output) or, for an activation whose derivative needs it, from z (the input). */
@inline export function derivative<T>(act: i32, a: T): T {
  if (act == ACT_SIGMOID) return a * (<T>1 - a);
  if (act == ACT_TANH) return <T>1 - a * a;
  if (act == ACT_RELU) return a > <T>0 ? <T>1 : <T>0;
  if (act == ACT_LEAKY_RELU) return a > <T>0 ? <T>1 : <T>LEAKY_SLOPE;
  if (act == ACT_LINEAR) return <T>1;
  if (fromInput(act)) return smooth1<T>(act, a, true);
  unreachable();
  return <T>1;
}

// Row-wise softmax of z + bias, shifted by the row maximum so exp never overflows.
function softmaxRows<T>(rows: i32, cols: i32, z: usize, bias: usize): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const row = z + <usize>(r * cols) * sz;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) {
      const x = bias ? load<T>(row + <usize>j * sz) + load<T>(bias + <usize>j * sz) : load<T>(row + <usize>j * sz);
      store<T>(row + <usize>j * sz, x);
      if (<f64>x > m) m = <f64>x;
    }
    let sum: T = 0;
    for (let j = 0; j < cols; j++) {
      const e = expT<T>(load<T>(row + <usize>j * sz) - <T>m);
      store<T>(row + <usize>j * sz, e);
      sum += e;
    }
    for (let j = 0; j < cols; j++) store<T>(row + <usize>j * sz, load<T>(row + <usize>j * sz) / sum);
  }
}

@inline export function forwardV<T>(act: i32, x: v128): v128 {
  if (act == ACT_SIGMOID) return sigmoidV(x);
  if (act == ACT_TANH) return tanhV(x);
  if (act == ACT_RELU) return v128.pmax<T>(v128.splat<T>(0), x);
  if (act == ACT_LEAKY_RELU) return v128.bitselect(x, v128.mul<T>(x, v128.splat<T>(<T>LEAKY_SLOPE)), v128.gt<T>(x, v128.splat<T>(0)));
  if (act == ACT_LINEAR) return x;
  if (fromInput(act)) return smoothLanes<T>(act, x, false);
  unreachable();
  return x;
}

@inline export function derivativeV<T>(act: i32, a: v128): v128 {
  const one = v128.splat<T>(1);
  if (act == ACT_SIGMOID) return v128.mul<T>(a, v128.sub<T>(one, a));
  if (act == ACT_TANH) return v128.sub<T>(one, v128.mul<T>(a, a));
  if (act == ACT_RELU) return v128.and(one, v128.gt<T>(a, v128.splat<T>(0)));
  if (act == ACT_LEAKY_RELU) return v128.bitselect(one, v128.splat<T>(<T>LEAKY_SLOPE), v128.gt<T>(a, v128.splat<T>(0)));
  if (act == ACT_LINEAR) return one;
  if (fromInput(act)) return smoothLanes<T>(act, a, true);
  unreachable();
  return one;
}

/** Whether forwardV serves this dtype: f64 sigmoid/tanh (and the four of smooth.ts) stay scalar (Math.exp), so float64 matches NumPy's and PyTorch's exp. */
@inline export function hasVectorForward<T>(act: i32): bool {
  return sizeof<T>() == 4 || (act != ACT_SIGMOID && act != ACT_TANH && !fromInput(act));
}

/** In place: z[r][j] = f(z[r][j] + bias[j]) for a rows x cols matrix. */
export function biasActivation<T>(act: i32, rows: i32, cols: i32, z: usize, bias: usize): void {
  if (act == ACT_SOFTMAX) { softmaxRows<T>(rows, cols, z, bias); return; }
  const sz = <usize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  const vector = hasVectorForward<T>(act);
  for (let r = 0; r < rows; r++) {
    const row = z + <usize>(r * cols) * sz;
    let j = 0;
    if (vector) {
      for (; j + lanes <= cols; j += lanes) {
        const o = <usize>j * sz;
        v128.store(row + o, forwardV<T>(act, v128.add<T>(v128.load(row + o), v128.load(bias + o))));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j * sz;
      store<T>(row + o, forward<T>(act, load<T>(row + o) + load<T>(bias + o)));
    }
  }
}

/** In place: delta[i] *= f'(a[i]) over n elements (hidden layers; softmax is output-only); a is z for fromInput activations. */
export function activationBackward<T>(act: i32, n: i32, a: usize, delta: usize): void {
  if (act == ACT_LINEAR) return;
  const sz = <usize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    v128.store(delta + o, v128.mul<T>(derivativeV<T>(act, v128.load(a + o)), v128.load(delta + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(delta + o, derivative<T>(act, load<T>(a + o)) * load<T>(delta + o));
  }
}

/** z += bias (kept) and a = f(z), rows x cols; softmax row-wise. For a layer whose z is kept: the logits a loss needs, or the input of a fromInput derivative. */
export function logitsActivation<T>(act: i32, rows: i32, cols: i32, z: usize, bias: usize, a: usize): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols) * sz;
    for (let j = 0; j < cols; j++) {
      const o = row + <usize>j * sz;
      const v = load<T>(z + o) + load<T>(bias + <usize>j * sz);
      store<T>(z + o, v);
      store<T>(a + o, v);
    }
  }
  if (act == ACT_SOFTMAX) { softmaxRows<T>(rows, cols, a, 0); return; }
  const n = rows * cols, lanes = 16 / sizeof<T>();
  let i = 0;
  if (hasVectorForward<T>(act)) for (; i + lanes <= n; i += lanes) v128.store(a + <usize>i * sz, forwardV<T>(act, v128.load(a + <usize>i * sz)));
  for (; i < n; i++) store<T>(a + <usize>i * sz, forward<T>(act, load<T>(a + <usize>i * sz)));
}
