// toONNX of networks with image layers, run by onnxruntime-node: the channels-last rows reshaped and
// transposed to NCHW, Conv (valid and same padding, asymmetric where TensorFlow pads so; strides 1
// and 2; a kernel that is not square; no bias; activations in their ONNX forms), MaxPool and
// AveragePool (padding not counted), a Transpose back before Flatten, then Gemm: onnxruntime predicts
// what predict does.
import { describe, expect, it } from 'vitest';
import { ModelFormatError, Network } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { runOrt } from './ort.js';
import { Rng } from '../helpers.js';
import { convCases } from './conv-cases.js';

const CASES = convCases('gelu');

describe('toONNX of convolutional networks in onnxruntime', () => {
  it.each(CASES)('%s', async (_name, inputShape, layers) => {
    const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
    const cols = inputShape.reduce((a, b) => a * b, 1), rng = new Rng(6);
    net.setWeights(net.getWeights().map(({ W, b }) => ({ W, b: b.map(() => rng.next() - 0.5) })));
    const x = new Float32Array(4 * cols).map(() => rng.next());
    const got = await runOrt(toONNX(net), x, cols), want = net.predict(x);
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-5));
  });
});

describe('fromONNX of convolutional networks', () => {
  it('is refused in this version with a ModelFormatError naming the first image node', async () => {
    const net = await Network.create({ inputShape: CASES[0]![1], layers: CASES[0]![2], backend: 'js', seed: 4 });
    await expect(fromONNX(toONNX(net), { backend: 'js' })).rejects.toThrow(ModelFormatError);
    await expect(fromONNX(toONNX(net), { backend: 'js' })).rejects.toThrow("op 'Reshape' (node '/image/Reshape' (Reshape)) is not supported");
  });
});
