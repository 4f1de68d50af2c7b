// toLayersModel / saveLayersModel with inputScale / outputScale / classNames: TensorFlow.js fed raw rows
// gives what predict gives on the standardized rows; the class names are in model.json's
// userDefinedMetadata, where tfjs' loader and readLayersModelMetadata find them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from 'backprop-wasm';
import {
  fromLayersModel,
  loadLayersModel,
  readLayersModelMetadata,
  saveLayersModel,
  toLayersModel,
} from 'backprop-wasm/tfjs';
import { DTYPES, expectAgree, expectBits, flatWeights, network } from './helpers.js';
import { loadTf, predictTf } from './tfjs-runtime.js';
import { folded, rows, scaleOf, unscale } from './scales.js';

// tfjs computes in float32 (a float64 network's weights are rounded): 1e-5, as for float32 ONNX
// (the folded weights rounded once, sums in another order with terms up to ~10).
const TOL = 1e-5;

describe.each(DTYPES)('toLayersModel options, %s network', (dtype) => {
  it.each(['tanh', 'relu', 'leakyRelu'] as const)(
    'inputScale (hidden %s, softmax): tfjs on raw rows = predict on standardized rows',
    async (act) => {
      const net = await network(dtype, act, 'softmax');
      const s = scaleOf(4, 31);
      const { raw, standardized } = rows('float32', 11, s);
      const { modelJSON, weightData } = toLayersModel(net, { inputScale: s });
      const model = await loadTf(modelJSON, weightData);
      const want = net.predict(
        dtype === 'float32' ? standardized : Float64Array.from(standardized),
      ) as ArrayLike<number>;
      expectAgree(predictTf(model, raw, 4), want, TOL, `${dtype} ${act}`);
      expect(() =>
        expectAgree(predictTf(model, standardized, 4), want, 1e-3, 'standardized rows into the folded model'),
      ).toThrow();
      model.dispose();
      net.dispose();
    },
  );

  it('inputScale + outputScale (linear output): tfjs on raw rows = unscaled predict', async () => {
    const net = await network(dtype, 'sigmoid', 'linear');
    const s = scaleOf(4, 32),
      t = scaleOf(3, 33);
    const { raw, standardized } = rows('float32', 9, s);
    const { modelJSON, weightData } = toLayersModel(net, { inputScale: s, outputScale: t });
    const model = await loadTf(modelJSON, weightData);
    const y = net.predict(dtype === 'float32' ? standardized : Float64Array.from(standardized)) as ArrayLike<number>;
    expectAgree(predictTf(model, raw, 4), unscale(y, t), TOL, `${dtype} regression`);
    model.dispose();
    // The weights are the float64 formula rounded once to float32.
    const want = folded(net.getWeights(), s, t)
      .flatMap(({ W, b }) => [...W.flat(), ...b])
      .map(Math.fround);
    expectBits(
      flatWeights(await fromLayersModel({ modelJSON, weightData }, { backend: 'js' })),
      want,
      'folded weights',
    );
    net.dispose();
  });
});

describe('layers model metadata', () => {
  it('classNames: tfjs getUserDefinedMetadata and readLayersModelMetadata read them; fromLayersModel still reads the model', async () => {
    const net = await network('float32', 'relu', 'softmax');
    const names = ['cat', 'dog', 'ünïcode "quoted"'];
    const { modelJSON, weightData } = toLayersModel(net, { classNames: names });
    expect(modelJSON.userDefinedMetadata).toEqual({ classNames: names });
    const model = await loadTf(modelJSON, weightData);
    expect(model.getUserDefinedMetadata()).toEqual({ classNames: names });
    model.dispose();
    expect(readLayersModelMetadata(modelJSON).classNames).toEqual(names);
    expect(readLayersModelMetadata(JSON.stringify(modelJSON)).classNames).toEqual(names);
    expectBits(flatWeights(await fromLayersModel({ modelJSON, weightData })), flatWeights(net), 'weights');
    expect(readLayersModelMetadata(toLayersModel(net).modelJSON)).toEqual({
      userDefinedMetadata: {},
      classNames: null,
    });
  });

  it('saveLayersModel takes the options: the folder holds the folded model and the class names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpw-scale-'));
    try {
      const net = await network('float32', 'tanh', 'softmax');
      const s = scaleOf(4, 34);
      await saveLayersModel(net, dir, { inputScale: s, classNames: ['a', 'b', 'c'] });
      const json = await readFile(join(dir, 'model.json'), 'utf8');
      expect(readLayersModelMetadata(json).classNames).toEqual(['a', 'b', 'c']);
      const back = await loadLayersModel(dir);
      const { raw, standardized } = rows('float32', 7, s);
      expectAgree(
        back.predict(Float32Array.from(raw)) as Float32Array,
        net.predict(standardized) as Float32Array,
        TOL,
        'folder',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('malformed metadata in a file is a ModelFormatError', () => {
    for (const meta of [{ classNames: 'cat' }, { classNames: [1, 2] }, [1], 'x']) {
      expect(() =>
        readLayersModelMetadata({ modelTopology: {}, weightsManifest: [], userDefinedMetadata: meta }),
      ).toThrow(ModelFormatError);
    }
    expect(() => readLayersModelMetadata('{')).toThrow(ModelFormatError);
  });
});
