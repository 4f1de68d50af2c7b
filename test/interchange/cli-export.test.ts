// backprop-wasm export: the CLI writes a model file's network as ONNX (onnxruntime runs it as we
// predict) or as a TensorFlow.js layers folder (read back identically); bad flags exit with 2.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { loadLayersModel } from 'backprop-wasm/tfjs';
import { runOrt } from './ort.js';
import { expectAgree, inputs } from './helpers.js';

const BIN = new URL('../../bin/backprop-wasm.js', import.meta.url).pathname;
const cli = (args: string[], cwd: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

let dir = '';
let net: Network;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpw-export-'));
  net = await Network.create({
    layers: [4, 6, 3],
    activation: 'tanh',
    output: 'softmax',
    loss: 'crossEntropy',
    seed: 11,
  });
  net.fit(
    inputs('float32', 20, 4, 3),
    Float32Array.from({ length: 60 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
    { epochs: 3 },
  );
  await writeFile(join(dir, 'model.json'), JSON.stringify(net.toJSON()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backprop-wasm export', () => {
  it('--format onnx writes a file onnxruntime runs as we predict', async () => {
    const r = await cli(['export', 'model.json', '--format', 'onnx', '--out', 'net.onnx'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote net\.onnx \(onnx, 4-6-3\)/);
    const x = inputs('float32', 7, 4, 5);
    expectAgree(
      net.predict(x) as Float32Array,
      await runOrt(await readFile(join(dir, 'net.onnx')), x, 4),
      2e-6,
      'cli onnx',
    );
  });

  it('--format tfjs writes a folder that reads back as the same network', async () => {
    const r = await cli(['export', 'model.json', '--format', 'tfjs', '--out', 'tfjs-model'], dir);
    expect(r.code, r.stderr).toBe(0);
    const back = await loadLayersModel(join(dir, 'tfjs-model'));
    expect(back.getWeights()).toEqual(net.getWeights());
  });

  it('bad flags and files exit with 2 and say what to do; no file is left behind', async () => {
    for (const [args, message] of [
      [['export', 'model.json', '--out', 'x.onnx'], /--format must be onnx or tfjs; got nothing/],
      [['export', 'model.json', '--format', 'keras', '--out', 'x'], /--format must be onnx or tfjs; got "keras"/],
      [['export', 'model.json', '--format', 'onnx'], /--out <path> is required/],
      [['export', 'missing.json', '--format', 'onnx', '--out', 'x.onnx'], /missing\.json: cannot read a model file/],
      [['export', 'model.json', '--format', 'onnx', '--out', 'x.onnx', '--opset', '9'], /opset/],
    ] as const) {
      const r = await cli([...args], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    await expect(readFile(join(dir, 'x.onnx'))).rejects.toThrow();
  });
});
