// `train --layers` and `--input-shape`: the compact grammar parsed to the library's layers, the older
// hidden sizes still meaning what they did, and every bad spec refused with exit 2 and a message
// naming the token (or the numbers) and what is allowed, before anything is written.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLayers } from '../dist/src/cli/layer-spec.js';
import { cli, rng, summary } from './cli-run.js';
import { images } from './cli-images.js';

let dir = '';
const run = (...args: string[]) => cli(dir, args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-layers-'));
  writeFileSync(join(dir, 'img.csv'), images(40, 3).csv);
  // The same images with the first pixel column as text.
  const [head, ...rows] = images(40, 3).csv.trim().split('\n');
  writeFileSync(
    join(dir, 'text.csv'),
    `${[head, ...rows.map((r, i) => r.replace(/^[0-9]+/, i % 2 ? 'dark' : 'light'))].join('\n')}\n`,
  );
  const r = rng(5),
    lines = ['a,b,c,label'];
  for (let i = 0; i < 120; i++) {
    const [a, b, c] = [r(), r(), r()];
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${a + b > 1 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(dir, 'table.csv'), `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the --layers grammar', () => {
  it.each([
    ['conv32x3', { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' }],
    [
      'conv32x5x3s2x1same',
      { type: 'conv2d', filters: 32, kernelSize: [5, 3], strides: [2, 1], padding: 'same', activation: 'relu' },
    ],
    ['conv8x3s2', { type: 'conv2d', filters: 8, kernelSize: 3, strides: 2, activation: 'relu' }],
    ['conv8x3valid', { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu' }],
    ['pool2', { type: 'maxPooling2d', poolSize: 2 }],
    ['pool3s1same', { type: 'maxPooling2d', poolSize: 3, strides: 1, padding: 'same' }],
    ['avgpool2x1', { type: 'averagePooling2d', poolSize: [2, 1] }],
    ['flatten', { type: 'flatten' }],
    ['dense128', { type: 'dense', units: 128, activation: 'relu' }],
    ['128', { type: 'dense', units: 128, activation: 'relu' }],
    [' Dense16 ', { type: 'dense', units: 16, activation: 'relu' }],
    ['dropout0.25', { type: 'dropout', rate: 0.25 }],
    ['dropout.5', { type: 'dropout', rate: 0.5 }],
    ['dropout0', { type: 'dropout', rate: 0 }],
    ['dropout1.', { type: 'dropout', rate: 1 }], // refused by the library's check (rate < 1), on its token
  ])('%s', (token, layer) => {
    // Options not written are left to the library's defaults (the descriptors').
    expect(parseLayers(token, 'relu').layers).toEqual([layer]);
  });

  it("the issue's example and an empty list", () => {
    expect(parseLayers('conv32x3,pool2,conv64x3,pool2,dense128', 'tanh').layers.map((l) => l.type)).toEqual([
      'conv2d',
      'maxPooling2d',
      'conv2d',
      'maxPooling2d',
      'dense',
    ]);
    expect(parseLayers(' ', 'relu').layers).toEqual([]);
  });
});

describe('tables: the older sizes and the general form', () => {
  it('--layers 16,8 and "dense16, DENSE8" and dense16,dropout0,dense8 (the general form) train the same network, bit for bit', async () => {
    const models: string[] = [];
    for (const [i, layers] of ['16,8', 'dense16, DENSE8', 'dense16,dropout0,dense8'].entries()) {
      const r = await run(
        'train',
        'table.csv',
        '--target',
        'label',
        '--layers',
        layers,
        '--epochs',
        '5',
        '--out',
        `same${i}.json`,
        '--quiet',
      );
      expect(r.code, r.stderr).toBe(0);
      models.push(JSON.stringify(JSON.parse(readFileSync(join(dir, `same${i}.json`), 'utf8')).model));
    }
    expect(models[1]).toBe(models[0]);
    expect(models[2]).toBe(models[0]);
  });

  it('a table takes dense and dropout layers without --input-shape', async () => {
    const r = await run(
      'train',
      'table.csv',
      '--target',
      'label',
      '--layers',
      'dense16,dropout0.2,dense8',
      '--epochs',
      '3',
      '--out',
      'mlp.json',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout).layers).toEqual([
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ]);
    expect(r.stderr).toContain('network 3 → dense16 → dropout0.2 → dense8 → 2: relu hidden, softmax output');
    expect((await run('predict', 'mlp.json', 'table.csv')).code).toBe(0);
  });
});

const IMG = ['train', 'img.csv', '--target', 'shape', '--epochs', '1', '--quiet', '--out', 'bad.json'];
const MANY = (n: number) => Array.from({ length: n }, () => 'dense8').join(',');

describe('refusals: exit 2, the token and what is allowed, nothing written', () => {
  it.each([
    [
      'an empty token',
      ['--input-shape', '8,8,1', '--layers', 'conv32x3,,dense8'],
      ['layer 2 is empty', 'conv32x3,pool2,dense128'],
    ],
    ['a trailing comma', ['--layers', 'dense8,'], ['layer 2 is empty']],
    [
      'an unknown token',
      ['--layers', 'dense8,relu'],
      ['"relu" (layer 2) is not a layer', 'conv<filters>x<kernel>', 'dropout<rate>'],
    ],
    ['an exponent', ['--layers', 'dense1e3'], ['"dense1e3" (layer 1) is not a layer']],
    [
      'other digits than ASCII',
      ['--input-shape', '8,8,1', '--layers', 'conv８x3'],
      ['"conv８x3" (layer 1) is not a layer'],
    ],
    [
      'a space inside a token',
      ['--input-shape', '8,8,1', '--layers', 'conv 8x3'],
      ['"conv 8x3" (layer 1) is not a layer'],
    ],
    [
      'zero filters',
      ['--input-shape', '8,8,1', '--layers', 'conv0x3'],
      ['--layers "conv0x3" (layer 1): filters must be a positive integer (at most 65536); got 0'],
    ],
    [
      'a zero kernel',
      ['--input-shape', '8,8,1', '--layers', 'conv32x0'],
      ['"conv32x0" (layer 1): kernelSize must be a positive integer'],
    ],
    [
      'a huge filter count',
      ['--input-shape', '8,8,1', '--layers', 'conv999999999x3'],
      ['"conv999999999x3" (layer 1): filters must be', 'got 999999999'],
    ],
    [
      'a zero stride',
      ['--input-shape', '8,8,1', '--layers', 'conv8x3s0'],
      ['"conv8x3s0" (layer 1): strides must be a positive integer'],
    ],
    [
      'a zero pool',
      ['--input-shape', '8,8,1', '--layers', 'pool0'],
      ['"pool0" (layer 1): poolSize must be a positive integer'],
    ],
    [
      'a kernel larger than the image',
      ['--input-shape', '8,8,1', '--layers', 'conv8x9'],
      ['"conv8x9" (layer 1): kernel 9×9 is larger than its 8×8 input with padding \'valid\''],
    ],
    [
      "a kernel larger than its layer's input",
      ['--input-shape', '8,8,1', '--layers', 'conv8x3,pool2,conv8x5'],
      ['"conv8x5" (layer 3): kernel 5×5 is larger than its 3×3 input'],
    ],
    ['a dropout rate of 1', ['--layers', 'dense8,dropout1'], ['"dropout1" (layer 2): rate must be in [0, 1); got 1']],
    [
      'dropout after a convolution',
      ['--input-shape', '8,8,1', '--layers', 'conv8x3,dropout0.5'],
      ['"dropout0.5" (layer 2): dropout must follow a dense layer'],
    ],
    [
      'two dropouts',
      ['--layers', 'dense8,dropout0.5,dropout0.5'],
      ['"dropout0.5" (layer 3): two dropout layers follow one another'],
    ],
    [
      'an image layer after a dense one',
      ['--input-shape', '8,8,1', '--layers', 'dense8,conv8x3'],
      [
        '"conv8x3" (layer 2) comes after --layers "dense8" (layer 1): image layers (conv, pool, avgpool, flatten) come first',
      ],
    ],
    [
      'two flattens',
      ['--input-shape', '8,8,1', '--layers', 'flatten,flatten'],
      ['"flatten" (layer 2): its input [64] is flat already'],
    ],
    [
      'an image layer without --input-shape',
      ['--layers', 'conv8x3,dense8'],
      ['"conv8x3" (layer 1) takes images: give --input-shape height,width,channels'],
    ],
    ['129 layers', ['--layers', MANY(129)], ['--layers lists 129 layers; at most 128']],
    ['10,000 layers', ['--layers', MANY(10000)], ['--layers lists 10000 layers; at most 128']],
    [
      'a long token',
      ['--layers', `dropout${'9'.repeat(100000)}x`],
      [`layer 1 ("dropout${'9'.repeat(13)}…") is 100008 characters long; a layer takes at most 64`],
    ],
    ['a dimension of 400 digits', ['--input-shape', `8,8,${'9'.repeat(400)}`], ['is more than 2^53 values per row']],
    ['a huge dense layer', ['--layers', 'dense999999999'], ['cannot build the network', 'more than the limit']],
    [
      'an --input-shape that is not the feature count',
      ['--input-shape', '28,28,1'],
      [
        '--input-shape 28,28,1 is 784 values per row (28×28×1), but img.csv has 64 feature columns',
        'p0_0, p0_1, p0_2, ..., p7_7',
      ],
    ],
    [
      'an --input-shape of four numbers',
      ['--input-shape', '8,8,1,1'],
      ['--input-shape must be height,width,channels (or height,width for one channel)', 'got "8,8,1,1"'],
    ],
    ['an --input-shape of one number', ['--input-shape', '64'], ['--input-shape must be height,width,channels']],
    ['a negative dimension', ['--input-shape', '8,-8,1'], ['"-8" is not a positive integer']],
    ['a fractional dimension', ['--input-shape', '8.0,8,1'], ['"8.0" is not a positive integer']],
    ['a zero dimension', ['--input-shape', '0,8,1'], ['"0" is not a positive integer']],
    [
      'a huge image',
      ['--input-shape', '99999,99999,99'],
      ['is 989,980,200,099 values per row, more than the 67,108,864 an image takes'],
    ],
  ])('%s', async (_, args, messages) => {
    const r = await run(...IMG, ...args);
    expect(r.code, r.stderr).toBe(2);
    for (const m of messages) expect(r.stderr).toContain(m);
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('a text column with --input-shape', async () => {
    const r = await run(
      'train',
      'text.csv',
      '--target',
      'shape',
      '--input-shape',
      '8,8,1',
      '--quiet',
      '--out',
      'bad.json',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'column "p0_0" holds text, but with --input-shape every feature column is a pixel and must be a number',
    );
    expect(r.stderr).toContain('--ignore');
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });
});
