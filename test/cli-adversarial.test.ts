// The CLI given odd arguments and files: a flag given twice, /dev/stdin as the data (and as the
// output's twin), a folder as the data, a header only, one row, a truncated or tampered model file.
// Each is exit code 2 with a message saying what is wrong, or works as documented.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli } from './cli-run.js';

let dir: string;
const at = (name: string): string => join(dir, name);
const run = (...args: string[]) => cli(dir, args);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-odd-'));
  const lines = ['x,y'];
  for (let i = 0; i < 40; i++) lines.push(`${(i / 40).toFixed(3)},${((3 * i) / 40 + 1).toFixed(3)}`);
  writeFileSync(at('data.csv'), `${lines.join('\n')}\n`);
  const r = await run('train', 'data.csv', '--target', 'y', '--epochs', '2', '--quiet', '--out', 'model.json');
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('odd arguments and files', () => {
  it('a flag given twice is exit 2 (the last one used to win silently)', async () => {
    const r = await run('train', 'data.csv', '--target', 'y', '--out', 'a.json', '--out', 'b.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out is given twice: give it once');
    const json = await run('predict', 'model.json', 'data.csv', '--json', '--json');
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--json is given twice');
  });

  it('/dev/stdin as the data works; --out the file stdin reads from is refused', () => {
    const fd = openSync(at('data.csv'), 'r');
    try {
      const same = spawnSync(process.execPath, [BIN, 'train', '/dev/stdin', '--target', 'y', '--out', 'data.csv'], {
        cwd: dir,
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect(same.status).toBe(2);
      expect(same.stderr).toContain('--out data.csv is the input /dev/stdin (the same file)');
    } finally {
      closeSync(fd);
    }
    const piped = spawnSync(
      process.execPath,
      [BIN, 'train', '/dev/stdin', '--target', 'y', '--epochs', '1', '--quiet', '--out', 'piped.json'],
      { cwd: dir, input: readFileSync(at('data.csv')), encoding: 'utf8' },
    );
    expect(piped.status, piped.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('piped.json'), 'utf8')).features).toEqual(['x']);
  });

  it.each([
    ['a folder as the data', ['train', '.', '--target', 'y'], /cannot read \.: EISDIR/],
    ['a header only', ['train', 'header.csv', '--target', 'y'], /header\.csv has a header row but no data rows/],
    [
      'one row (the validation split leaves none to train on)',
      ['train', 'one.csv', '--target', 'y'],
      /--validation-split 0\.2 of 1 rows leaves no training rows/,
    ],
    ['a truncated model file', ['predict', 'truncated.json', 'data.csv'], /cannot read model truncated\.json: .*JSON/],
    [
      'a model whose target scaler has std 0 (mae NaN before)',
      ['evaluate', 'std0.json', 'data.csv'],
      /"targetScaler" needs one mean and a standard deviation greater than 0/,
    ],
    [
      'a model that lists a feature twice',
      ['predict', 'twice.json', 'data.csv'],
      /"features" must list the feature columns, each once/,
    ],
  ])('%s: exit 2', async (_, args, message) => {
    writeFileSync(at('header.csv'), 'x,y\n');
    writeFileSync(at('one.csv'), 'x,y\n1,2\n');
    const model = readFileSync(at('model.json'), 'utf8');
    writeFileSync(at('truncated.json'), model.slice(0, 200));
    const file = JSON.parse(model);
    writeFileSync(at('std0.json'), JSON.stringify({ ...file, targetScaler: { mean: [1], std: [0] } }));
    writeFileSync(at('twice.json'), JSON.stringify({ ...file, features: ['x', 'x'] }));
    const r = await run(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('unexpected');
  });
});
