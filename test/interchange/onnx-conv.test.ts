// toONNX of networks with image layers, run by onnxruntime-node: the channels-last rows reshaped and
// transposed to NCHW, Conv (valid and same padding, asymmetric where TensorFlow pads so; strides 1
// and 2; a kernel that is not square; no bias; activations in their ONNX forms), MaxPool and
// AveragePool (padding not counted), a Transpose back before Flatten, then Gemm: onnxruntime predicts
// what predict does; fromONNX reads the file back to the same layers, predicting on the same rows.
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { runOrt } from './ort.js';
import { Rng } from '../helpers.js';
import { convCases } from './conv-cases.js';

const CASES = convCases('gelu');

describe('toONNX of convolutional networks in onnxruntime', () => {
  it.each(CASES)('%s', async (_name, inputShape, layers) => {
    const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
    const cols = inputShape.reduce((a, b) => a * b, 1),
      rng = new Rng(6);
    net.setWeights(net.getWeights().map(({ W, b }) => ({ W, b: b.map(() => rng.next() - 0.5) })));
    const x = new Float32Array(4 * cols).map(() => rng.next());
    const got = await runOrt(toONNX(net), x, cols),
      want = net.predict(x);
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-5));
  });
});

describe('fromONNX of convolutional networks toONNX wrote', () => {
  it.each(CASES)(
    '%s: reads back the same layers, predicting on the same channels-last rows',
    async (_name, inputShape, layers) => {
      const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
      const cols = inputShape.reduce((a, b) => a * b, 1),
        rng = new Rng(8);
      net.setWeights(net.getWeights().map(({ W, b }) => ({ W, b: b.map(() => rng.next() - 0.5) })));
      const x = new Float32Array(3 * cols).map(() => rng.next());
      for (const backend of ['wasm', 'js'] as const) {
        const back = await fromONNX(toONNX(net), { backend });
        expect(back.inputShape).toEqual(inputShape);
        // The writer states every option: strides and kernel sizes as pairs, pooling strides explicit.
        const pairs = (l: object): object =>
          Object.fromEntries(
            Object.entries(l).map(([k, v]) => [
              k,
              typeof v === 'number' && k !== 'filters' && k !== 'units' ? [v, v] : v,
            ]),
          );
        expect(back.layers.map(pairs)).toEqual(
          net.layers.map((l) => pairs('poolSize' in l && l.strides === null ? { ...l, strides: l.poolSize } : l)),
        );
        const got = back.predict(x),
          want = net.predict(x);
        want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-6));
        back.dispose();
      }
    },
  );

  it('refuses a Reshape of the rows that is not to an image, and a Transpose it does not know', async () => {
    const net = await Network.create({ inputShape: CASES[0]![1], layers: CASES[0]![2], backend: 'js', seed: 4 });
    const bytes = toONNX(net);
    // Only the perm attribute changes: [0, 3, 1, 2] written as [0, 3, 2, 1] (the same length).
    const at = findBytes(bytes, [0x40, 0x00, 0x40, 0x03, 0x40, 0x01, 0x40, 0x02]);
    const bad = bytes.slice();
    bad.set([0x40, 0x00, 0x40, 0x03, 0x40, 0x02, 0x40, 0x01], at);
    await expect(fromONNX(bad, { backend: 'js' })).rejects.toThrow(
      "attribute 'perm' = [0, 3, 2, 1] of node '/image/Transpose' (Transpose) is not supported",
    );
  });
});

/** The first index of `pattern` in `bytes`. */
function findBytes(bytes: Uint8Array, pattern: number[]): number {
  for (let i = 0; i + pattern.length <= bytes.length; i++) if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  throw new Error('pattern not found');
}
