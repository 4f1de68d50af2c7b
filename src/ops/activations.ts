// Activations: each one declared once. A descriptor holds the activation's name, its code in the
// WASM ABI (assembly/codes.ts exports it as the global named `abi`; checked at load), where it may
// be used, the weight initialization of its layers, its JS reference formula (forward and
// derivative side by side, the derivative taken from the output a or from the input z) and its
// names in ONNX and TensorFlow.js. The AssemblyScript body lives in assembly/activations.ts.
import type { FloatArray } from '../util/float-array.js';
import { erfc } from '../util/erfc.js';

/** Slope of leakyRelu for negative inputs (both backends). */
export const LEAKY_SLOPE = 0.01;

interface Elementwise {
  readonly kind: 'elementwise';
  /** f(z), the reference forward. */
  readonly f: (z: number) => number;
  /**
   * What f' is computed from: the output a = f(z) (z need not be kept), or the input z (GELU, swish,
   * ELU, softplus: the training step then keeps z, see backends/buffer-plan.ts).
   */
  readonly from: 'output' | 'input';
  /** f'(a) or f'(z), as `from` says. */
  readonly df: (v: number) => number;
}

interface RowWise {
  /** Softmax: a whole row at a time; output layer only (its derivative is folded into the loss). */
  readonly kind: 'row';
}

export type ActivationOp = {
  readonly name: string;
  readonly code: number;
  readonly abi: string;
  /** Glorot uniform (limit √(6 / (in + out))) or He uniform (√(6 / in)). */
  readonly init: 'glorot' | 'he';
  /** As an output: probabilities (a classifier, scored by accuracy) or values (a regression, scored by mean absolute error). */
  readonly output: 'probabilities' | 'values';
  /** f(x) in ONNX, on the Gemm's output (null: the Gemm alone); onnx64 where float64 needs another form. */
  readonly onnx: OnnxExpr | null;
  readonly onnx64?: OnnxExpr;
  /** In a TensorFlow.js / Keras layers model: the Dense layer's activation, or a layer after a linear Dense. */
  readonly tfjs:
    | { readonly activation: string }
    | { readonly layer: string; readonly config: Readonly<Record<string, number>> };
} & (Elementwise | RowWise);

/**
 * An ONNX expression of f(x): x itself, a scalar (an initializer of the model's dtype), or a node
 * of the default domain with its arguments and attributes. backprop-wasm/onnx writes it node by node
 * and recognizes it when reading.
 */
export type OnnxExpr = 'x' | number | OnnxNode;
export interface OnnxNode {
  readonly op: string;
  readonly args: readonly OnnxExpr[];
  readonly attrs?: readonly (readonly [name: string, value: number, kind: 'f' | 'i'])[];
}
const x = 'x';
const node = (op: string, args: readonly OnnxExpr[], attrs?: OnnxNode['attrs']): OnnxNode =>
  attrs ? { op, args, attrs } : { op, args };
const unary = (op: string) => node(op, [x]);

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** log(1 + e^z) exactly, computed stably. */
const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
/** softplus from primitives onnxruntime runs in double: Relu(x) + Log(1 + Exp(−|x|)). */
const SOFTPLUS64 = node('Add', [
  unary('Relu'),
  node('Log', [node('Add', [1, node('Exp', [node('Neg', [unary('Abs')])])])]),
]);
const SQRT1_2 = Math.SQRT1_2,
  INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Φ(z), the standard normal CDF, from erfc so the lower tail keeps its relative accuracy. */
const normalCdf = (z: number): number => 0.5 * erfc(-z * SQRT1_2);

export const ACTIVATIONS = [
  {
    name: 'sigmoid',
    output: 'probabilities',
    code: 1,
    abi: 'ACT_SIGMOID',
    init: 'glorot',
    onnx: unary('Sigmoid'),
    tfjs: { activation: 'sigmoid' },
    kind: 'elementwise',
    from: 'output',
    f: sigmoid,
    df: (a: number) => a * (1 - a),
  },
  {
    name: 'tanh',
    output: 'values',
    code: 2,
    abi: 'ACT_TANH',
    init: 'glorot',
    onnx: unary('Tanh'),
    tfjs: { activation: 'tanh' },
    kind: 'elementwise',
    from: 'output',
    f: (z: number) => Math.tanh(z),
    df: (a: number) => 1 - a * a,
  },
  {
    name: 'relu',
    output: 'values',
    code: 3,
    abi: 'ACT_RELU',
    init: 'he',
    onnx: unary('Relu'),
    tfjs: { activation: 'relu' },
    kind: 'elementwise',
    from: 'output',
    // biome-ignore lint/complexity/useMathMinMax: Math.max(z, 0) is NaN for NaN and -0 for -0; the kernels give 0 for both
    f: (z: number) => (z > 0 ? z : 0),
    df: (a: number) => (a > 0 ? 1 : 0),
  },
  {
    name: 'leakyRelu',
    output: 'values',
    code: 4,
    abi: 'ACT_LEAKY_RELU',
    init: 'he',
    tfjs: { layer: 'LeakyReLU', config: { alpha: LEAKY_SLOPE } },
    // onnxruntime's CPU LeakyRelu takes only float: float64 is written Max(x, x·0.01), the same values bit for bit.
    onnx: node('LeakyRelu', [x], [['alpha', LEAKY_SLOPE, 'f']]),
    onnx64: node('Max', [x, node('Mul', [x, LEAKY_SLOPE])]),
    kind: 'elementwise',
    from: 'output',
    f: (z: number) => (z > 0 ? z : LEAKY_SLOPE * z),
    df: (a: number) => (a > 0 ? 1 : LEAKY_SLOPE),
  },
  {
    name: 'linear',
    output: 'values',
    code: 0,
    abi: 'ACT_LINEAR',
    init: 'glorot',
    onnx: null,
    tfjs: { activation: 'linear' },
    kind: 'elementwise',
    from: 'output',
    f: (z: number) => z,
    df: () => 1,
  },
  {
    name: 'softmax',
    output: 'probabilities',
    code: 5,
    abi: 'ACT_SOFTMAX',
    init: 'glorot',
    onnx: node('Softmax', [x], [['axis', -1, 'i']]),
    tfjs: { activation: 'softmax' },
    kind: 'row',
  },
  // Exact GELU (PyTorch's and Keras' default), z·Φ(z); f'(z) = Φ(z) + z·φ(z).
  {
    name: 'gelu',
    output: 'values',
    code: 6,
    abi: 'ACT_GELU',
    init: 'he',
    tfjs: { activation: 'gelu' },
    // x·(0.5·(1 + Erf(x·√½))): every opset (ONNX's Gelu op comes only with opset 20).
    // float64: its Erf in float32 (Cast to 1, back to 11), as onnxruntime has no double Erf: agreement ~1e-7, not 1e-16.
    onnx: node('Mul', [x, node('Mul', [0.5, node('Add', [1, node('Erf', [node('Mul', [x, SQRT1_2])])])])]),
    onnx64: node('Mul', [
      x,
      node('Mul', [
        0.5,
        node('Add', [
          1,
          node('Cast', [node('Erf', [node('Cast', [node('Mul', [x, SQRT1_2])], [['to', 1, 'i']])])], [['to', 11, 'i']]),
        ]),
      ]),
    ]),
    kind: 'elementwise',
    from: 'input',
    f: (z: number) => z * normalCdf(z),
    df: (z: number) => normalCdf(z) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI,
  },
  // Swish (PyTorch's SiLU), z·σ(z); f'(z) = σ(z)·(1 + z·(1 − σ(z))).
  {
    name: 'swish',
    output: 'values',
    code: 7,
    abi: 'ACT_SWISH',
    init: 'he',
    tfjs: { activation: 'swish' },
    // float64 as x / (1 + e^−x): onnxruntime fuses Mul(x, Sigmoid(x)) into a float-only QuickGelu.
    onnx: node('Mul', [x, unary('Sigmoid')]),
    onnx64: node('Div', [x, node('Add', [1, node('Exp', [unary('Neg')])])]),
    kind: 'elementwise',
    from: 'input',
    f: (z: number) => z * sigmoid(z),
    df: (z: number) => {
      const s = sigmoid(z);
      return s * (1 + z * (1 - s));
    },
  },
  // ELU with α = 1: z, or e^z − 1 below 0; f'(z) = 1, or e^z.
  {
    name: 'elu',
    output: 'values',
    code: 8,
    abi: 'ACT_ELU',
    init: 'he',
    tfjs: { activation: 'elu' },
    // onnxruntime's CPU Elu, Softplus and Erf take only float: float64 is written from Relu, Exp, Log…
    onnx: node('Elu', [x], [['alpha', 1, 'f']]),
    onnx64: node('Add', [unary('Relu'), node('Sub', [node('Exp', [node('Min', [x, 0])]), 1])]),
    kind: 'elementwise',
    from: 'input',
    f: (z: number) => (z > 0 ? z : Math.expm1(z)),
    df: (z: number) => (z > 0 ? 1 : Math.exp(z)),
  },
  // softplus log(1 + e^z), exactly (no threshold, unlike PyTorch's at 20), computed stably as
  // max(z, 0) + log1p(e^−|z|); f'(z) = σ(z).
  {
    name: 'softplus',
    output: 'values',
    code: 9,
    abi: 'ACT_SOFTPLUS',
    init: 'glorot',
    tfjs: { activation: 'softplus' },
    onnx: unary('Softplus'),
    onnx64: SOFTPLUS64,
    kind: 'elementwise',
    from: 'input',
    f: softplus,
    df: sigmoid,
  },
] as const satisfies readonly ActivationOp[];

export type ActivationName = (typeof ACTIVATIONS)[number]['name'];
export type HiddenActivation = Extract<(typeof ACTIVATIONS)[number], { kind: 'elementwise' }>['name'];

export const OUTPUT_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS.map((a) => a.name);
export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ACTIVATIONS.filter((a) => a.kind === 'elementwise').map(
  (a) => a.name as HiddenActivation,
);

/** How a network with this output is scored: accuracy (probability outputs) or mean absolute error (value outputs). */
export type Metric = 'accuracy' | 'mae';
export const metricOf = (output: ActivationName): Metric =>
  activationOp(output).output === 'probabilities' ? 'accuracy' : 'mae';

export function activationOp(name: ActivationName): (typeof ACTIVATIONS)[number] {
  return ACTIVATIONS.find((a) => a.name === name)!;
}

// Row-wise softmax of z + bias, shifted by the row maximum so exp never overflows.
function softmaxRows(rows: number, cols: number, z: FloatArray, bias: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      z[o + j] = z[o + j]! + bias[j]!;
      if (z[o + j]! > max) max = z[o + j]!;
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      z[o + j] = Math.exp(z[o + j]! - max);
      sum += z[o + j]!;
    }
    for (let j = 0; j < cols; j++) z[o + j] = z[o + j]! / sum;
  }
}

/** The reference forward pass: z = f(z + bias) in place over rows x cols. */
export function biasActivation(act: ActivationName, rows: number, cols: number, z: FloatArray, bias: FloatArray): void {
  const op = activationOp(act);
  if (op.kind === 'row') {
    softmaxRows(rows, cols, z, bias);
    return;
  }
  const f = op.f;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) z[r * cols + j] = f(z[r * cols + j]! + bias[j]!);
  }
}

/** Whether a layer with this activation keeps its pre-activation z for the backward pass. */
export function derivativeFromInput(act: ActivationName): boolean {
  const op = activationOp(act);
  return op.kind === 'elementwise' && op.from === 'input';
}

/**
 * The reference backward pass: delta *= f'(v) over n elements (hidden layers only), v the outputs
 * a, or the inputs z for an activation whose derivative is taken from its input.
 */
export function activationBackward(act: ActivationName, n: number, v: FloatArray, delta: FloatArray): void {
  const op = activationOp(act);
  if (op.kind === 'row') throw new Error('softmax has no elementwise derivative; it is output-only');
  const df = op.df;
  for (let i = 0; i < n; i++) delta[i] = df(v[i]!) * delta[i]!;
}
