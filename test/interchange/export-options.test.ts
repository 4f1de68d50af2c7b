// Bad inputScale / outputScale / classNames are refused by toONNX, toLayersModel and saveLayersModel
// with a ValidationError naming the option and the index; a refused save writes no folder.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, Network, ValidationError } from 'backprop-wasm';
import { readONNXMetadata, toONNX } from 'backprop-wasm/onnx';
import { saveLayersModel, toLayersModel } from 'backprop-wasm/tfjs';
import { network } from './helpers.js';

const ok = { mean: [0, 1, 2, 3], std: [1, 2, 3, 4] };
let softmax: Network, linear: Network;
beforeAll(async () => {
  softmax = await network('float32', 'relu', 'softmax');
  linear = await network('float32', 'relu', 'linear');
});

/** [options, the message expected, the network] */
const BAD: [string, unknown, RegExp, () => Network][] = [
  [
    'mean too short',
    { inputScale: { mean: [0, 1, 2], std: ok.std } },
    /inputScale\.mean has 3 values; the network has 4 inputs/,
    () => softmax,
  ],
  [
    'std too long',
    { inputScale: { mean: ok.mean, std: [1, 2, 3, 4, 5] } },
    /inputScale\.std has 5 values; the network has 4 inputs/,
    () => softmax,
  ],
  [
    'std 0',
    { inputScale: { mean: ok.mean, std: [1, 2, 0, 4] } },
    /inputScale\.std\[2\] must be a finite number greater than 0; got 0/,
    () => softmax,
  ],
  [
    'std negative',
    { inputScale: { mean: ok.mean, std: [1, -2, 3, 4] } },
    /inputScale\.std\[1\] must be .* greater than 0; got -2/,
    () => softmax,
  ],
  ['std NaN', { inputScale: { mean: ok.mean, std: [NaN, 2, 3, 4] } }, /inputScale\.std\[0\] .* got NaN/, () => softmax],
  [
    'std Infinity',
    { inputScale: { mean: ok.mean, std: [1, 2, 3, Infinity] } },
    /inputScale\.std\[3\] .* got Infinity/,
    () => softmax,
  ],
  [
    'mean Infinity',
    { inputScale: { mean: [0, -Infinity, 2, 3], std: ok.std } },
    /inputScale\.mean\[1\] must be a finite number; got -Infinity/,
    () => softmax,
  ],
  [
    'mean a string',
    { inputScale: { mean: [0, 1, '2', 3], std: ok.std } },
    /inputScale\.mean\[2\] must be a finite number; got "2"/,
    () => softmax,
  ],
  [
    'mean a hole',
    { inputScale: { mean: [0, 1, , 3], std: ok.std } },
    /inputScale\.mean\[2\] must be a finite number; got undefined/,
    () => softmax,
  ],
  [
    'mean not a list',
    { inputScale: { mean: 0, std: ok.std } },
    /inputScale\.mean must be an array of 4 inputs; got 0/,
    () => softmax,
  ],
  ['std missing', { inputScale: { mean: ok.mean } }, /inputScale must be \{ mean, std \}/, () => softmax],
  ['inputScale not an object', { inputScale: [1, 2] }, /inputScale: options must be an object/, () => softmax],
  [
    'unknown key in inputScale',
    { inputScale: { ...ok, scale: 2 } },
    /inputScale: unknown option 'scale' \(valid: 'mean', 'std'\)/,
    () => softmax,
  ],
  ['unknown option', { inputScaler: ok }, /unknown option 'inputScaler'/, () => softmax],
  [
    'outputScale on softmax',
    { outputScale: { mean: [0, 0, 0], std: [1, 1, 1] } },
    /outputScale applies only to a linear \(regression\) output; this network's output is softmax/,
    () => softmax,
  ],
  [
    'outputScale length',
    { outputScale: { mean: [0], std: [1] } },
    /outputScale\.mean has 1 values; the network has 3 outputs/,
    () => linear,
  ],
  [
    'outputScale std 0',
    { outputScale: { mean: [0, 0, 0], std: [1, 0, 1] } },
    /outputScale\.std\[1\] must be a finite number greater than 0; got 0/,
    () => linear,
  ],
  [
    'classNames on a linear output',
    { classNames: ['a', 'b', 'c'] },
    /classNames applies only to a softmax or sigmoid \(classifier\) output; this network's output is linear/,
    () => linear,
  ],
  [
    'classNames length',
    { classNames: ['a', 'b'] },
    /classNames has 2 values; the network has 3 outputs/,
    () => softmax,
  ],
  ['classNames not strings', { classNames: ['a', 2, 'c'] }, /classNames\[1\] must be a string; got 2/, () => softmax],
  ['classNames repeated', { classNames: ['a', 'b', 'a'] }, /classNames\[2\] repeats the class name "a"/, () => softmax],
  ['classNames a string', { classNames: 'abc' }, /classNames must be an array of 3 outputs; got "abc"/, () => softmax],
];

describe.each([
  ['toONNX', (net: Network, o: unknown) => toONNX(net, o as never)],
  ['toLayersModel', (net: Network, o: unknown) => toLayersModel(net, o as never)],
] as const)('%s refuses bad export options', (name, write) => {
  it.each(BAD)('%s', (_, options, message, net) => {
    let error: unknown;
    try {
      write(net(), options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(new RegExp(`^${name}: `));
    expect((error as Error).message).toMatch(message);
  });
});

describe('inputScale on a network that starts with image layers', () => {
  it('is refused by both exports (a scale does not fold exactly into a padded convolution); outputScale and classNames still apply', async () => {
    const cnn = await Network.create({
      inputShape: [4, 4, 1],
      seed: 1,
      backend: 'js',
      loss: 'crossEntropy',
      layers: [
        { type: 'conv2d', filters: 2, kernelSize: 3, padding: 'same' },
        { type: 'flatten' },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
    });
    const inputScale = { mean: new Array(16).fill(0), std: new Array(16).fill(1) };
    expect(() => toONNX(cnn, { inputScale })).toThrow(ValidationError);
    expect(() => toONNX(cnn, { inputScale })).toThrow(/toONNX: inputScale folds into a first dense layer/);
    expect(() => toLayersModel(cnn, { inputScale })).toThrow(
      /toLayersModel: inputScale folds into a first dense layer/,
    );
    expect(readONNXMetadata(toONNX(cnn, { classNames: ['a', 'b'] })).classNames).toEqual(['a', 'b']);
    cnn.dispose();
  });
});

describe('saveLayersModel refuses bad export options', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bpw-opts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names itself, and writes nothing', async () => {
    const target = join(dir, 'model');
    await expect(
      saveLayersModel(softmax, target, { inputScale: { mean: ok.mean, std: [1, 2, 0, 4] } }),
    ).rejects.toThrow(/^saveLayersModel: inputScale\.std\[2\]/);
    await expect(saveLayersModel(softmax, target, { opset: 17 } as never)).rejects.toThrow(
      /^saveLayersModel: unknown option 'opset'/,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readONNXMetadata', () => {
  it('a classNames entry that is not a JSON array of strings is a ModelFormatError; bad input a ValidationError', () => {
    const bytes = toONNX(softmax, { classNames: ['a', 'b', 'c'] });
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('["a","b","c"]');
    for (const replacement of ['["a","b",3]', '{"a":"b","c"}', '["a","b","c"']) {
      const bad = bytes.slice();
      bad.set(new TextEncoder().encode(replacement.padEnd(13, ' ').slice(0, 13)), at);
      expect(() => readONNXMetadata(bad)).toThrow(ModelFormatError);
    }
    expect(() => readONNXMetadata(bytes.subarray(0, bytes.length - 3))).toThrow(ModelFormatError); // cut inside the entry
    expect(() => readONNXMetadata('model.onnx' as never)).toThrow(ValidationError);
  });
});
