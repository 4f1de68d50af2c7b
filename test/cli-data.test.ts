// The CLI on hard data: values near ±1e200 and near 1e-13 (standardization must not overflow, and
// must not call a tiny-scale column constant), a numeric target with one NA or 1e309 (a data error,
// not a switch to classes), line numbers in CRLF files with multi-line quoted fields.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, summary, rng } from './cli-run.js';

let dir: string;
const at = (name: string): string => join(dir, name);
const run = (...args: string[]) => cli(dir, args);

/** Rows of two features (each times `unit`, formatted to 6 significant digits) and a target. */
function rows(n: number, seed: number, unit: number, target: (a: number, b: number) => string): string {
  const r = rng(seed),
    lines = ['a,b,y'];
  for (let i = 0; i < n; i++) {
    const a = r() - 0.5,
      b = r() - 0.5;
    lines.push(`${(a * unit).toPrecision(6)},${(b * unit).toPrecision(6)},${target(a, b)}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standardization', () => {
  it('features near ±1e200 and a target near 1e200: train writes a model its own evaluate and predict use, as at unit scale', async () => {
    // The same rows at scale 1 and 1e200: standardization makes them the same problem, so the scores agree.
    writeFileSync(
      at('huge.csv'),
      rows(300, 5, 2e200, (a, b) => `${(3 * a - 2 * b + 1).toPrecision(8)}e200`),
    );
    writeFileSync(
      at('unit.csv'),
      rows(300, 5, 2, (a, b) => (3 * a - 2 * b + 1).toPrecision(8)),
    );
    const scores = async (name: string) => {
      const train = await run(
        'train',
        `${name}.csv`,
        '--target',
        'y',
        '--epochs',
        '40',
        '--out',
        `${name}.json`,
        '--quiet',
        '--json',
      );
      expect(train.code, train.stderr).toBe(0);
      const evaluation = await run('evaluate', `${name}.json`, `${name}.csv`, '--json');
      expect(evaluation.code, evaluation.stderr).toBe(0);
      const predict = await run('predict', `${name}.json`, `${name}.csv`, '--json');
      expect(predict.code, predict.stderr).toBe(0);
      return {
        file: JSON.parse(readFileSync(at(`${name}.json`), 'utf8')),
        ...JSON.parse(evaluation.stdout),
        values: (JSON.parse(predict.stdout) as { value: number }[]).map((p) => p.value),
      };
    };
    const huge = await scores('huge'),
      unit = await scores('unit');
    for (const v of [...huge.file.scaler.std, ...huge.file.scaler.mean, ...huge.file.targetScaler.std])
      expect(Number.isFinite(v)).toBe(true);
    expect(huge.file.scaler.std[0] / 1e200).toBeCloseTo(unit.file.scaler.std[0], 12);
    expect(unit.rmse).toBeGreaterThan(0.01);
    expect(huge.rmse / 1e200).toBeCloseTo(unit.rmse, 6);
    expect(huge.mae / 1e200).toBeCloseTo(unit.mae, 6);
    expect(huge.values).toHaveLength(300);
    huge.values.forEach((v: number, i: number) => expect(v / 1e200).toBeCloseTo(unit.values[i]!, 5));
  });

  it("a validation row that the training rows' scaling takes beyond float32: exit 2 naming its line and column", async () => {
    const csv = rows(50, 6, 1, (a) => (a > 0 ? 'p' : 'n')).replace(/\n$/, '\n1e300,0.1,p\n');
    writeFileSync(at('outlier.csv'), csv);
    const r = await run('train', 'outlier.csv', '--target', 'y', '--split-order', 'file', '--out', 'outlier.json');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/outlier\.csv:52: column "a" has 1e300: .*beyond float32's range/);
    expect(r.stdout).toBe('');
  });

  it('features around 1e-13 are not constant: the same accuracy as the same data times 1e13', async () => {
    const label = (a: number, b: number): string => (a - b > 0 ? 'yes' : 'no');
    writeFileSync(at('tiny.csv'), rows(400, 9, 1e-13, label));
    writeFileSync(at('unit.csv'), rows(400, 9, 1, label));
    const accuracy = async (file: string): Promise<number> => {
      const r = await run(
        'train',
        file,
        '--target',
        'y',
        '--epochs',
        '30',
        '--seed',
        '2',
        '--out',
        `${file}.json`,
        '--quiet',
        '--json',
      );
      expect(r.code, r.stderr).toBe(0);
      return summary(r.stdout).final.val_accuracy;
    };
    const [tiny, unit] = [await accuracy('tiny.csv'), await accuracy('unit.csv')];
    expect(unit).toBeGreaterThanOrEqual(0.95);
    expect(tiny).toBe(unit);
  });

  it('a column that is constant up to rounding (0.3 and 0.1 + 0.2) gets std = its magnitude, so it scales to ~0', async () => {
    const csv = rows(40, 3, 1, (a) => (a > 0 ? 'p' : 'n'))
      .split('\n')
      .map((l, i) => (i === 0 ? `${l},c` : l && `${l},${i % 2 ? 0.3 : 0.1 + 0.2}`))
      .join('\n');
    writeFileSync(at('flat.csv'), csv);
    const r = await run('train', 'flat.csv', '--target', 'y', '--epochs', '1', '--out', 'flat.json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(readFileSync(at('flat.json'), 'utf8'));
    expect(file.features).toEqual(['a', 'b', 'c']);
    expect(file.scaler.std[2]).toBe(0.30000000000000004);
  });
});

describe('the target column', () => {
  const numeric = rows(30, 4, 1, (a, b) => (a + b).toFixed(3));
  it.each([
    ['NA', 'not a number'],
    ['NaN', 'not a number'],
    ['1e309', 'not a finite number'],
    ['-Infinity', 'not a finite number'],
    ['oops', 'not a number'],
  ])('a numeric target with one %s: exit 2 naming the line and the value', async (bad, what) => {
    const lines = numeric.split('\n');
    lines[7] = lines[7]!.replace(/[^,]*$/, bad);
    writeFileSync(at('na.csv'), lines.join('\n'));
    const r = await run('train', 'na.csv', '--target', 'y', '--out', 'na.json');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`na.csv:8: column "y" (the target) holds numbers, but "${bad}" here is ${what}`);
    expect(r.stdout).toBe('');
  });

  it('--loss mse names the line too; a column of words stays classes', async () => {
    writeFileSync(at('na.csv'), numeric.replace(/\n([^\n]*),[^,\n]*\n$/, '\n$1,NA\n'));
    const mse = await run('train', 'na.csv', '--target', 'y', '--loss', 'mse', '--out', 'na.json');
    expect(mse.code).toBe(2);
    expect(mse.stderr).toContain(
      'na.csv:31: a regression (--task regression, or --loss mse) needs a numeric target, but column "y" has "NA"',
    );
    writeFileSync(
      at('words.csv'),
      rows(40, 8, 1, (a) => (a > 0 ? 'high' : a > -0.25 ? '1' : 'NA')),
    );
    const words = await run(
      'train',
      'words.csv',
      '--target',
      'y',
      '--epochs',
      '1',
      '--out',
      'words.json',
      '--quiet',
      '--json',
    );
    expect(words.code, words.stderr).toBe(0);
    expect(summary(words.stdout).classes).toEqual(['1', 'NA', 'high']);
  });
});

describe('line numbers', () => {
  it('a CRLF file with multi-line quoted fields: errors name the line an editor shows', async () => {
    writeFileSync(at('crlf.csv'), 'a,b,y\r\n1,2,"x\r\ny"\r\n3,4,"p\r\nq"\r\n\r\n5,6,z\r\n,4,z\r\n');
    const r = await run('train', 'crlf.csv', '--target', 'y', '--out', 'never.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('crlf.csv:8: column "a" is empty');
  });

  it('a CSV syntax error after a multi-line quoted field in a CRLF file: the line its record starts on', async () => {
    writeFileSync(at('crlf.csv'), 'a,b,y\r\n1,2,"x\r\ny"\r\n\r\n3,4,"p"q\r\n');
    const r = await run('train', 'crlf.csv', '--target', 'y', '--out', 'never.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crlf\.csv:5: not valid CSV: Invalid Closing Quote: got "q" instead of delimiter/);
  });
});
