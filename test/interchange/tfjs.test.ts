// toLayersModel / fromLayersModel against TensorFlow.js 4.x (pure JS, CPU backend): tfjs loads and runs
// every exported model; models written by tfjs' own save handler load here and predict the same.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DType } from 'backprop-wasm';
import { fromLayersModel, loadLayersModel, saveLayersModel, toLayersModel } from 'backprop-wasm/tfjs';
import { DTYPES, expectAgree, expectBits, flatWeights, HIDDEN, inputs, network } from './helpers.js';
import { loadTf, predictTf, saveTf, tf } from './tfjs-runtime.js';

// tfjs computes in float32: a float64 network is exported with its weights rounded to float32.
const TFJS_TOL: Record<DType, number> = { float32: 2e-6, float64: 2e-6 };

describe.each(DTYPES)('toLayersModel %s', (dtype) => {
  it.each(HIDDEN)('hidden %s: TensorFlow.js loads it and predicts the same', async (act) => {
    for (const output of ['softmax', act] as const) {
      const net = await network(dtype, act, output);
      const { modelJSON, weightData } = toLayersModel(net);
      expect(modelJSON.format).toBe('layers-model');
      const model = await loadTf(modelJSON, weightData);
      const x = inputs(dtype, 9, 4, 8);
      const ours =
        dtype === 'float32'
          ? (net.predict(x) as Float32Array)
          : ((await fromLayersModel({ modelJSON, weightData })).predict(Float32Array.from(x)) as Float32Array);
      expectAgree(ours, predictTf(model, x, 4), TFJS_TOL[dtype], `${dtype} ${act}/${output}`);
      if (dtype === 'float64')
        expectAgree(
          net.predict(x) as Float64Array,
          predictTf(model, x, 4),
          1e-5,
          `${act}/${output} float64 vs rounded`,
        );
      model.dispose();
    }
  });
});

describe('layers model round trip', () => {
  it.each(HIDDEN)('float32, hidden %s: ours -> tfjs -> ours is bit-identical', async (act) => {
    const net = await network('float32', act, act === 'linear' ? 'softmax' : act);
    const back = await fromLayersModel(toLayersModel(net), { backend: 'js' });
    expect(back.layers).toEqual(net.layers);
    expect(back.activations).toEqual(net.activations);
    expectBits(flatWeights(back), flatWeights(net), 'weights');
    const x = inputs('float32', 6, 4);
    expectBits(
      (await fromLayersModel(toLayersModel(back))).predict(x) as Float32Array,
      net.predict(x) as Float32Array,
      'predictions',
    );
  });

  it('model.json as text works too', async () => {
    const net = await network('float32', 'tanh', 'sigmoid');
    const { modelJSON, weightData } = toLayersModel(net);
    expectBits(
      flatWeights(await fromLayersModel({ modelJSON: JSON.stringify(modelJSON), weightData })),
      flatWeights(net),
      'weights',
    );
  });
});

describe('fromLayersModel reads what TensorFlow.js writes', () => {
  const x = inputs('float32', 10, 4, 13);

  it('a Sequential (relu, LeakyReLU 0.01, Dropout, softmax without bias) saved with model.save', async () => {
    const m = tf.sequential();
    m.add(
      tf.layers.dense({
        units: 6,
        inputShape: [4],
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        biasInitializer: tf.initializers.randomUniform({ seed: 2 }),
      }),
    );
    m.add(
      tf.layers.dense({
        units: 5,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        biasInitializer: tf.initializers.randomUniform({ seed: 4 }),
      }),
    );
    m.add(tf.layers.leakyReLU({ alpha: 0.01 }));
    m.add(tf.layers.dropout({ rate: 0.3 }));
    m.add(
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        useBias: false,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
    );
    const saved = await saveTf(m);
    const net = await fromLayersModel(saved);
    expect(net.sizes).toEqual([4, 6, 5, 3]);
    const json = net.toJSON();
    expect([net.activations, json.loss]).toEqual([['relu', 'leakyRelu', 'softmax'], 'crossEntropy']);
    expect(net.dropout).toEqual([0, 0.3]); // the Dropout after the second Dense is that layer's rate
    expect(json.layers.map((l) => l.type)).toEqual(['dense', 'dense', 'dropout', 'dense']);
    expectAgree(net.predict(x) as Float32Array, predictTf(m, x, 4), 2e-6, 'sequential');
    // And back: the network's dropout is written as a Dropout layer after that Dense.
    const back = toLayersModel(net).modelJSON.modelTopology as {
      config: { layers: { class_name: string; config: { rate?: number } }[] };
    };
    expect(back.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'Dense', 'LeakyReLU', 'Dropout', 'Dense']);
    expect(back.config.layers[3]!.config.rate).toBe(0.3);
    expect(net.getWeights()[2]!.b).toEqual([0, 0, 0]);
  });

  it('a functional chain (tf.model) with tanh and sigmoid, and Activation layers', async () => {
    const input = tf.input({ shape: [4] });
    const h = tf.layers
      .dense({
        units: 7,
        activation: 'tanh',
        biasInitializer: tf.initializers.randomUniform({ seed: 6 }),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
      })
      .apply(input) as tf.SymbolicTensor;
    const z = tf.layers
      .dense({
        units: 2,
        biasInitializer: tf.initializers.randomUniform({ seed: 8 }),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
      })
      .apply(h) as tf.SymbolicTensor;
    const y = tf.layers.activation({ activation: 'sigmoid' }).apply(z) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: y });
    const net = await fromLayersModel(await saveTf(m));
    expect(net.sizes).toEqual([4, 7, 2]);
    expect(net.activations.at(-1)).toBe('sigmoid');
    expectAgree(net.predict(x) as Float32Array, predictTf(m, x, 4), 2e-6, 'functional');
  });
});

describe('saveLayersModel / loadLayersModel (Node folders)', () => {
  it('writes model.json + weights.bin that tfjs reads, and reads them back bit-identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpw-tfjs-'));
    try {
      const net = await network('float32', 'leakyRelu', 'softmax');
      await saveLayersModel(net, join(dir, 'model'));
      const modelJSON = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
      const bin = await readFile(join(dir, 'model', 'weights.bin'));
      const model = await loadTf(modelJSON, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length));
      const x = inputs('float32', 5, 4);
      expectAgree(net.predict(x) as Float32Array, predictTf(model, x, 4), 2e-6, 'files');
      expectBits(
        flatWeights(await loadLayersModel(join(dir, 'model'), { backend: 'js' })),
        flatWeights(net),
        'weights',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
