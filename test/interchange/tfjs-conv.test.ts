// toLayersModel of networks with image layers, run by TensorFlow.js 4.x (CPU): a Reshape of the flat
// rows, Conv2D (valid and same padding, strides 1 and 2, a kernel that is not square, no bias, an
// activation written as a layer after a linear Conv2D), MaxPooling2D and AveragePooling2D (same
// padding, which TensorFlow pads asymmetrically), Flatten, Dense: tfjs predicts what predict does.
import { describe, expect, it } from 'vitest';
import { Network, type LayerOptions } from 'backprop-wasm';
import { toLayersModel } from 'backprop-wasm/tfjs';
import { loadTf, predictTf } from './tfjs-runtime.js';
import { Rng } from '../helpers.js';

const CASES: [string, number[], LayerOptions[]][] = [
  ['C1-like, valid', [12, 12, 1], [
    { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'maxPooling2d', poolSize: 2 },
    { type: 'conv2d', filters: 6, kernelSize: 3, activation: 'relu' }, { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }]],
  ['same padding, strides 2, 3×2 kernels, no bias, leakyRelu, average pooling', [7, 9, 3], [
    { type: 'conv2d', filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'leakyRelu', useBias: false },
    { type: 'averagePooling2d', poolSize: 2, strides: 1, padding: 'same' },
    { type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same', activation: 'tanh' },
    { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
    { type: 'flatten' }, { type: 'dense', units: 2, activation: 'sigmoid' }]],
];

describe('toLayersModel of convolutional networks in TensorFlow.js', () => {
  it.each(CASES)('%s', async (_name, inputShape, layers) => {
    const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
    const cols = inputShape.reduce((a, b) => a * b, 1), rng = new Rng(6);
    // Nonzero biases, so a bias written in the wrong place would show.
    const w = net.getWeights().map(({ W, b }) => ({ W, b: b.map(() => rng.next() - 0.5) }));
    net.setWeights(w);
    const x = new Float32Array(4 * cols).map(() => rng.next());
    const { modelJSON, weightData } = toLayersModel(net);
    const model = await loadTf(modelJSON, weightData);
    const got = predictTf(model, x, cols), want = net.predict(x);
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-5));
    model.dispose();
  });
});
