// Image tables through the CLI: 8×8 images of four shapes over noise (test/cli-images.ts), one row
// per image. `train --input-shape 8,8 --layers conv8x3,pool2,dense32` learns them (the convolution
// finds the shapes wherever they sit, which a dense layer on the same pixels does not), scales every
// pixel by one factor (the largest pixel), and writes a model that evaluate, predict and export use:
// predict agrees with the library fed the pixels over that factor, and the exported ONNX and
// TensorFlow.js files, fed the raw pixels, agree with predict.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { readONNXMetadata } from 'backprop-wasm/onnx';
import { cli, summary } from './cli-run.js';
import { images, SHAPES } from './cli-images.js';
import { runOrt } from './interchange/ort.js';
import { loadTf, predictTf } from './interchange/tfjs-runtime.js';
import { expectAgree } from './interchange/helpers.js';

let dir = '',
  accuracy = NaN;
const run = (...args: string[]) => cli(dir, args);
const train = images(400, 7),
  test = images(200, 99);
const CLASSES = [...SHAPES].sort();
const TRAIN = ['train', 'train.csv', '--target', 'shape', '--input-shape', '8,8', '--epochs', '30', '--seed', '1'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpw-cli-images-'));
  await writeFile(join(dir, 'train.csv'), train.csv);
  await writeFile(join(dir, 'test.csv'), test.csv);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an image table through the CLI', () => {
  it('train learns the shapes (at least 93% of 200 held-out images, 96% when written; a dense layer on the same pixels at most 80%, 69.5%), with one pixel factor', async () => {
    const t = await run(...TRAIN, '--layers', 'conv8x3,pool2,dense32', '--out', 'cnn.json', '--json');
    expect(t.code, t.stderr).toBe(0);
    const s = summary(t.stdout);
    expect(s.inputShape).toEqual([8, 8, 1]); // 8,8 is one channel
    // The flatten is added before the first dense layer; the output comes from the target.
    expect(s.layers.map((l: { type: string }) => l.type)).toEqual([
      'conv2d',
      'maxPooling2d',
      'flatten',
      'dense',
      'dense',
    ]);
    expect(s.layers[0]).toMatchObject({ filters: 8, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' });
    expect(s.layers[4]).toMatchObject({ units: 4, activation: 'softmax' });
    expect(t.stderr).toContain('network 8×8×1 → conv8x3 → pool2 → flatten → dense32 → 4: relu hidden, softmax output');

    const file = JSON.parse(await readFile(join(dir, 'cnn.json'), 'utf8'));
    expect(file.features).toEqual(train.header);
    // One factor for every pixel: the largest pixel of the training rows (the validation rows' may be larger).
    const factor = file.scaler.std[0];
    expect(file.scaler.mean).toEqual(new Array(64).fill(0));
    expect(file.scaler.std).toEqual(new Array(64).fill(factor));
    expect(factor).toBeGreaterThanOrEqual(250);
    expect(factor).toBeLessThanOrEqual(Math.max(...train.pixels.flat()));

    const e = await run('evaluate', 'cnn.json', 'test.csv', '--json');
    expect(e.code, e.stderr).toBe(0);
    accuracy = JSON.parse(e.stdout).accuracy;
    expect(accuracy).toBeGreaterThanOrEqual(0.93);
    expect(JSON.parse(e.stdout).classes).toEqual(CLASSES);

    const mlp = await run(...TRAIN, '--layers', 'dense32', '--out', 'mlp.json', '--quiet');
    expect(mlp.code, mlp.stderr).toBe(0);
    expect(JSON.parse((await run('evaluate', 'mlp.json', 'test.csv', '--json')).stdout).accuracy).toBeLessThanOrEqual(
      0.8,
    );
  });

  it('predict: the library fed the pixels over the factor gives the same probabilities; the classes match evaluate', async () => {
    const p = await run('predict', 'cnn.json', 'test.csv', '--json', '--proba');
    expect(p.code, p.stderr).toBe(0);
    const rows = JSON.parse(p.stdout) as { class: string; probabilities: Record<string, number> }[];
    const file = JSON.parse(await readFile(join(dir, 'cnn.json'), 'utf8'));
    const net = await Network.fromJSON(file.model);
    const want = net.predict(Float32Array.from(test.pixels.flat(), (v) => v / file.scaler.std[0])) as Float32Array;
    net.dispose();
    expectAgree(Float64Array.from(rows.flatMap((r) => CLASSES.map((c) => r.probabilities[c]!))), want, 1e-6, 'predict');
    expect(rows.filter((r, i) => r.class === test.labels[i]).length).toBe(Math.round(accuracy * 200));
  });

  it('export: ONNX and TensorFlow.js files take the raw pixels (the factor folded into the convolution) and agree with predict', async () => {
    const onnx = await run('export', 'cnn.json', '--format', 'onnx', '--out', 'cnn.onnx');
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(onnx.stdout).toContain('8×8×1 images to 4 outputs');
    expect(onnx.stdout).toContain('64 pixel columns, p0_0 ... p7_7');
    expect(onnx.stdout).toContain('the file takes raw pixels');
    const tfjs = await run('export', 'cnn.json', '--format', 'tfjs', '--out', 'cnn-tfjs');
    expect(tfjs.code, tfjs.stderr).toBe(0);
    const rows = JSON.parse((await run('predict', 'cnn.json', 'test.csv', '--json', '--proba')).stdout) as {
      probabilities: Record<string, number>;
    }[];
    const want = Float64Array.from(rows.flatMap((r) => CLASSES.map((c) => r.probabilities[c]!)));
    const x = Float32Array.from(test.pixels.flat());
    const bytes = await readFile(join(dir, 'cnn.onnx'));
    expectAgree(want, await runOrt(bytes, x, 64), 1e-4, 'onnx');
    expect(readONNXMetadata(bytes).classNames).toEqual(CLASSES);
    const weights = await readFile(join(dir, 'cnn-tfjs', 'weights.bin'));
    const model = await loadTf(
      JSON.parse(await readFile(join(dir, 'cnn-tfjs', 'model.json'), 'utf8')),
      weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    );
    expectAgree(want, predictTf(model, x, 64), 1e-4, 'tfjs');
    model.dispose();
  });

  it('a regression on images: the factor and the target scale both fold into the export', async () => {
    // The target: how bright the image is (its mean pixel), a value.
    const lines = train.csv.trim().split('\n');
    const mean = (row: number[]) => row.reduce((a, b) => a + b, 0) / row.length;
    const csv = [
      lines[0]!.replace(/shape$/, 'brightness'),
      ...train.pixels.map((r) => [...r, mean(r).toFixed(3)].join(',')),
    ].join('\n');
    await writeFile(join(dir, 'bright.csv'), `${csv}\n`);
    const t = await run(
      'train',
      'bright.csv',
      '--target',
      'brightness',
      '--input-shape',
      '8,8,1',
      '--layers',
      'avgpool2,conv4x2same,flatten,dense8,dropout0.1',
      '--epochs',
      '20',
      '--quiet',
      '--out',
      'bright.json',
    );
    expect(t.code, t.stderr).toBe(0);
    const predicted = JSON.parse((await run('predict', 'bright.json', 'test.csv', '--json')).stdout) as {
      value: number;
    }[];
    const mae = predicted.reduce((a, p, i) => a + Math.abs(p.value - mean(test.pixels[i]!)), 0) / predicted.length;
    const spread = Math.max(...test.pixels.map(mean)) - Math.min(...test.pixels.map(mean));
    expect(mae).toBeLessThan(spread / 4);
    const e = await run('export', 'bright.json', '--format', 'onnx', '--out', 'bright.onnx');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain('output: "brightness" in its own units');
    const got = await runOrt(await readFile(join(dir, 'bright.onnx')), Float32Array.from(test.pixels.flat()), 64);
    expectAgree(
      Float64Array.from(predicted, (p) => p.value),
      got,
      1e-4,
      'onnx regression',
    );
  });
});
