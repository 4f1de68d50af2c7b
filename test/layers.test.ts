// The general form of Network.create (layer objects, Keras-like) beside the compact one: the same
// network in either form trains bit-identically, net.layers describes it in the general form, model
// files (version 2) store it, and bad layer lists are ValidationErrors that name the layer.
import { describe, expect, it } from 'vitest';
import { Network, trainInWorker, ValidationError, type LayerOptions, type NetworkOptions } from 'backprop-wasm';
import { LAYER_KINDS, LAYER_TYPES, parameterShapes } from '../dist/src/layers/index.js';
import { Rng } from './helpers.js';

const rng = new Rng(18);
const X = Float64Array.from({ length: 48 * 6 }, () => rng.next() * 2 - 1);
const Y = Float64Array.from({ length: 48 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

const GENERAL: LayerOptions[] = [
  { type: 'dense', units: 12, activation: 'gelu' },
  { type: 'dropout', rate: 0.2 },
  { type: 'dense', units: 7, activation: 'tanh' },
  { type: 'dense', units: 3, activation: 'softmax' },
];
const COMPACT: NetworkOptions = {
  layers: [6, 12, 7, 3],
  activation: ['gelu', 'tanh'],
  dropout: [0.2, 0],
  output: 'softmax',
};

describe.each(['wasm', 'js'] as const)('the general form (%s)', (backend) => {
  it.each(['float32', 'float64'] as const)(
    'trains bit-identically to the compact form of the same network (%s)',
    async (dtype) => {
      const common = { loss: 'crossEntropy', dtype, backend, seed: 11 } as const;
      const nets = [
        await Network.create({ inputShape: [6], layers: GENERAL, ...common }),
        await Network.create({ ...COMPACT, ...common }),
      ];
      const data = dtype === 'float32' ? [Float32Array.from(X), Float32Array.from(Y)] : [X, Y];
      const histories = nets.map((n) =>
        n.fit(data[0]!, data[1]!, { epochs: 5, batchSize: 8, optimizer: 'adam', learningRate: 0.01 }),
      );
      expect(histories[0]!.loss).toEqual(histories[1]!.loss);
      expect(nets[0]!.getWeights()).toEqual(nets[1]!.getWeights());
      expect(nets[0]!.layers).toEqual(nets[1]!.layers);
      expect(nets[0]!.toJSON()).toEqual(nets[1]!.toJSON());
    },
  );
});

describe('trainInWorker', () => {
  it('takes the general form, and trains as the calling thread does', async () => {
    const create: NetworkOptions = { inputShape: [6], layers: GENERAL, loss: 'crossEntropy', seed: 3 };
    const fit = { epochs: 3, batchSize: 8, optimizer: 'adam' } as const;
    const { network } = await trainInWorker({
      network: { create },
      x: Float32Array.from(X),
      y: Float32Array.from(Y),
      fit,
    }).result;
    const here = await Network.create(create);
    here.fit(Float32Array.from(X), Float32Array.from(Y), fit);
    expect(network.layers).toEqual(here.layers);
    expect(network.getWeights()).toEqual(here.getWeights());
  });
});

describe('net.layers and the model file', () => {
  it('net.layers is the general form with defaults stated; sizes, activations and dropout keep the compact view', async () => {
    const net = await Network.create({
      inputShape: [6],
      layers: [
        { type: 'dense', units: 4 },
        { type: 'dense', units: 2, activation: 'sigmoid' },
      ],
      seed: 1,
    });
    expect(net.layers).toEqual([
      { type: 'dense', units: 4, activation: 'linear' },
      { type: 'dense', units: 2, activation: 'sigmoid' },
    ]);
    expect(net.inputShape).toEqual([6]);
    expect(net.sizes).toEqual([6, 4, 2]);
    expect(net.activations).toEqual(['linear', 'sigmoid']);
    expect(net.dropout).toEqual([0]);
    expect(net.getWeights().map(({ W, b }) => [W.length, W[0]!.length, b.length])).toEqual([
      [6, 4, 4],
      [4, 2, 2],
    ]);
    expect(parameterShapes(net.inputShape, net.layers)).toEqual([
      { W: [6, 4], b: [4] },
      { W: [4, 2], b: [2] },
    ]);
  });

  it('files are version 2 with the general form; JSON and binary round trips keep it', async () => {
    const net = await Network.create({ inputShape: [6], layers: GENERAL, loss: 'crossEntropy', seed: 2 });
    net.fit(X, Y, { epochs: 2, optimizer: 'sgd' });
    const json = net.toJSON();
    expect(json.version).toBe(2);
    expect(json.inputShape).toEqual([6]);
    expect(json.layers).toEqual(GENERAL);
    expect(Object.keys(json)).not.toContain('activation');
    for (const back of [await Network.fromJSON(JSON.stringify(json)), await Network.fromBytes(net.toBytes())]) {
      expect(back.layers).toEqual(net.layers);
      expect(back.getWeights()).toEqual(net.getWeights());
    }
    expect(new DataView(net.toBytes().buffer).getUint32(4, true)).toBe(2);
  });
});

describe('bad layer lists are refused, naming the layer', () => {
  const base = { inputShape: [4] };
  const dense = (units: number, activation?: string) => ({
    type: 'dense',
    units,
    ...(activation ? { activation } : {}),
  });
  it.each([
    ['an unknown type', [{ type: 'conv9d' }, dense(2)], /layers\[0\]: type "conv9d" is not one of 'dense', 'dropout'/],
    [
      'an unknown option',
      [{ type: 'dense', units: 3, activaton: 'relu' }, dense(2)],
      /layers\[0\] \(dense\): unknown option 'activaton' \(valid: 'units', 'activation'\)/,
    ],
    ['units missing', [{ type: 'dense' }, dense(2)], /layers\[0\] \(dense\): 'units' is required/],
    [
      'units not a positive integer',
      [dense(2.5), dense(2)],
      /layers\[0\] \(dense\): units must be a positive integer; got 2\.5/,
    ],
    ['an unknown activation', [dense(3, 'selu'), dense(2)], /layers\[0\] \(dense\): activation "selu" is not one of/],
    [
      'a rate of 1',
      [dense(3), { type: 'dropout', rate: 1 }, dense(2)],
      /layers\[1\] \(dropout\): rate must be in \[0, 1\); got 1/,
    ],
    [
      'dropout of the inputs',
      [{ type: 'dropout', rate: 0.5 }, dense(2)],
      /layers\[0\] \(dropout\): dropout must follow a dense layer/,
    ],
    [
      'two dropouts in a row',
      [dense(3), { type: 'dropout', rate: 0.1 }, { type: 'dropout', rate: 0.1 }, dense(2)],
      /layers\[2\] \(dropout\): two dropout layers follow one another/,
    ],
    [
      'dropout last',
      [dense(3), { type: 'dropout', rate: 0.1 }],
      /layers\[1\]: the last layer must be dense \(the output\); got 'dropout'/,
    ],
    [
      'softmax on a hidden layer',
      [dense(3, 'softmax'), dense(2)],
      /'softmax' is allowed only as the output activation/,
    ],
    ['a layer that is not an object', [3, dense(2)], /layers\[0\] must be a layer object/],
  ])('%s', async (_, layers, message) => {
    const error = await Network.create({ ...base, layers } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('the compact options with layer objects, inputShape with sizes, and a bad inputShape', async () => {
    const refuse = async (options: unknown, message: RegExp) => {
      const error = await Network.create(options as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    };
    await refuse(
      { inputShape: [4], layers: [dense(2)], activation: 'relu' },
      /activation is an option of layers as sizes/,
    );
    await refuse({ inputShape: [4], layers: [dense(2)], dropout: 0.5 }, /dropout is an option of layers as sizes/);
    await refuse({ inputShape: [4], layers: [4, 2] }, /layers\[0\] must be a layer object/);
    await refuse({ layers: [4, 2], inputShape: undefined, output: 'linear', extra: 1 }, /unknown option 'extra'/);
    await refuse({ inputShape: [0], layers: [dense(2)] }, /inputShape must list positive integer sizes/);
    await refuse(
      { inputShape: [4, 4, 3], layers: [dense(2)] },
      /layers\[0\] \(dense\): a dense layer takes a flat input \[features\]; got the shape \[4, 4, 3\] \(put a flatten layer before it\)/,
    );
    await refuse(
      { inputShape: [4, 4], layers: [dense(2)] },
      /inputShape must be \[features\] or an image \[height, width, channels\]; got \[4, 4\]/,
    );
  });
});

describe('the layer kinds', () => {
  it('every kind declares its options, shapes, parameters and lowering (the list every consumer iterates)', () => {
    expect(LAYER_TYPES).toEqual(['dense', 'dropout', 'conv2d', 'maxPooling2d', 'averagePooling2d', 'flatten']);
    for (const type of LAYER_TYPES) {
      const kind = LAYER_KINDS[type];
      expect(kind.type).toBe(type);
      for (const f of [kind.check, kind.outputShape, kind.params, kind.lower]) expect(typeof f).toBe('function');
    }
    expect(LAYER_KINDS.dense.outputShape({ type: 'dense', units: 5, activation: 'relu' }, [3], 'x')).toEqual([5]);
    expect(LAYER_KINDS.dropout.outputShape({ type: 'dropout', rate: 0.5 }, [3], 'x')).toEqual([3]);
    expect(LAYER_KINDS.dropout.params({ type: 'dropout', rate: 0.5 }, [3])).toBeNull();
  });
});
