// Self-contained CLI exports: a model the CLI trained (standardized features, a text column one-hot
// encoded, a standardized regression target) is exported with its scaling folded in, so onnxruntime
// and TensorFlow.js fed the file's raw rows (text columns as the one-hot inputs the export lists)
// predict what `backprop-wasm predict` does; the class names are in the files' metadata.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readONNXMetadata } from 'backprop-wasm/onnx';
import { readLayersModelMetadata } from 'backprop-wasm/tfjs';
import { cli } from '../cli-run.js';
import { runOrt } from './ort.js';
import { loadTf, predictTf } from './tfjs-runtime.js';
import { expectAgree } from './helpers.js';

let dir = '';
const run = (...args: string[]) => cli(dir, args);

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const COLORS = ['blue', 'green', 'red'];
/** Rows of size (around 50), weight (around 2000), a colour and the class or value they decide. */
function table(n: number, seed: number, regression: boolean): { csv: string; raw: number[][] } {
  const r = rng(seed),
    lines = ['size,weight,colour,label'],
    raw: number[][] = [];
  for (let i = 0; i < n; i++) {
    const size = 50 + 20 * (r() - 0.5),
      weight = 2000 + 800 * (r() - 0.5),
      c = Math.floor(r() * 3);
    const score = (size - 50) / 10 + (weight - 2000) / 400 + (c - 1);
    const label = regression
      ? (100 + 30 * score).toFixed(3)
      : score > 0.6
        ? 'large'
        : score < -0.6
          ? 'small'
          : 'medium';
    lines.push(`${size.toFixed(3)},${weight.toFixed(2)},${COLORS[c]},${label}`);
    raw.push([Number(size.toFixed(3)), Number(weight.toFixed(2)), ...COLORS.map((_, k) => (k === c ? 1 : 0))]);
  }
  return { csv: `${lines.join('\n')}\n`, raw };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpw-cli-raw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['classification', false],
  ['regression', true],
] as const)('%s: exported files take raw rows', (_, regression) => {
  it('onnxruntime and TensorFlow.js on the raw rows agree with predict; the export lists the inputs', async () => {
    const name = regression ? 'reg' : 'cls';
    const train = table(300, regression ? 5 : 6, regression),
      test = table(40, 9, regression);
    await writeFile(join(dir, `${name}.csv`), train.csv);
    await writeFile(join(dir, `${name}-test.csv`), test.csv);
    const t = await run('train', `${name}.csv`, '--target', 'label', '--out', `${name}.json`, '--quiet');
    expect(t.code, t.stderr).toBe(0);
    const onnx = await run('export', `${name}.json`, '--format', 'onnx', '--out', `${name}.onnx`);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(onnx.stdout).toContain('inputs, in order: size, weight, colour=blue, colour=green, colour=red');
    expect(onnx.stdout).toContain('text columns one-hot encoded');
    const tfjs = await run('export', `${name}.json`, '--format', 'tfjs', '--out', `${name}-tfjs`);
    expect(tfjs.code, tfjs.stderr).toBe(0);

    const predicted = JSON.parse(
      (await run('predict', `${name}.json`, `${name}-test.csv`, '--json', ...(regression ? [] : ['--proba']))).stdout,
    ) as ({ value: number } | { probabilities: Record<string, number> })[];
    const classes = ['large', 'medium', 'small'];
    const want = Float64Array.from(
      predicted.flatMap((p) => ('value' in p ? [p.value] : classes.map((c) => p.probabilities[c]!))),
    );
    const x = Float32Array.from(test.raw.flat());
    const bytes = await readFile(join(dir, `${name}.onnx`));
    // float32 files: the folded first layer multiplies raw weights (~2000) by W/std, so compare relatively.
    expectAgree(want, await runOrt(bytes, x, 5), 2e-4, `${name} onnx`);
    const weights = await readFile(join(dir, `${name}-tfjs`, 'weights.bin'));
    const model = await loadTf(
      JSON.parse(await readFile(join(dir, `${name}-tfjs`, 'model.json'), 'utf8')),
      weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    );
    expectAgree(want, predictTf(model, x, 5), 2e-4, `${name} tfjs`);
    model.dispose();
    if (!regression) {
      expect(readONNXMetadata(bytes).classNames).toEqual(classes);
      expect(
        readLayersModelMetadata(JSON.parse(await readFile(join(dir, `${name}-tfjs`, 'model.json'), 'utf8'))).classNames,
      ).toEqual(classes);
      expect(onnx.stdout).toContain('outputs: the probabilities of large, medium, small');
    } else {
      expect(onnx.stdout).toContain('output: "label" in its own units');
    }
  });
});
