// toLayersModel of networks with image layers, run by TensorFlow.js 4.x (CPU): a Reshape of the flat
// rows, Conv2D (valid and same padding, strides 1 and 2, a kernel that is not square, no bias, an
// activation written as a layer after a linear Conv2D), MaxPooling2D and AveragePooling2D (same
// padding, which TensorFlow pads asymmetrically), Flatten, Dense: tfjs predicts what predict does.
import { describe, expect, it } from 'vitest';
import { ModelFormatError, Network } from 'backprop-wasm';
import { fromLayersModel, toLayersModel } from 'backprop-wasm/tfjs';
import { loadTf, predictTf, saveTf, tf } from './tfjs-runtime.js';
import { Rng } from '../helpers.js';
import { convCases } from './conv-cases.js';

const CASES = convCases('tanh');

describe('toLayersModel of convolutional networks in TensorFlow.js', () => {
  it.each(CASES)('%s', async (_name, inputShape, layers) => {
    const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
    const cols = inputShape.reduce((a, b) => a * b, 1),
      rng = new Rng(6);
    // Nonzero biases, so a bias written in the wrong place would show.
    const w = net.getWeights().map(({ W, b }) => ({ W, b: b.map(() => rng.next() - 0.5) }));
    net.setWeights(w);
    const x = new Float32Array(4 * cols).map(() => rng.next());
    const { modelJSON, weightData } = toLayersModel(net);
    const model = await loadTf(modelJSON, weightData);
    const got = predictTf(model, x, cols),
      want = net.predict(x);
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-5));
    model.dispose();
  });
});

describe('fromLayersModel of convolutional networks', () => {
  it.each(CASES)('%s: our file read back predicts bit-identically', async (_name, inputShape, layers) => {
    const net = await Network.create({ inputShape, layers, backend: 'js', seed: 4 });
    const back = await fromLayersModel(toLayersModel(net), { backend: 'js' });
    expect(back.layers).toEqual(net.layers);
    const cols = inputShape.reduce((a, b) => a * b, 1),
      x = new Float32Array(3 * cols).map((_, i) => Math.sin(i));
    expect(back.predict(x)).toEqual(net.predict(x));
  });

  it('a CNN built and saved by TensorFlow.js predicts what TensorFlow.js predicts', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [9, 8, 2],
          filters: 5,
          kernelSize: [3, 2],
          strides: [2, 1],
          padding: 'same',
          activation: 'relu',
        }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', useBias: false }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    const { modelJSON, weightData } = await saveTf(model);
    const net = await fromLayersModel({ modelJSON: modelJSON as never, weightData }, { backend: 'js' });
    expect(net.inputShape).toEqual([9, 8, 2]);
    const rng = new Rng(2),
      x = new Float32Array(5 * 144).map(() => rng.next() * 2 - 1);
    const want = tf.tidy(() => (model.predict(tf.tensor4d(x, [5, 9, 8, 2])) as tf.Tensor).dataSync() as Float32Array);
    const got = net.predict(x);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `output ${i}`).toBeLessThan(1e-5));
    model.dispose();
  });

  it('image layers it cannot run are ModelFormatErrors naming the layer', async () => {
    const net = await Network.create({
      inputShape: [6, 6, 1],
      layers: CASES[0]![2].slice(0, 2).concat([{ type: 'flatten' }, { type: 'dense', units: 2 }]),
      backend: 'js',
      seed: 1,
    });
    const file = toLayersModel(net);
    const edit = (f: (layers: { class_name: string; config: Record<string, unknown> }[]) => void) => {
      const json = JSON.parse(JSON.stringify(file.modelJSON)) as {
        modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      };
      f(json.modelTopology.config.layers);
      return fromLayersModel({ modelJSON: json as never, weightData: file.weightData }, { backend: 'js' });
    };
    await expect(
      edit((l) => {
        l[1]!.config.dilation_rate = [2, 2];
      }),
    ).rejects.toThrow("layer 'conv2d_1' (Conv2D) has dilation_rate [2,2]; only 1 is supported");
    await expect(
      edit((l) => {
        l[1]!.config.data_format = 'channels_first';
      }),
    ).rejects.toThrow('only channels_last is supported');
    await expect(
      edit((l) => {
        l[2]!.config.padding = 'causal';
      }),
    ).rejects.toThrow('layer \'max_pooling2d_1\' (MaxPooling2D) has padding "causal"');
    await expect(
      edit((l) => {
        l[0]!.config.target_shape = [6, 6];
      }),
    ).rejects.toThrow("layer 'reshape_1' (Reshape) is supported only first, to [height, width, channels]");
    await expect(
      edit((l) => {
        l[0]!.config.target_shape = [3, 3, 4];
      }),
    ).rejects.toThrow(ModelFormatError);
    await expect(
      edit((l) => {
        l.push({ ...l[1]!, config: { ...l[1]!.config, name: 'conv2d_late' } });
      }),
    ).rejects.toThrow('follows a Dense layer; image layers come first');
    await expect(
      edit((l) => {
        l[1]!.config.kernel_size = [9, 9];
      }),
    ).rejects.toThrow(ModelFormatError);
    await expect(
      edit((l) => {
        l.splice(3, 1);
      }),
    ).rejects.toThrow('a dense layer takes a flat input');
  });
});
