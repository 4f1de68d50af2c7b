// Reads an ONNX graph as a chain of layers: image layers first when the input is an image [N, C, H, W]
// (image-read.ts: Conv, MaxPool, AveragePool, a Flatten at axis 1), then dense layers: Gemm, or
// MatMul + Add. Each Conv, Gemm or MatMul is followed by at most one activation (Relu, LeakyRelu with
// alpha 0.01 or the Mul(x, 0.01) + Max pattern, Sigmoid, Tanh, Softmax on the last axis, or any form
// toONNX writes; after a Conv, also with a MaxPool between them when the activation is monotone, as
// PyTorch's F.relu(F.max_pool2d(conv(x), 2)) writes it), with Identity and Flatten (axis 1 or -1: the identity on the chain's 2-D rows)
// passed through wherever they stand in the chain. Anything else is a
// ModelFormatError naming the op or attribute and the node, as is an initializer used by two layers
// (tied weights). Nothing is allocated here but the plan.
import { shownText as nm } from '../../internal.js';
import type { DType, LayerOptions, ActivationName } from '../../index.js';
import { isLeakySlope, type Architecture } from '../common.js';
import { attributes, fail, label } from './attributes.js';
import { imageInput, readImageNode, type ConvPlan, type Image, type ImageState } from './image-read.js';
import { DOUBLE, FLOAT, type ModelP, type NodeP, type TensorP, type ValueInfoP } from './proto.js';
import { checkTensor, tensorValues, typeName } from './tensors.js';
import { MONOTONE, matchActivation } from './recipes.js';

export const OPSETS = { min: 11, max: 21 };

export interface LayerPlan {
  W: TensorP;
  /** W stored [outputs, inputs] (Gemm transB = 1, as PyTorch writes it). */
  transposed: boolean;
  b: TensorP | null;
  /** The flattened channels-first image [h, w, c] its inputs are, for the dense layer after a Flatten. */
  chw?: Image;
}

export interface Plan extends Architecture {
  params: LayerPlan[];
  /** The Conv weights and biases, in order (image layers only). */
  convs: ConvPlan[];
}

function defaultOpset(m: ModelP): number {
  const found = m.opsets.filter((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (found.length !== 1)
    fail(found.length ? 'the default opset is imported twice' : 'no default (ai.onnx) opset is imported');
  const v = found[0]!.version;
  if (v < OPSETS.min || v > OPSETS.max)
    fail(`opset ${v} is not supported (this reader handles opsets ${OPSETS.min}–${OPSETS.max})`);
  return v;
}

function dtypeOf(v: ValueInfoP, role: string): DType {
  if (v.elemType === FLOAT) return 'float32';
  if (v.elemType === DOUBLE) return 'float64';
  return fail(`the graph ${role} '${nm(v.name)}' is ${typeName(v.elemType)}, not a float or double tensor`);
}

/** Width of a rank-2 value's last dimension, if stated. */
function width(v: ValueInfoP, role: string): number | null {
  if (v.shape === null) return null;
  if (v.shape.length !== 2)
    fail(
      `the graph ${role} '${nm(v.name)}' has ${v.shape.length} dimensions; only [batch, features]${role === 'input' ? ' or an image [N, C, H, W]' : ''} is supported`,
    );
  const d = v.shape[1];
  if (typeof d === 'number' && d <= 0) fail(`the graph ${role} '${nm(v.name)}' has the width ${d}`);
  return typeof d === 'number' ? d : null;
}

export function readGraph(m: ModelP): Plan {
  if (m.irVersion < 3) fail(`ir_version ${m.irVersion} is not supported (3 or later)`);
  const opset = defaultOpset(m);
  const g = m.graph ?? fail('the model has no graph');
  if (g.sparse) fail('sparse initializers are not supported');
  const inits = new Map<string, TensorP>();
  for (const t of g.initializers) {
    if (inits.has(t.name)) fail(`two initializers are named '${nm(t.name)}'`);
    inits.set(t.name, t);
  }
  const inputs = g.inputs.filter((v) => !inits.has(v.name));
  if (inputs.length !== 1 || g.outputs.length !== 1)
    fail(`the graph has ${inputs.length} inputs and ${g.outputs.length} outputs; the reader takes one of each`);
  const input = inputs[0]!,
    output = g.outputs[0]!;
  const dtype = dtypeOf(input, 'input');
  const image: ImageState = {
    inputShape: imageInput(input),
    shape: null,
    layers: [],
    convs: [],
    open: null,
    flat: null,
    constants: new Map(),
    reshaped: null,
    toNHWC: false,
    pooled: null,
  };
  image.shape = image.inputShape;
  if (output.elemType !== null && dtypeOf(output, 'output') !== dtype)
    fail(
      `the graph output '${nm(output.name)}' is ${typeName(output.elemType)} but the input is ${typeName(input.elemType)}`,
    );

  const layers: number[] = [image.inputShape ? 0 : (width(input, 'input') ?? 0)];
  const activations: (ActivationName | null)[] = [];
  const params: LayerPlan[] = [];
  let cur = input.name;
  let biasOpen = false; // the last layer came from a MatMul and may take an Add
  let leaky: { mul: string; node: NodeP } | null = null; // Mul(x, 0.01) waiting for its Max

  // The layer that holds each weight or bias initializer: one initializer in two layers (tied
  // weights) is refused. A Network holds each layer's parameters apart, so loading would untie them,
  // and it would let a small file describe a network many times its size (one 300 x 300 weight
  // reused by 2,700 Gemm nodes: 245 million parameters from 358 KB). A slope may be shared.
  const holder = new Map<string, NodeP>();
  const weight = (n: NodeP, name: string | undefined, role: string, rank: number[]): TensorP => {
    const t = name ? inits.get(name) : undefined;
    if (!t) fail(`${label(n)} takes its ${role} from '${nm(name ?? '')}', which is not an initializer`);
    if (role !== 'slope') {
      const first = holder.get(name!);
      if (first)
        fail(
          `the initializer '${nm(name!)}' is a parameter of both ${label(first)} and ${label(n)}; shared (tied) weights are not supported: each layer needs its own initializer`,
        );
      holder.set(name!, n);
    }
    checkTensor(t!, dtype, rank, role);
    return t!;
  };
  /** A layer waits for its activation: the Conv just read, or the last Gemm or MatMul. */
  const isOpen = (): boolean => image.open !== null || (activations.length > 0 && activations.at(-1) === null);
  const open = (n: NodeP): void => {
    if (!isOpen() && !image.pooled)
      fail(`${label(n)} follows no Conv, Gemm or MatMul layer, or one that already has an activation`);
  };
  const setActivation = (n: NodeP, act: ActivationName): void => {
    if (image.open) {
      if (act === 'softmax') fail(`${label(n)}: softmax after a Conv is not supported (only as the output activation)`);
      image.open.activation = act;
      image.open = null;
    } else if (image.pooled) {
      pooledConv(n, act).activation = act;
      image.pooled = null;
    } else activations[activations.length - 1] = act;
  };
  /**
   * The conv2d an activation after a MaxPool belongs to: max(f(x)) = f(max(x)) for a non-decreasing
   * f, so Conv → MaxPool → f computes what Conv(f) → MaxPool does (the pool's padding is never
   * chosen, in ONNX as here). Anything else after a pooling is refused.
   */
  const pooledConv = (n: NodeP, act: ActivationName): NonNullable<ImageState['open']> => {
    const p = image.pooled!,
      only = 'this library applies an activation only directly after a Conv, Gemm or MatMul, as part of that layer';
    if (p.avg)
      fail(
        `${label(n)} follows the AveragePool ${label(p.node)}: ${only}, and an activation of an average is not the average of the activations, so the network cannot be read as it is (apply the activation before the pooling, e.g. F.avg_pool2d(F.relu(conv(x)), 2), and retrain)`,
      );
    if (!p.conv)
      fail(
        `${label(n)} follows the MaxPool ${label(p.node)}, whose input is not a Conv without an activation: ${only} (Conv → MaxPool → activation is read as the Conv's activation when it has none)`,
      );
    if (!MONOTONE.has(act))
      fail(
        `${label(n)}: ${act} after the MaxPool ${label(p.node)} cannot be read as its Conv's activation (${act} is not monotone, so ${act} of a maximum is not the maximum of the ${act}s): ${only}; apply it before the pooling and retrain`,
      );
    return p.conv!;
  };
  const single = (n: NodeP): void => {
    if (n.inputs.length !== 1 || n.inputs[0] !== cur) fail(`${label(n)} must take the single input '${nm(cur)}'`);
  };
  const startLayer = (n: NodeP, W: TensorP, transposed: boolean, b: TensorP | null): number => {
    if (image.shape) fail(`${label(n)} takes an image [N, C, H, W]; flatten it first (a Flatten at axis 1)`);
    if (activations.at(-1) === null) activations[activations.length - 1] = 'linear';
    const [rows, cols] = W.dims as [number, number];
    const [fanIn, fanOut] = transposed ? [cols, rows] : [rows, cols];
    const prev = layers[layers.length - 1]!;
    if (prev !== 0 && fanIn !== prev) fail(`${label(n)} has ${fanIn} inputs but receives ${prev} values per row`);
    layers[layers.length - 1] = fanIn;
    layers.push(fanOut);
    activations.push(null);
    params.push({ W, transposed, b, ...(image.flat ? { chw: image.flat } : {}) });
    image.flat = null;
    return fanOut;
  };
  /** The other input of a binary node that takes `cur` once. */
  const operand = (n: NodeP, doing: string): string => {
    const i = n.inputs.indexOf(cur);
    if (n.inputs.length !== 2 || i < 0 || n.inputs[1 - i] === cur) fail(`${label(n)} must ${doing} '${nm(cur)}'`);
    return n.inputs[1 - i]!;
  };
  const checkBias = (n: NodeP, b: TensorP, units: number): void => {
    const d = b.dims;
    if (d[d.length - 1] !== units || (d.length === 2 && d[0] !== 1))
      fail(`${label(n)}: bias '${nm(b.name)}' has dims ${JSON.stringify(d)}, expected [${units}] or [1, ${units}]`);
  };

  /** A scalar initializer's value (a constant of an activation's form), or null. */
  const constant = (name: string): number | null => {
    const t = inits.get(name);
    if (!t || t.dims.length > 1 || (t.dims.length === 1 && t.dims[0] !== 1)) return null;
    try {
      checkTensor(t, dtype, [0, 1], 'constant');
    } catch {
      return null;
    }
    return tensorValues(t, dtype)[0] ?? null;
  };
  const written = new Set<string>();
  let skip = 0; // nodes of an activation form already read
  for (const [index, n] of g.nodes.entries()) {
    if (n.domain !== '' && n.domain !== 'ai.onnx')
      fail(`${label(n)} is in the domain '${nm(n.domain)}'; only standard ONNX ops are supported`);
    if (n.outputs.length !== 1 || !n.outputs[0]) fail(`${label(n)} must have exactly one output`);
    // Each value is defined once (ONNX graphs are SSA): a node may not write an initializer, the input or an earlier node's output.
    if (inits.has(n.outputs[0]!) || n.outputs[0] === input.name || written.has(n.outputs[0]!))
      fail(`${label(n)} writes '${nm(n.outputs[0]!)}', which is already defined`);
    if (skip > 0) {
      written.add(n.outputs[0]!);
      skip--;
      continue;
    }
    // An activation in the form its descriptor writes (ops/activations.ts), on the open layer.
    const form = !leaky && (isOpen() || image.pooled) ? matchActivation(g.nodes, index, cur, constant) : null;
    if (form) {
      setActivation(n, form.act);
      biasOpen = false;
      cur = form.output;
      written.add(n.outputs[0]!);
      skip = form.count - 1;
      continue;
    }
    if (leaky && n.opType !== 'Max')
      fail(
        `${leaky.node.opType} ${label(leaky.node)} is supported only as the leaky ReLU pattern Max(x, Mul(x, 0.01))`,
      );
    const before = image.shape;
    const step = readImageNode(n, image, {
      cur,
      rows: cur === input.name && !image.inputShape ? layers[0]! : null,
      dtype,
      inits,
      weight,
    });
    if (before && !image.shape) layers[0] = before[0] * before[1] * before[2]; // flattened
    if (step !== null) {
      if (step === 'next') cur = n.outputs[0]!;
      written.add(n.outputs[0]!);
      continue;
    }
    switch (n.opType) {
      case 'Gemm': {
        const a = attributes(n, { alpha: 'f', beta: 'f', transA: 'i', transB: 'i' });
        for (const k of ['alpha', 'beta'] as const)
          if ((a.get(k) ?? 1) !== 1) fail(`attribute '${k}' = ${a.get(k)} of ${label(n)} is not supported (only 1)`);
        if ((a.get('transA') ?? 0) !== 0)
          fail(`attribute 'transA' = ${a.get('transA')} of ${label(n)} is not supported (only 0)`);
        const tB = a.get('transB') ?? 0;
        if (tB !== 0 && tB !== 1) fail(`attribute 'transB' = ${tB} of ${label(n)} must be 0 or 1`);
        if (n.inputs.length < 2 || n.inputs.length > 3 || n.inputs[0] !== cur)
          fail(`${label(n)} must take '${nm(cur)}', a weight and an optional bias`);
        const W = weight(n, n.inputs[1], 'weight', [2]);
        const b = n.inputs[2] ? weight(n, n.inputs[2], 'bias', [1, 2]) : null;
        const units = startLayer(n, W, tB === 1, b);
        if (b) checkBias(n, b, units);
        biasOpen = false;
        break;
      }
      case 'MatMul': {
        attributes(n, {});
        if (n.inputs.length !== 2 || n.inputs[0] !== cur) fail(`${label(n)} must take '${nm(cur)}' and a weight`);
        startLayer(n, weight(n, n.inputs[1], 'weight', [2]), false, null);
        biasOpen = true;
        break;
      }
      case 'Add': {
        attributes(n, {});
        if (!biasOpen) fail(`${label(n)} is supported only as the bias of a MatMul`);
        const b = weight(n, operand(n, 'add a bias initializer to'), 'bias', [1, 2]);
        checkBias(n, b, layers[layers.length - 1]!);
        params[params.length - 1]!.b = b;
        biasOpen = false;
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
      case 'LeakyRelu':
      case 'Softmax': {
        open(n);
        single(n);
        let act: ActivationName = n.opType === 'Relu' ? 'relu' : n.opType === 'Sigmoid' ? 'sigmoid' : 'tanh';
        if (n.opType === 'LeakyRelu') {
          const alpha = attributes(n, { alpha: 'f' }).get('alpha') ?? 0.01;
          if (!isLeakySlope(alpha))
            fail(
              `attribute 'alpha' = ${alpha} of ${label(n)} is not supported (this library's leaky ReLU has slope 0.01)`,
            );
          act = 'leakyRelu';
        } else if (n.opType === 'Softmax') {
          const axis = attributes(n, { axis: 'i' }).get('axis') ?? (opset < 13 ? 1 : -1);
          if (axis !== 1 && axis !== -1)
            fail(`attribute 'axis' = ${axis} of ${label(n)} is not supported (only the last axis)`);
          act = 'softmax';
        } else attributes(n, {});
        setActivation(n, act);
        biasOpen = false;
        break;
      }
      case 'Mul': {
        attributes(n, {});
        open(n);
        const s = weight(n, operand(n, 'multiply by 0.01'), 'slope', [0, 1]);
        if (s.dims.length === 1 && s.dims[0] !== 1) fail(`${label(n)}: the slope '${nm(s.name)}' must be a scalar`);
        const slope = tensorValues(s, dtype)[0]!;
        if (!isLeakySlope(slope))
          fail(`${label(n)} multiplies by ${slope}; only the leaky ReLU slope 0.01 is supported`);
        leaky = { mul: n.outputs[0]!, node: n };
        written.add(n.outputs[0]!);
        continue; // cur stays: the Max takes both
      }
      case 'Max': {
        attributes(n, {});
        if (!leaky || n.inputs.length !== 2 || !n.inputs.includes(cur) || !n.inputs.includes(leaky.mul))
          fail(`${label(n)} is supported only as the leaky ReLU pattern Max(x, Mul(x, 0.01))`);
        setActivation(n, 'leakyRelu');
        leaky = null;
        biasOpen = false;
        break;
      }
      case 'Identity':
        attributes(n, {});
        single(n);
        break;
      case 'Flatten': {
        const axis = attributes(n, { axis: 'i' }).get('axis') ?? 1;
        if (axis !== 1 && axis !== -1)
          fail(`attribute 'axis' = ${axis} of ${label(n)} is not supported (only the Flatten of a 2-D input, axis 1)`);
        single(n);
        break;
      }
      default:
        fail(
          `op '${nm(n.opType)}' (${label(n)}) is not supported; this reader takes Conv, MaxPool, AveragePool, Flatten, then Gemm or MatMul + Add, with Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Identity (and a Pad of zeros)`,
        );
    }
    cur = n.outputs[0]!;
    written.add(cur);
  }
  if (leaky) fail(`${label(leaky.node)} has no Max after it`);
  if (image.shape)
    fail(`the graph ends in an image [N, C, H, W] ('${nm(cur)}'); flatten it and end in a Gemm or MatMul layer`);
  if (params.length === 0) fail('the graph has no Gemm or MatMul layer');
  if (cur !== output.name)
    fail(`the graph output '${nm(output.name)}' is not the end of the layer chain ('${nm(cur)}')`);
  const outWidth = width(output, 'output');
  if (outWidth !== null && outWidth !== layers.at(-1))
    fail(`the graph output '${nm(output.name)}' has width ${outWidth}, but the last layer has ${layers.at(-1)} units`);
  const imagePart = image.inputShape
    ? { image: { inputShape: image.inputShape, layers: image.layers as LayerOptions[] } }
    : {};
  return {
    layers,
    activations: activations.map((a) => a ?? 'linear'),
    dtype,
    params,
    convs: image.convs,
    ...imagePart,
  };
}
