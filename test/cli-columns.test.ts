// The command line a data scientist expects (issue 17), on generated tables: the task from the data
// (integer labels are classes), columns (--features, --ignore, --delimiter, text features), missing
// values, sorted files (a stratified shuffled split, early stopping), predict --proba and --id,
// train --json as JSON Lines, messages in CLI terms.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, summary, rng } from './cli-run.js';

let dir: string;
const at = (name: string): string => join(dir, name);
const run = (...args: string[]) => cli(dir, args);

/** n rows: id, a, b, and a class 0/1/2 (or `names`) decided by a + b; `sorted` orders rows by class. */
function blobs(n: number, seed: number, { sep = ',', names = ['0', '1', '2'], sorted = false } = {}): string {
  const r = rng(seed),
    rows: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3,
      a = k + 0.3 * (r() - 0.5),
      b = -k + 0.3 * (r() - 0.5);
    rows.push([k, [1000 + i, a.toFixed(4), b.toFixed(4), names[k]].join(sep)]);
  }
  if (sorted) rows.sort((p, q) => p[0] - q[0]);
  return `${['id', 'a', 'b', 'label'].join(sep)}\n${rows.map(([, l]) => l).join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-columns-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the task from the data', () => {
  it('integer labels 0/1/2 are classes: the decision and how to override it are printed; --task regression overrides', async () => {
    writeFileSync(at('ints.csv'), blobs(150, 1));
    const r = await run('train', 'ints.csv', '--target', 'label', '--ignore', 'id', '--out', 'ints.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'task: classification, 3 classes of "label" (0, 1, 2): its 3 distinct values are all integers (at most 20); give --task regression to predict a number',
    );
    expect(r.stdout).toMatch(/^val_loss .* val_accuracy 100\.00%$|val_accuracy 100\.00%/m);
    const evaluation = JSON.parse((await run('evaluate', 'ints.json', 'ints.csv', '--json')).stdout);
    expect(evaluation.accuracy).toBe(1);
    expect(evaluation.mae).toBeUndefined();
    const reg = await run(
      'train',
      'ints.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--task',
      'regression',
      '--out',
      'ints-reg.json',
      '--quiet',
      '--json',
    );
    expect(reg.code, reg.stderr).toBe(0);
    expect(summary(reg.stdout).task).toBe('regression');
    // The old flag still works, and contradicting flags are refused.
    expect(
      summary(
        (await run('train', 'ints.csv', '--target', 'label', '--loss', 'mse', '--out', 'l.json', '--quiet', '--json'))
          .stdout,
      ).task,
    ).toBe('regression');
    const both = await run(
      'train',
      'ints.csv',
      '--target',
      'label',
      '--loss',
      'mse',
      '--task',
      'classification',
      '--out',
      'l.json',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--loss mse means --task regression, but --task classification is given');
  });

  it('integers with more than max(20, sqrt(rows)) distinct values, or fractions, are a value', async () => {
    const r = rng(3),
      lines = ['x,y,z'];
    for (let i = 0; i < 100; i++) {
      const x = r();
      lines.push(`${x},${Math.round(100 * x)},${(10 * x).toFixed(2)}`);
    }
    writeFileSync(at('many.csv'), `${lines.join('\n')}\n`);
    const y = await run('train', 'many.csv', '--target', 'y', '--ignore', 'z', '--epochs', '2', '--out', 'm.json');
    expect(y.stdout).toMatch(
      /task: regression, "y" as a value: it has \d+ distinct values \(more than 20 makes a number, not classes\); give --task classification/,
    );
    const z = await run('train', 'many.csv', '--target', 'z', '--ignore', 'y', '--epochs', '2', '--out', 'm.json');
    expect(z.stdout).toContain('task: regression, "z" as a value');
  });
});

describe('columns and values', () => {
  it('--features and --ignore take names or 1-based column numbers; an unknown one lists the columns', async () => {
    writeFileSync(at('cols.csv'), blobs(60, 2));
    for (const flags of [
      ['--ignore', 'id'],
      ['--ignore', '1'],
      ['--features', 'a,b'],
      ['--features', '2,3'],
    ]) {
      const r = await run(
        'train',
        'cols.csv',
        '--target',
        'label',
        ...flags,
        '--epochs',
        '1',
        '--out',
        'c.json',
        '--quiet',
        '--json',
      );
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r.stdout).features).toEqual(['a', 'b']);
    }
    const bad = await run('train', 'cols.csv', '--target', 'label', '--features', 'a,weight', '--out', 'c.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--features: cols.csv has no column "weight" (give names, or column numbers from 1 to 4); its columns are: id, a, b, label',
    );
    const id = await run('train', 'cols.csv', '--target', 'label', '--epochs', '1', '--out', 'c.json', '--quiet');
    expect(id.stderr).toContain(
      'warning: column "id" looks like a row ID (distinct consecutive integers) but is a feature: leave it out with --ignore "id"',
    );
  });

  it('a ";" file and a tab file are read by detection; --delimiter "," on a ";" file says which to give', async () => {
    writeFileSync(at('semi.csv'), blobs(60, 4, { sep: ';' }));
    writeFileSync(at('tab.tsv'), blobs(60, 4, { sep: '\t' }));
    for (const f of ['semi.csv', 'tab.tsv']) {
      const r = await run(
        'train',
        f,
        '--target',
        'label',
        '--ignore',
        'id',
        '--epochs',
        '1',
        '--out',
        's.json',
        '--quiet',
        '--json',
      );
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r.stdout).features).toEqual(['a', 'b']);
      expect(JSON.parse((await run('predict', 's.json', f, '--json')).stdout)).toHaveLength(60);
    }
    const wrong = await run('train', 'semi.csv', '--target', 'label', '--delimiter', ',', '--out', 's.json');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'semi.csv:1: the header is one column named "id;a;b;label": is the delimiter ";"? give --delimiter ";"',
    );
  });

  it('missing values: an error naming the line and the choices by default; drop leaves rows out; mean fills (in predict too)', async () => {
    const csv = blobs(90, 5)
      .replace(/\n(1003),([^,]*),/, '\n$1,,')
      .replace(/\n(1010,[^,]*),([^,]*),/, '\n$1,,');
    writeFileSync(at('holes.csv'), csv);
    const err = await run('train', 'holes.csv', '--target', 'label', '--ignore', 'id', '--out', 'h.json');
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(
      'holes.csv:5: column "a" is empty (a missing value): fill it in, or give --missing drop (leave such rows out) or --missing mean',
    );
    const drop = await run(
      'train',
      'holes.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--missing',
      'drop',
      '--out',
      'h.json',
      '--json',
      '--quiet',
    );
    expect(drop.code, drop.stderr).toBe(0);
    expect(summary(drop.stdout).rows).toEqual({ training: 70, validation: 18, dropped: 2 });
    const mean = await run(
      'train',
      'holes.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--missing',
      'mean',
      '--out',
      'hm.json',
      '--json',
      '--quiet',
    );
    expect(mean.code, mean.stderr).toBe(0);
    const file = JSON.parse(readFileSync(at('hm.json'), 'utf8'));
    expect(file.missing).toBe('mean');
    // The fill is the mean of the training rows' values: a is about 0, 1 or 2 by class, so about 1.
    expect(file.fill.a).toBeGreaterThan(0.8);
    expect(file.fill.a).toBeLessThan(1.2);
    writeFileSync(at('new.csv'), 'a,b\n,-1\n2.0,-2\n');
    const p = JSON.parse((await run('predict', 'hm.json', 'new.csv', '--json')).stdout);
    expect(p.map((q: { class: string }) => q.class)).toEqual(['1', '2']);
    const strict = await run('predict', 'h.json', 'new.csv');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      'new.csv:2: column "a" is empty (a missing value; the model was trained with --missing drop, so predict cannot fill it): fill it in, or leave the row out',
    );
  });

  it("--missing mean with columns named __proto__ and constructor: their means are the model file's own keys and fill in predict", async () => {
    writeFileSync(
      at('proto.csv'),
      '__proto__,constructor,y\n1,2,a\n,3,b\n2,,a\n3,1,b\n4,2,a\n5,3,b\n1,1,a\n2,2,b\n3,3,a\n4,4,b\n',
    );
    const t = await run(
      'train',
      'proto.csv',
      '--target',
      'y',
      '--missing',
      'mean',
      '--validation-split',
      '0',
      '--epochs',
      '2',
      '--out',
      'proto.json',
      '--quiet',
    );
    expect(t.code, t.stderr).toBe(0);
    const fill = JSON.parse(readFileSync(at('proto.json'), 'utf8')).fill;
    expect(Object.keys(fill)).toEqual(['__proto__', 'constructor']);
    // biome-ignore lint/suspicious/noProto: a column named __proto__ must be stored as data, not as the prototype
    expect(fill.__proto__).toBeCloseTo(25 / 9, 12);
    writeFileSync(at('proto-new.csv'), '__proto__,constructor\n,\n');
    const p = await run('predict', 'proto.json', 'proto-new.csv', '--json');
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toHaveLength(1);
  });

  it('a text feature is one-hot encoded, its categories stored; an unseen category in predict names the line and column', async () => {
    const r = rng(6),
      lines = ['size,colour,kind'];
    for (let i = 0; i < 120; i++) {
      const c = ['red', 'green', 'blue'][i % 3]!,
        s = r();
      lines.push(`${s.toFixed(3)},${c},${c === 'red' || (c === 'green' && s > 0.5) ? 'hot' : 'cold'}`);
    }
    writeFileSync(at('text.csv'), `${lines.join('\n')}\n`);
    const t = await run('train', 'text.csv', '--target', 'kind', '--out', 't.json');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('2 features ("colour" text, 3 categories: 4 inputs)');
    const file = JSON.parse(readFileSync(at('t.json'), 'utf8'));
    expect(file.encoding).toEqual([{ column: 'size' }, { column: 'colour', categories: ['blue', 'green', 'red'] }]);
    expect(JSON.parse((await run('evaluate', 't.json', 'text.csv', '--json')).stdout).accuracy).toBeGreaterThan(0.95);
    writeFileSync(at('unseen.csv'), 'size,colour\n0.2,red\n0.3,purple\n');
    const p = await run('predict', 't.json', 'unseen.csv');
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(
      'unseen.csv:3: column "colour" has "purple", which is not one of its categories in training (blue, green, red)',
    );
  });

  it('a text column with a value per row (an ID or free text) is refused with --ignore as the way out', async () => {
    writeFileSync(
      at('names.csv'),
      `name,a,y\n${Array.from({ length: 40 }, (_, i) => `n${i},${i % 7},${i % 2 ? 'p' : 'q'}`).join('\n')}\n`,
    );
    const r = await run('train', 'names.csv', '--target', 'y', '--out', 'n.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'column "name" is text with 40 distinct values in 40 rows, too many to learn as categories (an ID or free text?): leave it out with --ignore "name"',
    );
  });
});

describe('sorted files and early stopping', () => {
  it('a file sorted by class trains by default (a stratified shuffled split); --split-order file warns', async () => {
    writeFileSync(at('sorted.csv'), blobs(150, 7, { names: ['ant', 'bee', 'cat'], sorted: true }));
    const r = await run('train', 'sorted.csv', '--target', 'label', '--ignore', 'id', '--out', 'so.json', '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = summary(r.stdout);
    expect(s.rows).toMatchObject({ training: 120, validation: 30 });
    expect(s.final.val_accuracy).toBe(1);
    expect(r.stderr).not.toContain('warning');
    const kept = await run(
      'train',
      'sorted.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--split-order',
      'file',
      '--out',
      'so.json',
      '--quiet',
    );
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain(
      'warning: the 30 validation rows are all of class "cat": val_accuracy says little (the file is sorted? drop --split-order file',
    );
  });

  it('early stopping keeps the best epoch: the final val_loss is the lowest in the history; --patience 0 runs every epoch', async () => {
    // Overlapping classes (a is noise; b decides only loosely): val_loss stops falling.
    const r0 = rng(8);
    writeFileSync(
      at('es.csv'),
      `id,a,b,label\n${Array.from({ length: 200 }, (_, i) => {
        const b = r0() - 0.5;
        return `${i},${r0()},${b},${b + 0.6 * (r0() - 0.5) > 0 ? 1 : 0}`;
      }).join('\n')}\n`,
    );
    const r = await run(
      'train',
      'es.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--patience',
      '5',
      '--out',
      'es.json',
      '--json',
      '--quiet',
    );
    const s = summary(r.stdout);
    expect(s.stoppedEarly).toBe(true);
    expect(s.epochs).toBeLessThan(500);
    expect(s.final.val_loss).toBe(Math.min(...s.history.val_loss));
    expect(s.history.val_loss[s.bestEpoch - 1]).toBe(s.final.val_loss);
    expect(s.epochs).toBe(s.bestEpoch + 5);
    // The summary counts epochs from 1 throughout, history included.
    expect(s.history).toMatchObject({ bestEpoch: s.bestEpoch, stoppedEpoch: s.epochs });
    expect(s.history.epoch).toEqual(Array.from({ length: s.epochs }, (_, i) => i + 1));
    // The progress lines (every 20th epoch) end with the last epoch run, and the summary says why.
    const text = await run(
      'train',
      'es.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--patience',
      '5',
      '--out',
      'es.json',
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `^epoch +${s.epochs}/500 .*\\nstopped after epoch ${s.epochs}: val_loss last fell in epoch ${s.bestEpoch}, whose weights are kept\\n`,
        'm',
      ),
    );
    const all = summary(
      (
        await run(
          'train',
          'es.csv',
          '--target',
          'label',
          '--ignore',
          'id',
          '--patience',
          '0',
          '--epochs',
          '30',
          '--out',
          'es.json',
          '--json',
          '--quiet',
        )
      ).stdout,
    );
    expect(all).toMatchObject({ epochs: 30, stoppedEarly: false, bestEpoch: 30 });
  });
});

describe('predict and output for programs', () => {
  it('predict --proba: one named column per class summing to 1, the class its largest; --id carries a column through', async () => {
    writeFileSync(at('p.csv'), blobs(90, 9, { names: ['ant', 'bee', 'cat'] }));
    expect(
      (await run('train', 'p.csv', '--target', 'label', '--ignore', 'id', '--out', 'p.json', '--quiet')).code,
    ).toBe(0);
    const r = await run('predict', 'p.json', 'p.csv', '--proba', '--id', 'id');
    expect(r.code, r.stderr).toBe(0);
    const [head, ...lines] = r.stdout.trim().split('\n');
    expect(head).toBe('id,label,probability_ant,probability_bee,probability_cat');
    expect(lines).toHaveLength(90);
    lines.forEach((line, i) => {
      const [id, label, ...p] = line.split(',');
      expect(id).toBe(String(1000 + i));
      const probs = p.map(Number);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(label).toBe(['ant', 'bee', 'cat'][probs.indexOf(Math.max(...probs))]);
    });
    const json = JSON.parse((await run('predict', 'p.json', 'p.csv', '--proba', '--id', 'id', '--json')).stdout);
    expect(Object.keys(json[0])).toEqual(['id', 'class', 'probability', 'probabilities']);
    expect(Object.keys(json[0].probabilities)).toEqual(['ant', 'bee', 'cat']);
    const noId = await run('predict', 'p.json', 'p.csv', '--id', 'row');
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('has no --id column "row"');
  });

  it('train --json writes JSON Lines: one object per epoch (1-based), then the summary; progress goes to stderr', async () => {
    writeFileSync(at('j.csv'), blobs(60, 10));
    const r = await run(
      'train',
      'j.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--epochs',
      '7',
      '--patience',
      '0',
      '--out',
      'j.json',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual([...Array(7).fill('epoch'), 'summary']);
    expect(lines.slice(0, 7).map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines[6].val_loss).toBe(lines[7].history.val_loss[6]);
    expect(r.stderr).toMatch(/^epoch 7\/7 /m);
  });

  it('evaluate: a missing target column is reported from the header, before a bad row; the confusion matrix names the classes', async () => {
    writeFileSync(at('e.csv'), blobs(60, 11, { names: ['ant', 'bee', 'cat'] }));
    expect(
      (await run('train', 'e.csv', '--target', 'label', '--ignore', 'id', '--out', 'e.json', '--quiet')).code,
    ).toBe(0);
    writeFileSync(at('nolabel.csv'), 'id,a,b\n1,0.1,0.2\n2,"unclosed\n');
    const r = await run('evaluate', 'e.json', 'nolabel.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nolabel.csv has no target column "label"; its columns are: id, a, b');
    const text = await run('evaluate', 'e.json', 'e.csv');
    expect(text.stdout).toMatch(/true \\ predicted +ant +bee +cat\nant +20 +0 +0\nbee +0 +20 +0\ncat +0 +0 +20/);
    const json = JSON.parse((await run('evaluate', 'e.json', 'e.csv', '--json')).stdout);
    expect(json).toMatchObject({
      classes: ['ant', 'bee', 'cat'],
      confusionMatrix: [
        [20, 0, 0],
        [0, 20, 0],
        [0, 0, 20],
      ],
    });
  });

  it('a version 1 model file (numeric features only) still predicts the same; a bad "encoding" is exit 2', async () => {
    writeFileSync(at('v.csv'), blobs(60, 13));
    expect(
      (await run('train', 'v.csv', '--target', 'label', '--ignore', 'id', '--out', 'v2.json', '--quiet')).code,
    ).toBe(0);
    const { encoding, missing, fill, ...rest } = JSON.parse(readFileSync(at('v2.json'), 'utf8'));
    expect({ encoding, missing, fill }).toEqual({
      encoding: [{ column: 'a' }, { column: 'b' }],
      missing: 'error',
      fill: null,
    });
    writeFileSync(at('v1.json'), JSON.stringify({ ...rest, version: 1 }));
    const [p1, p2] = [await run('predict', 'v1.json', 'v.csv'), await run('predict', 'v2.json', 'v.csv')];
    expect(p1.code, p1.stderr).toBe(0);
    expect(p1.stdout).toBe(p2.stdout);
    writeFileSync(at('bad.json'), JSON.stringify({ ...rest, encoding: [{ column: 'b' }, { column: 'a' }] }));
    const bad = await run('predict', 'bad.json', 'v.csv');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"encoding" must give each feature column, in order');
  });

  it('--layers "" says the network has no hidden layer', async () => {
    writeFileSync(at('l.csv'), blobs(30, 12));
    const r = await run(
      'train',
      'l.csv',
      '--target',
      'label',
      '--ignore',
      'id',
      '--layers',
      '',
      '--epochs',
      '1',
      '--out',
      'l.json',
    );
    expect(r.stdout).toContain('network 2-3 no hidden layer, softmax output, cross-entropy');
  });
});
