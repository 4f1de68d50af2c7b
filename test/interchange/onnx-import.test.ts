// fromONNX on files written by the ONNX project's writer (scripts/onnx_fixtures.py, committed under
// test/fixtures/onnx): PyTorch-style Gemm and tf2onnx-style MatMul + Add graphs, raw_data and typed
// fields, float and double. Our predictions must match onnxruntime's on the same inputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, type DType } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { expectAgree, inputs, network, TOL } from './helpers.js';
import { runOrt } from './ort.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/onnx/${name}`, import.meta.url));

const READABLE: [string, DType, number[], string[], string][] = [
  ['torch_gemm_relu_softmax_opset11.onnx', 'float32', [4, 8, 3], ['relu'], 'softmax'],
  ['tf2onnx_matmul_add_opset13.onnx', 'float32', [5, 6, 2], ['tanh'], 'sigmoid'],
  ['double_typed_gemm_opset17.onnx', 'float64', [3, 7, 2], ['tanh'], 'linear'],
  ['double_raw_gemm_opset15.onnx', 'float64', [2, 5, 1], ['relu'], 'sigmoid'],
  ['leaky_relu_opset16.onnx', 'float32', [4, 6, 3], ['leakyRelu'], 'softmax'],
  ['elu_default_alpha_opset16.onnx', 'float32', [4, 6, 3], ['elu'], 'softmax'], // Elu without its alpha: the default 1
];

describe('fromONNX reads files from the ONNX writer', () => {
  it.each(READABLE)('%s', async (name, dtype, layers, hidden, output) => {
    const bytes = fixture(name);
    for (const backend of ['wasm', 'js'] as const) {
      const net = await fromONNX(bytes, { backend });
      expect(net.sizes).toEqual(layers);
      expect(net.dtype).toBe(dtype);
      const json = net.toJSON();
      expect([net.activations.slice(0, -1), net.activations.at(-1), json.loss]).toEqual([
        hidden,
        output,
        output === 'softmax' ? 'crossEntropy' : 'mse',
      ]);
      const x = inputs(dtype, 11, layers[0]!, 21);
      expectAgree(
        net.predict(x) as ArrayLike<number>,
        await runOrt(bytes, x, layers[0]!),
        TOL[dtype],
        `${name} on ${backend}`,
      );
      net.dispose();
    }
  });

  it('takes an ArrayBuffer as well', async () => {
    const bytes = fixture('tf2onnx_matmul_add_opset13.onnx');
    const net = await fromONNX(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    expect(net.sizes).toEqual([5, 6, 2]);
  });

  it.each([
    ['refused_leaky_alpha_0.2.onnx', /attribute 'alpha' = 0\.2\d* of node '\/act\/LeakyRelu' \(LeakyRelu\)/],
    ['refused_selu.onnx', /op 'Selu' \(node '\/act\/Selu' \(Selu\)\) is not supported/],
    ['refused_gemm_alpha_0.5.onnx', /attribute 'alpha' = 0\.5 of node '\/l0\/Gemm' \(Gemm\)/],
  ])('refuses %s, naming the op or attribute and the node', async (name, message) => {
    await expect(fromONNX(fixture(name))).rejects.toThrow(ModelFormatError);
    await expect(fromONNX(fixture(name))).rejects.toThrow(message);
  });
});

describe('fromONNX across opsets', () => {
  it('reads opset 21 (IR 10) as onnxruntime runs it', async () => {
    const net = await network('float32', 'tanh', 'softmax');
    const bytes = toONNX(net, { opset: 21 });
    const x = inputs('float32', 4, 4);
    expectAgree((await fromONNX(bytes)).predict(x) as Float32Array, await runOrt(bytes, x, 4), TOL.float32, 'opset 21');
  });
});
