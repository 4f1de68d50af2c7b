// The convolutional networks both exports are checked on (onnx-conv.test.ts in onnxruntime,
// tfjs-conv.test.ts in TensorFlow.js): valid and same padding (asymmetric where TensorFlow pads so),
// strides 1 and 2, a kernel that is not square, no bias, both poolings. `act` is the second case's
// second conv activation, so each runtime also sees one written in its own form.
import type { ActivationName, LayerOptions } from 'backprop-wasm';

export type ConvCase = [string, number[], LayerOptions[]];

export const convCases = (act: ActivationName): ConvCase[] => [
  [
    'C1-like, valid',
    [12, 12, 1],
    [
      { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 6, kernelSize: 3, activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  ],
  [
    `same padding, strides 2, 3×2 kernels, no bias, leakyRelu and ${act}, average pooling`,
    [7, 9, 3],
    [
      {
        type: 'conv2d',
        filters: 5,
        kernelSize: [3, 2],
        strides: 2,
        padding: 'same',
        activation: 'leakyRelu',
        useBias: false,
      },
      { type: 'averagePooling2d', poolSize: 2, strides: 1, padding: 'same' },
      { type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same', activation: act },
      { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 2, activation: 'sigmoid' },
    ],
  ],
];
