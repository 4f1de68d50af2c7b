// The buffer plan (src/backends/buffer-plan.ts) is the whole of a model's memory: the WASM model
// allocates exactly its regions (parameters and gradients, the optimizer's state arrays, the batch
// buffers, the im2col scratch, the gathered rows and the layer table), the JS model holds arrays of
// exactly its lengths, and the memory formula counts the optimizer that keeps the most state.
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { getBackend } from '../dist/src/backends/index.js';
import {
  batchBuffers,
  ELEMENTS_PER_PARAMETER,
  imageBuffers,
  imageScratchPerRow,
  inputWidth,
  parameterBuffers,
  parameterSizes,
  stateBuffers,
} from '../dist/src/backends/buffer-plan.js';
import { descriptorWords } from '../dist/src/backends/wasm/layout.js';
import { stagesOf } from '../dist/src/backends/wasm/stages.js';
import { networkBytes } from '../dist/src/checks/limits.js';
import { OPTIMIZERS, OPTIMIZER_NAMES, stateSlots } from '../dist/src/ops/optimizers.js';
import type { ModelSpec } from '../dist/src/backends/backend.js';

const align16 = (bytes: number): number => Math.ceil(Math.max(bytes, 16) / 16) * 16;

// A conv layer with and one without bias, both poolings, a gelu layer (z kept), dropout and an exact-loss softmax (logits kept).
const CNN: ModelSpec = {
  loss: 'crossEntropy',
  metric: 'accuracy',
  dropoutSeed: 7,
  image: {
    inputShape: [9, 7, 3],
    layers: [
      { type: 'conv2d', filters: 5, kernelSize: 3, strides: 1, padding: 'same', activation: 'gelu', useBias: true },
      { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' },
      {
        type: 'conv2d',
        filters: 6,
        kernelSize: [2, 3],
        strides: 1,
        padding: 'valid',
        activation: 'relu',
        useBias: false,
      },
      { type: 'averagePooling2d', poolSize: 1, strides: null, padding: 'valid' },
      { type: 'flatten' },
    ],
  },
  layers: [
    { inputs: 3 * 1 * 6, outputs: 11, activation: 'swish', dropout: 0.25 },
    { inputs: 11, outputs: 4, activation: 'softmax', dropout: 0 },
  ],
};
const MLP: ModelSpec = {
  loss: 'mse',
  metric: 'mae',
  dropoutSeed: 1,
  image: null,
  layers: [
    { inputs: 5, outputs: 8, activation: 'tanh', dropout: 0 },
    { inputs: 8, outputs: 2, activation: 'linear', dropout: 0 },
  ],
};

/** Every region's bytes the plan lists for `rows` rows and this optimizer, with the layer table. */
function planned(spec: ModelSpec, rows: number, optimizer: (typeof OPTIMIZER_NAMES)[number], size: number): number[] {
  const sizes = parameterSizes(spec);
  const elements = [
    ...sizes.flatMap(parameterBuffers),
    ...sizes.flatMap((s) => stateBuffers(s, optimizer)),
    ...batchBuffers(spec).flatMap((list, i) => list.map(() => rows * spec.layers[i]!.outputs)),
    ...imageBuffers(spec.image).flatMap((l) => l.buffers.map(() => rows * l.elements)),
    ...(imageScratchPerRow(spec) ? [rows * imageScratchPerRow(spec)] : []),
    rows * inputWidth(spec),
    rows * spec.layers.at(-1)!.outputs,
  ];
  return [descriptorWords(spec.layers.length, stagesOf(spec).length) * 4, ...elements.map((n) => n * size)];
}

describe('the buffer plan is all of a model', () => {
  for (const [name, spec] of [
    ['CNN', CNN],
    ['MLP', MLP],
  ] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      it.each(OPTIMIZER_NAMES)(
        `${name} ${dtype} %s: the WASM model allocates exactly the planned regions`,
        async (optimizer) => {
          const model = (await getBackend('wasm', dtype)).createModel(spec);
          try {
            model.prepare(13, optimizer);
            const size = dtype === 'float32' ? 4 : 8;
            expect(model.bytesInUse()).toBe(planned(spec, 13, optimizer, size).reduce((n, b) => n + align16(b), 0));
          } finally {
            model.dispose();
          }
        },
      );

      it.each(OPTIMIZER_NAMES)(
        `${name} ${dtype} %s: parameters and optimizer state have the planned lengths on both backends`,
        async (optimizer) => {
          const sizes = parameterSizes(spec);
          for (const backend of ['wasm', 'js'] as const) {
            const model = (await getBackend(backend, dtype)).createModel(spec);
            try {
              model.prepare(2, optimizer);
              sizes.forEach((s, l) => {
                const { W, b } = model.readParams(l);
                expect([W.length, b.length], `${backend} layer ${l}`).toEqual([s.W, s.b]);
              });
              expect(
                model.readOptimizerState().map((st) => st.map((a) => a.length)),
                backend,
              ).toEqual(sizes.map((s) => stateBuffers(s, optimizer)));
              expect(() => model.readParams(sizes.length)).toThrow(RangeError);
            } finally {
              model.dispose();
            }
          }
        },
      );
    }
  }

  it('the network size check counts the optimizer that keeps the most state arrays', () => {
    const most = Math.max(...OPTIMIZERS.map((o) => o.stateArrays));
    expect(most).toBe(2); // Adam's m and v
    expect(ELEMENTS_PER_PARAMETER).toBe(2 + most);
    expect(Math.max(...OPTIMIZER_NAMES.map(stateSlots))).toBe(2 * most);
    // 784-128-10: 101,770 parameters, each with its gradient and two state values, in float32.
    expect(networkBytes([784, 128, 10], 'float32')).toBe(101_770 * 4 * 4);
  });

  it('flatten alone has no buffers: [3, 4, 2] images through flatten train as the same rows through a dense network, on both backends', async () => {
    const x = Array.from({ length: 6 }, (_, r) => Array.from({ length: 24 }, (_, i) => Math.sin(r * 24 + i)));
    const y = x.map((_, r) => r % 3);
    const trained = [];
    for (const backend of ['wasm', 'js'] as const) {
      for (const image of [true, false]) {
        const net = await Network.create({
          ...(image
            ? {
                inputShape: [3, 4, 2],
                layers: [
                  { type: 'flatten' as const },
                  { type: 'dense' as const, units: 5, activation: 'tanh' as const },
                  { type: 'dense' as const, units: 3, activation: 'softmax' as const },
                ],
              }
            : { layers: [24, 5, 3], activation: 'tanh' as const, output: 'softmax' as const }),
          loss: 'crossEntropy',
          dtype: 'float64',
          backend,
          seed: 4,
        });
        net.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false });
        trained.push(net.getWeights().flatMap(({ W, b }) => [...(W as number[][]).flat(), ...b]));
        net.dispose();
      }
    }
    expect(trained[1]).toEqual(trained[0]); // wasm: flatten first is exactly the dense network
    expect(trained[3]).toEqual(trained[2]); // js
    trained[2]!.forEach((v, i) => expect(v).toBeCloseTo(trained[0]![i]!, 12));
  });
});
