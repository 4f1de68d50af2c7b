// Image networks that exercise the kernels' edges (channels not multiples of 4, odd sizes, kernels
// 1×1 to 5×5, strides 2, same and valid, no bias, both poolings) and a short seeded training run of
// one, for the tests that compare backends and kernel builds.
import { Network, type LayerOptions } from 'backprop-wasm';
import { Rng } from './helpers.js';

type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const allWeights = (net: Network) =>
  (net.getWeights() as unknown as { W: Nested; b: number[] }[]).flatMap((w) => [...flat(w.W), ...w.b]);

export const conv = (filters: number, kernelSize: number | [number, number], o: object = {}): LayerOptions =>
  ({ type: 'conv2d', filters, kernelSize, ...o }) as LayerOptions;
export const ARCHITECTURES: [string, number[], LayerOptions[]][] = [
  [
    '3×3 relu, max pool, 5×5 same stride 2 (7 channels in, 5 out)',
    [9, 11, 3],
    [
      conv(7, 3, { activation: 'relu' }),
      { type: 'maxPooling2d' },
      conv(5, 5, { strides: 2, padding: 'same', activation: 'tanh' }),
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  ],
  [
    '1×1, 2×2 valid stride 2, average pool same 3×3 stride 2, no bias',
    [8, 7, 5],
    [
      conv(6, 1, { activation: 'gelu' }),
      conv(3, 2, { strides: 2, useBias: false }),
      { type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 6, activation: 'elu' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  ],
  [
    '4×4 same (asymmetric padding), max pool same stride 1, 3×5 kernel stride [2, 1]',
    [10, 9, 2],
    [
      conv(9, 4, { padding: 'same', activation: 'swish' }),
      { type: 'maxPooling2d', poolSize: 3, strides: 1, padding: 'same' },
      conv(4, [3, 5], { strides: [2, 1], padding: 'same', activation: 'relu' }),
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  ],
  [
    'pooling first, one channel, 5×5 valid',
    [13, 12, 1],
    [
      { type: 'averagePooling2d', poolSize: 2, strides: 1 },
      conv(5, 5, { activation: 'softplus' }),
      { type: 'maxPooling2d', poolSize: [2, 3] },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  ],
];

function data(shape: number[], rows: number, seed: number): { x: Float64Array; y: number[] } {
  const rng = new Rng(seed),
    width = shape.reduce((a, b) => a * b, 1);
  return {
    x: Float64Array.from({ length: rows * width }, () => 2 * rng.next() - 1),
    y: Array.from({ length: rows }, (_, r) => (r * 7) % 4),
  };
}

/** Three epochs of Adam on 21 seeded rows: the losses, every parameter, and the predictions of 3 rows. */
export async function trajectory(
  backend: 'js' | 'wasm',
  dtype: 'float32' | 'float64',
  shape: number[],
  layers: LayerOptions[],
  threads?: number,
) {
  const net = await Network.create({
    inputShape: shape,
    layers,
    loss: 'crossEntropy',
    dtype,
    backend,
    seed: 11,
    ...(threads ? { threads } : {}),
  });
  const { x, y } = data(shape, 21, 5);
  const history = net.fit(x, y, { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.01 });
  return {
    losses: history.loss,
    weights: allWeights(net),
    outputs: Array.from(net.predict(x.subarray(0, 3 * shape.reduce((a, b) => a * b, 1)))),
  };
}
