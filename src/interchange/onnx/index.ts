// backprop-wasm/onnx: ONNX models in and out. toONNX writes a Network; fromONNX reads MLP graphs as
// PyTorch and tf2onnx write them, and convolutional networks as PyTorch's torch.onnx.export writes
// them (NCHW Conv, MaxPool, AveragePool, Flatten, then the dense layers; image-read.ts), whose input
// rows toChannelsLast converts. Loaded only through this subpath: the main entry does not import it.
import { ValidationError, type Network } from '../../index.js';
import { shownText as nm } from '../../internal.js';
import { checkAttached } from '../../internal.js';
import { buildNetwork, checkLoadOptions, finiteList, toRows, type LoadOptions } from '../common.js';
import { readGraph } from './graph.js';
import { decodeModelProto } from './proto.js';
import { convKernel, flattenedRows } from './layout.js';
import type { TensorP } from './proto.js';
import { tensorValues } from './tensors.js';

export { toONNX, DEFAULT_OPSET, type ToONNXOptions } from './export.js';
export { readONNXMetadata, type ONNXMetadata } from './metadata.js';
export { toChannelsLast } from './layout.js';
export type { ExportOptions, Scale } from '../export-options.js';
export type { LoadOptions } from '../common.js';

/**
 * Reads an ONNX model as a Network: an MLP (Gemm or MatMul + Add layers; Relu, LeakyRelu 0.01,
 * Sigmoid, Tanh, Softmax; opsets 11–21; float or double), or a convolutional network as PyTorch
 * exports it (input [N, C, H, W]; Conv, MaxPool, AveragePool, then Flatten and the dense layers).
 * The network takes channels-last rows [h·w·c]: convert a PyTorch model's rows with toChannelsLast.
 * The loss is crossEntropy for a softmax output, mse otherwise (ONNX stores no loss). Anything else
 * throws a ModelFormatError naming the op and node.
 */
export async function fromONNX(bytes: Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<Network> {
  checkAttached(bytes, 'fromONNX');
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array))
    throw new ValidationError('fromONNX: expected the model as a Uint8Array or ArrayBuffer');
  const o = checkLoadOptions(options, 'fromONNX');
  const plan = readGraph(decodeModelProto(data));
  const values = (t: TensorP): Float64Array => tensorValues(t, plan.dtype);
  // Conv kernels first ([F, C, kh, kw] to [kh][kw][C][F]), then the dense layers (the one after a Flatten reordered to channels-last inputs).
  const weights = (): { W: number[][]; b: number[] }[] => [
    ...plan.convs.map(({ W, b }) => ({
      W: convKernel(values(W), W.dims, `ONNX initializer '${nm(W.name)}'`) as unknown as number[][],
      b: b ? finiteList(values(b), `ONNX initializer '${nm(b.name)}'`) : new Array<number>(W.dims[0]!).fill(0),
    })),
    ...plan.params.map(({ W, transposed, b, chw }, l) => {
      const inputs = plan.layers[l]!,
        outputs = plan.layers[l + 1]!;
      const data = chw ? flattenedRows(values(W), chw, outputs, transposed) : values(W);
      return {
        W: toRows(data, inputs, outputs, transposed, `ONNX initializer '${nm(W.name)}'`),
        b: b ? finiteList(values(b), `ONNX initializer '${nm(b.name)}'`) : new Array<number>(outputs).fill(0),
      };
    }),
  ];
  return buildNetwork(plan, weights, o, 'ONNX model');
}
