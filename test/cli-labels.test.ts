// Labels and names the CLI must not misread: decimal commas (refused, not categories), numeric class
// labels written two ways (one class), the missing-value hint per command (evaluate has no
// --missing), and a predict --id named like an output column.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, rng } from './cli-run.js';

let dir: string;
const at = (name: string): string => join(dir, name);
const run = (...args: string[]) => cli(dir, args);

/** n rows of x and a label 1/2 decided by x; `one` is how label 1 is written on odd rows. */
function labelled(n: number, seed: number, one = '1'): string {
  const r = rng(seed),
    lines = ['x,label'];
  for (let i = 0; i < n; i++) {
    const k = i % 2,
      x = (k ? 1 : -1) + 0.2 * (r() - 0.5);
    lines.push(`${x.toFixed(4)},${k ? '2' : i % 4 === 0 ? '1' : one}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-labels-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decimal commas', () => {
  it('a ";" file whose feature or target uses decimal commas is refused (exit 2) naming the column, not read as categories', async () => {
    const r = rng(2),
      lines = ['dose;weight;y'];
    for (let i = 0; i < 40; i++)
      lines.push(
        `${(Math.floor(r() * 4) / 2).toFixed(1).replace('.', ',')};${(60 + 10 * r()).toFixed(1)};${i % 2 ? 'a' : 'b'}`,
      );
    writeFileSync(at('dose.csv'), `${lines.join('\n')}\n`);
    const f = await run('train', 'dose.csv', '--target', 'y', '--out', 'dose.json');
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('column "dose" holds numbers written with decimal commas (such as 0,5)');
    writeFileSync(
      at('dose-y.csv'),
      `${lines.map((l, i) => (i === 0 ? 'dose;weight;y' : `${i};${l.split(';')[1]};${(i / 4).toFixed(2).replace('.', ',')}`)).join('\n')}\n`,
    );
    const t = await run('train', 'dose-y.csv', '--target', 'y', '--out', 'dose.json');
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('column "y" holds numbers written with decimal commas');
  });
});

describe('numeric class labels', () => {
  it('1, 1.0 and 2 are two classes in train; evaluate reads 1.0 as class 1', async () => {
    writeFileSync(at('two-ways.csv'), labelled(80, 3, '1.0'));
    const t = await run('train', 'two-ways.csv', '--target', 'label', '--out', 'tw.json', '--quiet');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('tw.json'), 'utf8')).classes).toEqual(['1', '2']);
    writeFileSync(at('two-ways-test.csv'), 'x,label\n-1,1.0\n1,2\n-1,1\n');
    const e = await run('evaluate', 'tw.json', 'two-ways-test.csv', '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).confusionMatrix).toEqual([
      [2, 0],
      [0, 1],
    ]);
  });
});

describe('messages and names', () => {
  it("evaluate's empty target names no flag it lacks; predict refuses an --id named like an output column", async () => {
    writeFileSync(at('lab.csv'), labelled(80, 4));
    expect((await run('train', 'lab.csv', '--target', 'label', '--out', 'lab.json', '--quiet')).code).toBe(0);
    writeFileSync(at('lab-test.csv'), 'x,label,class,value\n-1,,a,b\n1,2,c,d\n');
    const e = await run('evaluate', 'lab.json', 'lab-test.csv');
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(
      'lab-test.csv:2: column "label" (the target) is empty (a missing value; the model was trained with --missing error, so evaluate cannot fill it): fill it in, or leave the row out',
    );
    expect(e.stderr).not.toContain('give --missing');
    for (const id of ['class', 'label']) {
      const p = await run('predict', 'lab.json', 'lab-test.csv', '--id', id, '--json');
      expect(p.code, id).toBe(2);
      expect(p.stderr).toContain(`--id "${id}" has the name of an output column`);
    }
    writeFileSync(at('lab-proba.csv'), 'x,probability_1\n-1,a\n');
    expect((await run('predict', 'lab.json', 'lab-proba.csv', '--id', 'probability_1', '--proba')).code).toBe(2);
    const ok = await run('predict', 'lab.json', 'lab-test.csv', '--id', 'value');
    expect(ok.code).toBe(2);
  });
});
