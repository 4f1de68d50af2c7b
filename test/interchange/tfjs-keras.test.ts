// model.json in the shapes the tensorflowjs converter writes for Keras models: Keras 2 (tf.keras, a
// Functional model under model_config, InputLayer, weights named 'dense/kernel') and Keras 3
// (batch_shape, DTypePolicy objects, keras_history inbound nodes, LeakyReLU negative_slope). These are
// modeled on converter output (no TensorFlow here to run the converter); TensorFlow.js loads the
// Keras 2 one and is the oracle for both.
import { describe, expect, it } from 'vitest';
import { fromLayersModel } from 'backprop-wasm/tfjs';
import { expectAgree, inputs, seeded } from './helpers.js';
import { loadTf, predictTf } from './tfjs-runtime.js';

const next = seeded(77);
const weights = Float32Array.from({ length: 3 * 5 + 5 + 5 * 2 + 2 }, () => next());
const manifest = [
  {
    paths: ['group1-shard1of1.bin'],
    weights: [
      { name: 'dense/kernel', shape: [3, 5], dtype: 'float32' },
      { name: 'dense/bias', shape: [5], dtype: 'float32' },
      { name: 'dense_1/kernel', shape: [5, 2], dtype: 'float32' },
      { name: 'dense_1/bias', shape: [2], dtype: 'float32' },
    ],
  },
];
const dense = (name: string, units: number, activation: string, extra = {}): object => ({
  units,
  activation,
  use_bias: true,
  name,
  trainable: true,
  kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
  ...extra,
});

const keras2 = {
  format: 'layers-model',
  generatedBy: 'keras v2.15.0',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: {
    keras_version: '2.15.0',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          {
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' },
            name: 'input_1',
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            config: dense('dense', 5, 'linear', { dtype: 'float32' }),
            name: 'dense',
            inbound_nodes: [[['input_1', 0, 0, {}]]],
          },
          {
            class_name: 'LeakyReLU',
            config: { name: 'leaky_re_lu', trainable: true, dtype: 'float32', alpha: 0.009999999776482582 },
            name: 'leaky_re_lu',
            inbound_nodes: [[['dense', 0, 0, {}]]],
          },
          {
            class_name: 'Dropout',
            config: { name: 'dropout', trainable: true, dtype: 'float32', rate: 0.5, noise_shape: null, seed: null },
            name: 'dropout',
            inbound_nodes: [[['leaky_re_lu', 0, 0, {}]]],
          },
          {
            class_name: 'Dense',
            config: dense('dense_1', 2, 'softmax', { dtype: 'float32' }),
            name: 'dense_1',
            inbound_nodes: [[['dropout', 0, 0, {}]]],
          },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dense_1', 0, 0]],
      },
    },
    training_config: {
      loss: 'categorical_crossentropy',
      metrics: null,
      weighted_metrics: null,
      loss_weights: null,
      optimizer_config: { class_name: 'Adam', config: {} },
    },
  },
  weightsManifest: manifest,
};

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const keras3 = {
  format: 'layers-model',
  generatedBy: 'keras v3.4.1',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: policy,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: dense('dense', 5, 'linear', { dtype: policy }),
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'LeakyReLU',
          config: { name: 'leaky_re_lu', trainable: true, dtype: policy, negative_slope: 0.01 },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: dense('dense_1', 2, 'softmax', { dtype: policy }),
          registered_name: null,
        },
      ],
    },
  },
  weightsManifest: manifest,
};

describe('fromLayersModel reads Keras models as the tensorflowjs converter writes them', () => {
  const x = inputs('float32', 8, 3, 4);

  it.each([
    ['Keras 2 functional', keras2],
    ['Keras 3 sequential', keras3],
  ] as const)('%s', async (_, modelJSON) => {
    const net = await fromLayersModel({ modelJSON: modelJSON as never, weightData: weights });
    expect(net.sizes).toEqual([3, 5, 2]);
    expect(net.activations).toEqual(['leakyRelu', 'softmax']);
    const oracle = await loadTf(keras2, weights.buffer);
    expectAgree(net.predict(x) as Float32Array, predictTf(oracle, x, 3), 2e-6, 'keras');
  });
});
