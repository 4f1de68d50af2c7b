// CLI export of a column with a large offset (a timestamp): float32 cannot fold its scaling, so a
// float32 export is refused naming the column; a float64 model exports a double ONNX file that
// onnxruntime, fed the raw rows, runs to what `predict` says.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, rng } from './cli-run.js';
import { runOrt } from './interchange/ort.js';
import { expectAgree } from './interchange/helpers.js';

let dir = '';
const run = (...args: string[]) => cli(dir, args);

/** Rows of a timestamp (~1.7e9, spread ~50), a small x, and y = 2·(t - t0)/50 + x. */
function rows(n: number, seed: number): { csv: string; raw: number[][] } {
  const r = rng(seed),
    lines = ['t,x,y'],
    raw: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000 + Math.round(50 * r()),
      x = Number((r() - 0.5).toFixed(4));
    lines.push(`${t},${x},${((2 * (t - 1_700_000_025)) / 50 + x).toFixed(5)}`);
    raw.push([t, x]);
  }
  return { csv: `${lines.join('\n')}\n`, raw };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpw-cli-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('export: a feature with a large offset', () => {
  it('a float32 model is refused (exit 2, naming the column and --dtype float64); a float64 one exports a double file that agrees with predict', async () => {
    const train = rows(200, 3),
      test = rows(20, 4);
    await writeFile(join(dir, 'ts.csv'), train.csv);
    await writeFile(join(dir, 'ts-test.csv'), test.csv);
    for (const dtype of ['float32', 'float64']) {
      const t = await run(
        'train',
        'ts.csv',
        '--target',
        'y',
        '--out',
        `ts-${dtype}.json`,
        '--dtype',
        dtype,
        '--quiet',
        '--seed',
        '1',
      );
      expect(t.code, t.stderr).toBe(0);
    }
    for (const format of ['onnx', 'tfjs']) {
      const r = await run('export', 'ts-float32.json', '--format', format, '--out', `ts32.${format}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('column "t"');
      expect(r.stderr).toContain('--dtype float64');
      expect(r.stderr).toContain('centre the column');
    }
    // The float64 model's tfjs file is float32 too: refused the same way.
    expect((await run('export', 'ts-float64.json', '--format', 'tfjs', '--out', 'ts64-tfjs')).code).toBe(2);
    const r = await run('export', 'ts-float64.json', '--format', 'onnx', '--out', 'ts64.onnx');
    expect(r.code, r.stderr).toBe(0);
    const predicted = JSON.parse((await run('predict', 'ts-float64.json', 'ts-test.csv', '--json')).stdout) as {
      value: number;
    }[];
    const got = await runOrt(await readFile(join(dir, 'ts64.onnx')), Float64Array.from(test.raw.flat()), 2);
    expectAgree(
      Float64Array.from(predicted, (p) => p.value),
      got,
      1e-6,
      'float64 onnx',
    );
  });
});
