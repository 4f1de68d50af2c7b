// backprop-wasm/onnx: ONNX models in and out. toONNX writes a Network; fromONNX reads MLP graphs as
// PyTorch and tf2onnx write them. Loaded only through this subpath: the main entry does not import it.
import { ValidationError, type Network } from '../../index.js';
import { shownText as nm } from '../../internal.js';
import { checkAttached } from '../../internal.js';
import { buildNetwork, checkLoadOptions, finiteList, toRows, type LoadOptions } from '../common.js';
import { readGraph } from './graph.js';
import { decodeModelProto } from './proto.js';
import { tensorValues } from './tensors.js';

export { toONNX, DEFAULT_OPSET, type ToONNXOptions } from './export.js';
export { readONNXMetadata, type ONNXMetadata } from './metadata.js';
export type { ExportOptions, Scale } from '../export-options.js';
export type { LoadOptions } from '../common.js';

/**
 * Reads an ONNX MLP (Gemm or MatMul + Add layers; Relu, LeakyRelu 0.01, Sigmoid, Tanh, Softmax;
 * opsets 11–21; float or double) as a Network. The loss is crossEntropy for a softmax output, mse
 * otherwise (ONNX stores no loss). Anything else throws a ModelFormatError naming the op and node.
 */
export async function fromONNX(bytes: Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<Network> {
  checkAttached(bytes, 'fromONNX');
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw new ValidationError('fromONNX: expected the model as a Uint8Array or ArrayBuffer');
  const o = checkLoadOptions(options, 'fromONNX');
  const plan = readGraph(decodeModelProto(data));
  const weights = (): { W: number[][]; b: number[] }[] => plan.params.map(({ W, transposed, b }, l) => {
    const inputs = plan.layers[l]!, outputs = plan.layers[l + 1]!;
    return {
      W: toRows(tensorValues(W, plan.dtype), inputs, outputs, transposed, `ONNX initializer '${nm(W.name)}'`),
      b: b ? finiteList(tensorValues(b, plan.dtype), `ONNX initializer '${nm(b.name)}'`) : new Array<number>(outputs).fill(0),
    };
  });
  return buildNetwork(plan, weights, o, 'ONNX model');
}
