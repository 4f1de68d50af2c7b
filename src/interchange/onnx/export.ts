// Writes a Network as an ONNX model: per layer a Gemm (transB = 1, the weight stored [out, in] as
// PyTorch stores it) and its activation; input and output are [batch, features] with a symbolic batch.
import { ValidationError } from '../../index.js';
import type { DType } from '../../index.js';
import { checkOptions, readNetwork } from '../common.js';
import {
  checkExportOptions,
  CLASS_NAMES_KEY,
  EXPORT_OPTIONS,
  foldScales,
  type ExportOptions,
} from '../export-options.js';
import { activationOp, type ActivationOp, type OnnxExpr } from '../../internal.js';
import { node, tensor, valueInfo } from './nodes.js';
import { imageGraph } from './image.js';
import { Writer } from './wire.js';

export interface ToONNXOptions extends ExportOptions {
  /** The default-domain opset, 13–21 (default 17). */
  opset?: number;
}

export const DEFAULT_OPSET = 17;
/** The IR version each opset shipped with (onnx/helper.py VERSION_TABLE). */
const IR_VERSION: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** The node-name scope of dense layer l (PyTorch's `layers.l`), or a scope given by name. */
const scope = (l: number | string): string => (typeof l === 'number' ? `layers.${l}` : l);

/** Writes the nodes of f(x) (post-order; constants become scalar initializers) and returns the name of its value. */
export function emit(
  expr: OnnxExpr,
  x: string,
  l: number | string,
  dtype: DType,
  out: { graph: Writer; inits: Writer[]; count: number; ops: Map<string, number> },
  final: string | null,
): string {
  if (expr === 'x') return x;
  if (typeof expr === 'number') {
    const name = `/${scope(l)}/Constant_${out.count++}`;
    out.inits.push(tensor(name, dtype, [], [expr]));
    return name;
  }
  const args = expr.args.map((a) => emit(a, x, l, dtype, out, null));
  // Node names as PyTorch writes them: /layers.0/Relu, then /layers.0/Relu_1 for a second one.
  const seen = out.ops.get(`${l}/${expr.op}`) ?? 0;
  out.ops.set(`${l}/${expr.op}`, seen + 1);
  const nodeName = `/${scope(l)}/${expr.op}${seen ? `_${seen}` : ''}`;
  const name = final ?? `${nodeName}_output_0`;
  out.graph.message(1, node(expr.op, nodeName, args, name, expr.attrs ?? []));
  return name;
}

/**
 * The network as ONNX bytes: each activation as its descriptor writes it (src/ops/activations.ts).
 * inputScale and outputScale are folded into the first and last Gemm (the file takes raw rows);
 * classNames are stored as the metadata_props entry 'classNames' (a JSON array), which
 * readONNXMetadata reads.
 */
export function toONNX(net: unknown, options?: ToONNXOptions): Uint8Array {
  const o = checkOptions(options, ['opset', ...EXPORT_OPTIONS], 'toONNX');
  const opset = o.opset === undefined ? DEFAULT_OPSET : o.opset;
  if (typeof opset !== 'number' || !Object.hasOwn(IR_VERSION, opset)) {
    throw new ValidationError(`toONNX: opset ${JSON.stringify(opset)} is not supported (13–21)`);
  }
  const {
    layers,
    activations,
    dtype,
    weights: trained,
    inputShape,
    imageConfigs,
    imageWeights,
  } = readNetwork(net, 'toONNX');
  const extra = checkExportOptions(o, layers, activations.at(-1)!, 'toONNX', imageConfigs.length > 0);
  const weights = foldScales(trained, extra);
  const out = { graph: new Writer(), inits: [] as Writer[], count: 0, ops: new Map<string, number>() };
  const L = weights.length;
  // Image layers first: the flat channels-last rows to NCHW, Conv/MaxPool/AveragePool, back to NHWC, Flatten.
  let cur = imageConfigs.length ? imageGraph(out, inputShape, imageConfigs, imageWeights, dtype, emit) : 'input';
  weights.forEach(({ W, b }, l) => {
    const inputs = layers[l]!,
      outputs = layers[l + 1]!;
    const Wt = new Float64Array(inputs * outputs);
    W.forEach((row, i) =>
      row.forEach((v, j) => {
        Wt[j * inputs + i] = v;
      }),
    );
    out.inits.push(
      tensor(`layers.${l}.weight`, dtype, [outputs, inputs], Wt),
      tensor(`layers.${l}.bias`, dtype, [outputs], b),
    );
    const op: ActivationOp = activationOp(activations[l]!);
    const expr = (dtype === 'float64' ? op.onnx64 : undefined) ?? op.onnx;
    // The graph output is the last node's: the activation's, or the Gemm's for a linear output layer.
    const gemmOut = l === L - 1 && expr === null ? 'output' : `/layers.${l}/Gemm_output_0`;
    out.graph.message(
      1,
      node('Gemm', `/layers.${l}/Gemm`, [cur, `layers.${l}.weight`, `layers.${l}.bias`], gemmOut, [
        ['alpha', 1, 'f'],
        ['beta', 1, 'f'],
        ['transB', 1, 'i'],
      ]),
    );
    cur = expr === null ? gemmOut : emit(expr, gemmOut, l, dtype, out, l === L - 1 ? 'output' : null);
  });
  const graph = out.graph;
  graph.string(2, 'backprop-wasm');
  for (const t of out.inits) graph.message(5, t);
  graph
    .message(
      11,
      valueInfo(
        'input',
        dtype,
        inputShape.reduce((a, b) => a * b, 1),
      ),
    )
    .message(12, valueInfo('output', dtype, layers[L]!));
  const model = new Writer()
    .int(1, IR_VERSION[opset]!)
    .string(2, 'backprop-wasm')
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, opset));
  // metadata_props (field 14): StringStringEntryProto { key = 1, value = 2 }.
  if (extra.classNames)
    model.message(14, new Writer().string(1, CLASS_NAMES_KEY).string(2, JSON.stringify(extra.classNames)));
  return model.finish();
}
