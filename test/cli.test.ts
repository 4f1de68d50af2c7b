// The backprop-wasm command run as a child process on small seeded CSV files: it learns classes and
// values to known held-out scores, evaluate and predict agree with the library, bad files and flags
// exit with 2 and say where, and a failed or interrupted run never leaves or replaces a model file.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { summary } from './cli-run.js';

const BIN = new URL('../bin/backprop-wasm.js', import.meta.url).pathname;
let dir: string;
const at = (name: string): string => join(dir, name);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
}

/** Three flower-like classes in three features, shuffled (so the validation split holds every class). */
function flowers(rows: number, seed: number): string {
  const r = rng(seed),
    names = ['setosa', 'versicolor', 'virginica, "tall"']; // a quoted class name with a comma
  const lines = ['sepal length,sepal width,petal length,species'];
  for (let i = 0; i < rows; i++) {
    const k = Math.floor(r() * 3);
    const f = [5 + k + 0.5 * gaussian(r), 3 - 0.4 * k + 0.4 * gaussian(r), 1.5 + 2 * k + 0.5 * gaussian(r)];
    lines.push(`${f.map((v) => v.toFixed(2)).join(',')},"${names[k]!.replace(/"/g, '""')}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** price = 100 + 30a - 20b + 10c² + noise (sd 1): a smooth function a small network fits. */
function prices(rows: number, seed: number): string {
  const r = rng(seed),
    lines = ['a,b,c,price'];
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [gaussian(r), gaussian(r), gaussian(r)];
    lines.push(
      `${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${(100 + 30 * a - 20 * b + 10 * c * c + gaussian(r)).toFixed(2)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The features of a CSV written by flowers/prices, scaled as the model file says, in float32. */
function scaledFeatures(csv: string, scaler: { mean: number[]; std: number[] }): Float32Array {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 3).map(Number));
  return Float32Array.from(rows.flatMap((row) => row.map((v, j) => (v - scaler.mean[j]!) / scaler.std[j]!)));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
  writeFileSync(at('flowers.csv'), flowers(300, 7));
  writeFileSync(at('flowers-test.csv'), flowers(200, 99));
  writeFileSync(at('prices.csv'), prices(500, 11));
  writeFileSync(at('prices-test.csv'), prices(200, 12));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backprop-wasm train / evaluate / predict', () => {
  it('learns classes from a text target; evaluate and predict agree with the library', async () => {
    const train = await cli(
      'train',
      'flowers.csv',
      '--target',
      'species',
      '--epochs',
      '60',
      '--patience',
      '0',
      '--seed',
      '3',
      '--out',
      'flowers.json',
      '--json',
    );
    expect(train.code, train.stderr).toBe(0);
    const report = summary(train.stdout);
    expect(report).toMatchObject({
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica, "tall"'],
      rows: { training: 240, validation: 60 },
      epochs: 60,
    });
    expect(report.history.val_accuracy).toHaveLength(60);
    expect(report.final.val_accuracy).toBeGreaterThanOrEqual(0.9);

    const evaluation = await cli('evaluate', 'flowers.json', 'flowers-test.csv', '--json');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const scores = JSON.parse(evaluation.stdout);
    expect(scores.rows).toBe(200);
    expect(scores.accuracy).toBeGreaterThanOrEqual(0.9);

    const file = JSON.parse(readFileSync(at('flowers.json'), 'utf8'));
    expect(file).toMatchObject({
      format: 'backprop-wasm-cli',
      version: 2,
      features: ['sepal length', 'sepal width', 'petal length'],
      target: 'species',
      task: 'classification',
    });
    const net = await Network.fromJSON(file.model);
    const csv = readFileSync(at('flowers-test.csv'), 'utf8');
    const x = scaledFeatures(csv, file.scaler);
    const labels = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(l.indexOf('"')).replace(/^"|"$/g, '').replace(/""/g, '"'));
    const y = Float32Array.from(labels.flatMap((l) => file.classes.map((c: string) => (c === l ? 1 : 0))));
    expect(scores.loss).toBeCloseTo(net.evaluate(x, y).loss, 6);
    expect(scores.accuracy).toBe(net.evaluate(x, y).accuracy);

    const predict = await cli('predict', 'flowers.json', 'flowers-test.csv');
    expect(predict.code, predict.stderr).toBe(0);
    const lines = predict.stdout.trim().split('\n');
    expect(lines[0]).toBe('species,probability');
    expect(lines).toHaveLength(201);
    const p = net.predict(x) as Float32Array;
    lines.slice(1).forEach((line, r) => {
      const row = Array.from(p.subarray(3 * r, 3 * r + 3)),
        best = row.indexOf(Math.max(...row));
      const name = file.classes[best] as string;
      expect(line).toBe(`${name.includes(',') ? `"${name.replace(/"/g, '""')}"` : name},${row[best]!.toFixed(6)}`);
    });
    net.dispose();
  });

  it('learns a numeric target as a value; RMSE on held-out rows, predict --json agrees with the library', async () => {
    const train = await cli(
      'train',
      'prices.csv',
      '--target',
      'price',
      '--layers',
      '32,16',
      '--epochs',
      '80',
      '--out',
      'prices.json',
      '--json',
      '--quiet',
    );
    expect(train.code, train.stderr).toBe(0);
    const report = summary(train.stdout);
    expect(report.task).toBe('regression');
    expect(report.final.val_rmse).toBeLessThan(6); // the target's standard deviation is about 40
    expect(train.stderr).toBe(''); // --quiet: no progress

    const evaluation = JSON.parse((await cli('evaluate', 'prices.json', 'prices-test.csv', '--json')).stdout);
    expect(evaluation.rmse).toBeLessThan(6);
    expect(evaluation.mae).toBeLessThan(evaluation.rmse);

    const file = JSON.parse(readFileSync(at('prices.json'), 'utf8'));
    const net = await Network.fromJSON(file.model);
    const csv = readFileSync(at('prices-test.csv'), 'utf8');
    const want = Array.from(
      net.predict(scaledFeatures(csv, file.scaler)) as Float32Array,
      (v) => v * file.targetScaler.std[0] + file.targetScaler.mean[0],
    );
    net.dispose();
    const got = JSON.parse((await cli('predict', 'prices.json', 'prices-test.csv', '--json')).stdout) as {
      value: number;
    }[];
    expect(got).toHaveLength(200);
    got.forEach((p, i) => expect(p.value).toBeCloseTo(want[i]!, 9));
  });

  it('prints progress lines (epoch, loss, samples/s, ETA) when stdout is not a terminal', async () => {
    const run = await cli('train', 'flowers.csv', '--target', 'species', '--epochs', '3', '--out', 'progress.json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^epoch 3\/3 {2}loss \d\.\d{4} {2}accuracy [\d.]+% {2}val_loss \d\.\d{4} {2}val_accuracy [\d.]+% {2}[\d,]+ samples\/s {2}ETA \S+$/m,
    );
    expect(run.stdout).toMatch(/^wrote progress\.json/m);
  });
});

describe('backprop-wasm: bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['wrong field count', 'a,b,y\n1,2,x\n3,4,y\n5,6\n', /short\.csv:4: 2 fields, but the header has 3/],
    ['non-numeric feature', 'a,b,y\n1,2,x\n3,oops,y\n', /short\.csv:3: column "b" is not a number: "oops"/],
    ['missing target', 'a,b,y\n1,2,x\n3,4,\n', /short\.csv:3: column "y" \(the target\) is empty/],
    ['empty feature after a multi-line quoted field', 'a,b,y\n1,2,"x\ny"\n,4,z\n', /short\.csv:4: column "a" is empty/],
    ['unclosed quote', 'a,b,y\n1,2,"x\n', /short\.csv:2: not valid CSV/],
  ];
  it.each(cases)('%s: exit code 2 naming the file, line and column', async (_, text, message) => {
    writeFileSync(at('short.csv'), text);
    const run = await cli('train', 'short.csv', '--target', 'y', '--out', 'never.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('an unknown column lists the available ones', async () => {
    const run = await cli('train', 'flowers.csv', '--target', 'colour');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'has no target column "colour"; its columns are: sepal length, sepal width, petal length, species',
    );
  });

  it('bad flags: exit code 2 and what to do', async () => {
    const unknown = await cli('train', 'flowers.csv', '--target', 'species', '--epoch', '3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --epoch: run "backprop-wasm train --help" for the options');
    const layers = await cli('train', 'flowers.csv', '--target', 'species', '--layers', '16,abc');
    expect(layers.code).toBe(2);
    expect(layers.stderr).toContain('"abc" (layer 2) is not a layer');
    const missing = await cli('evaluate', 'flowers.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing <data.csv>');
    const help = await cli('predict', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: backprop-wasm predict/);
  });

  it('a model file that is not one gives exit code 2', async () => {
    writeFileSync(at('library.json'), JSON.stringify({ format: 'backprop-wasm', layers: [2, 1] }));
    const run = await cli('predict', 'library.json', 'flowers.csv');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a backprop-wasm command-line model');
  });
});

describe('backprop-wasm: bad rows and model files for predict and evaluate', () => {
  beforeAll(async () => {
    const run = await cli('train', 'prices.csv', '--target', 'price', '--epochs', '1', '--out', 'tiny.json', '--quiet');
    expect(run.code, run.stderr).toBe(0);
  });

  it('a feature that scaling takes beyond the dtype (1e300 in float32): exit code 2 naming the file, line and column', async () => {
    writeFileSync(at('huge.csv'), 'a,b,c,price\n0.1,0.2,0.3,100\n0.1,1e300,0.3,100\n');
    for (const command of ['predict', 'evaluate']) {
      const run = await cli(command, 'tiny.json', 'huge.csv');
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/huge\.csv:3: column "b" has 1e300: .*beyond float32's range/);
      expect(run.stderr).not.toContain('unexpected');
    }
  });

  it('a model file whose scaler has a standard deviation of 0: exit code 2', async () => {
    const file = JSON.parse(readFileSync(at('tiny.json'), 'utf8'));
    file.scaler.std[1] = 0;
    writeFileSync(at('zero-std.json'), JSON.stringify(file));
    const run = await cli('predict', 'zero-std.json', 'prices-test.csv');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'zero-std.json is not a backprop-wasm command-line model: "scaler" standard deviations must be greater than 0',
    );
  });

  it('evaluate: a text value in a regression target is exit code 2 on its line, not "mae NaN"', async () => {
    writeFileSync(at('text-target.csv'), 'a,b,c,price\n0.1,0.2,0.3,100\n0.1,0.2,0.3,n/a\n');
    const run = await cli('evaluate', 'tiny.json', 'text-target.csv');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/text-target\.csv:3: column "price" \(the target\) is not a number: "n\/a"/);
    expect(run.stdout).toBe('');
  });
});

describe('backprop-wasm: model files are written atomically', () => {
  const existing = '{"an": "existing model"}\n';
  const listing = () => readdirSync(dir).sort();

  it('a run that fails on bad data or diverges leaves an existing model as it was, and no temporary file', async () => {
    writeFileSync(at('keep.json'), existing);
    writeFileSync(at('short.csv'), 'a,b,y\n1,2,x\n3,4\n');
    const before = listing();
    expect((await cli('train', 'short.csv', '--target', 'y', '--out', 'keep.json')).code).toBe(2);
    const diverged = await cli(
      'train',
      'prices.csv',
      '--target',
      'price',
      '--learning-rate',
      '1e9',
      '--optimizer',
      'sgd',
      '--out',
      'keep.json',
      '--quiet',
    );
    expect(diverged.code).toBe(1);
    expect(diverged.stderr).toMatch(
      /training diverged in epoch 1 of 500 \(batch \d+\): .*already standardized.*try a lower --learning-rate \(it was 1000000000\).*Nothing was written/,
    );
    expect(diverged.stderr).toContain('or --optimizer adam');
    // With adam already, the message does not suggest it.
    const adam = await cli(
      'train',
      'prices.csv',
      '--target',
      'price',
      '--learning-rate',
      '1e30',
      '--optimizer',
      'adam',
      '--out',
      'keep.json',
      '--quiet',
    );
    expect(adam.code, adam.stderr).toBe(1);
    expect(adam.stderr).toContain(
      'try a lower --learning-rate (it was 1e+30) or a larger --batch-size. Nothing was written',
    );
    expect(readFileSync(at('keep.json'), 'utf8')).toBe(existing);
    expect(listing()).toEqual(before);
  });

  it('a run interrupted by Ctrl-C (SIGINT) exits with 130 and writes nothing', async () => {
    const before = listing();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'train',
        'flowers.csv',
        '--target',
        'species',
        '--epochs',
        '50000',
        '--patience',
        '0',
        '--out',
        'interrupted.json',
      ],
      { cwd: dir },
    );
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^epoch /m.test(out) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(listing()).toEqual(before);
  });
});
