// The CLI's promises about files, for every command that writes (train --out, export onnx, export
// tfjs): an output that is an input (same path, symlink, hard link) or cannot be written is a usage
// error (exit 2) before any work; outputs are written atomically; a signal while one is written
// (delivered deterministically by a preloaded hook) leaves no temporary file and the old output as
// it was; a closed stdout (| head -1) ends the run quietly.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, SIGNAL_HOOK } from './cli-run.js';

let dir: string;
const at = (name: string): string => join(dir, name);
const run = (...args: string[]) => cli(dir, args);
const listing = (folder = dir): string[] => readdirSync(folder).sort();
const TRAIN = ['--target', 'y', '--epochs', '2', '--quiet'];

/** y is the class of x1 + x2 > 0; rows from a seeded generator. */
function table(rows: number): string {
  let s = 12345;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const lines = ['x1,x2,y'];
  for (let i = 0; i < rows; i++) {
    const a = next(),
      b = next();
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${a + b > 0 ? 'up' : 'down'}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bpw-cli-files-'));
  writeFileSync(at('data.csv'), table(200));
  const r = await run('train', 'data.csv', ...TRAIN, '--out', 'model.json');
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an output that is an input is refused before any work (exit 2), the input unchanged', () => {
  it('train --out the data file: by the same path, another spelling, a hard link or a symlink', async () => {
    const data = readFileSync(at('data.csv'), 'utf8');
    linkSync(at('data.csv'), at('hard.csv'));
    symlinkSync('data.csv', at('link.json'));
    for (const out of ['data.csv', './data.csv', join(dir, 'data.csv'), 'hard.csv', 'link.json']) {
      const r = await run('train', 'data.csv', '--target', 'y', '--out', out); // no --quiet: any work would print
      expect(r.code, out).toBe(2);
      expect(r.stderr).toContain(`--out ${out} is the input data.csv (the same file)`);
      expect(r.stdout).toBe('');
      expect(readFileSync(at('data.csv'), 'utf8')).toBe(data);
    }
    rmSync(at('hard.csv'));
    rmSync(at('link.json'));
  });

  it('export --format onnx --out the model, and --format tfjs --out its folder', async () => {
    const model = readFileSync(at('model.json'), 'utf8');
    const before = listing();
    const onnx = await run('export', 'model.json', '--format', 'onnx', '--out', 'model.json');
    expect(onnx.code).toBe(2);
    expect(onnx.stderr).toContain('--out model.json is the input model.json (the same file)');
    for (const out of ['.', dir]) {
      const tfjs = await run('export', 'model.json', '--format', 'tfjs', '--out', out);
      expect(tfjs.code).toBe(2);
      expect(tfjs.stderr).toContain(`--out ${out} holds the input model.json: the folder is replaced as a whole`);
    }
    expect(readFileSync(at('model.json'), 'utf8')).toBe(model);
    expect(listing()).toEqual(before);
  });
});

describe('an output that cannot be written is a usage error before any work (exit 2), naming the path', () => {
  beforeAll(() => {
    mkdirSync(at('folder'));
    writeFileSync(at('folder/keep.txt'), 'mine');
  });
  const cases: [string, string[], RegExp][] = [
    ['--out ""', ['train', 'data.csv', '--target', 'y', '--out', ''], /--out is empty: give a file name/],
    [
      'a missing folder',
      ['train', 'data.csv', '--target', 'y', '--out', 'missing/m.json'],
      /cannot write missing\/m\.json: the folder missing does not exist; create it or choose another --out/,
    ],
    [
      'a file where a folder is expected',
      ['train', 'data.csv', '--target', 'y', '--out', 'data.csv/m.json'],
      /cannot write data\.csv\/m\.json: data\.csv is a file, not a folder/,
    ],
    [
      'a folder where a file is expected',
      ['train', 'data.csv', '--target', 'y', '--out', 'folder'],
      /cannot write folder: it is a folder; give a file name, e\.g\. --out folder\/model\.json/,
    ],
    [
      'a name ending in a slash',
      ['train', 'data.csv', '--target', 'y', '--out', 'new/'],
      /cannot write new\/: it names a folder; give a file name/,
    ],
    [
      'a name too long for the temporary beside it',
      ['train', 'data.csv', '--target', 'y', '--out', `${'m'.repeat(240)}.json`],
      /the name is too long/,
    ],
    [
      'a device',
      ['train', 'data.csv', '--target', 'y', '--out', '/dev/null'],
      /cannot write \/dev\/null: it is not a regular file/,
    ],
    ['export onnx: --out ""', ['export', 'model.json', '--format', 'onnx', '--out', ''], /--out is empty/],
    [
      'export onnx: a missing folder',
      ['export', 'model.json', '--format', 'onnx', '--out', 'missing/m.onnx'],
      /the folder missing does not exist/,
    ],
    [
      'export tfjs: --out ""',
      ['export', 'model.json', '--format', 'tfjs', '--out', ''],
      /--out is empty: give a folder name/,
    ],
    [
      'export tfjs: a file',
      ['export', 'model.json', '--format', 'tfjs', '--out', 'data.csv'],
      /cannot write data\.csv: it is a file, and this output is a folder/,
    ],
    [
      'export tfjs: a folder holding other files',
      ['export', 'model.json', '--format', 'tfjs', '--out', 'folder'],
      /cannot write folder: the folder holds other files \(keep\.txt\) and would be replaced as a whole/,
    ],
    [
      'export tfjs: in a missing folder',
      ['export', 'model.json', '--format', 'tfjs', '--out', 'missing/tf'],
      /the folder .*missing does not exist/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const before = listing();
    const r = await run(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe(''); // nothing trained, nothing exported
    expect(listing()).toEqual(before);
    expect(readFileSync(at('folder/keep.txt'), 'utf8')).toBe('mine');
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder (not as root, who may write anywhere)', async () => {
    mkdirSync(at('locked'));
    chmodSync(at('locked'), 0o555);
    try {
      const r = await run('train', 'data.csv', '--target', 'y', '--out', 'locked/m.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot write locked/m.json: no permission to create files in locked');
    } finally {
      chmodSync(at('locked'), 0o755);
    }
  });
});

describe('outputs are written atomically; a signal while one is written leaves the old one and no temporary', () => {
  const hooked = (signal: string, args: string[]) =>
    cli(dir, args, { nodeArgs: ['--import', SIGNAL_HOOK], env: { HOOK_SIGNAL: signal } });
  const old = '{"an": "older output"}\n';

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('train --out, %s: exit %i', async (signal, code) => {
    writeFileSync(at('old.json'), old);
    const before = listing();
    const r = await hooked(signal, ['train', 'data.csv', ...TRAIN, '--out', 'old.json']);
    expect([r.code, r.signal], r.stderr).toEqual([code, null]);
    expect(r.stderr).toBe('');
    expect(readFileSync(at('old.json'), 'utf8')).toBe(old);
    expect(listing()).toEqual(before);
  });

  it('export --format onnx, SIGINT', async () => {
    writeFileSync(at('old.onnx'), old);
    const before = listing();
    const r = await hooked('SIGINT', ['export', 'model.json', '--format', 'onnx', '--out', 'old.onnx']);
    expect(r.code, r.stderr).toBe(130);
    expect(readFileSync(at('old.onnx'), 'utf8')).toBe(old);
    expect(listing()).toEqual(before);
  });

  it('export --format tfjs replaces an earlier export as a whole; SIGINT leaves the earlier one', async () => {
    const first = await run('export', 'model.json', '--format', 'tfjs', '--out', 'tf');
    expect(first.code, first.stderr).toBe(0);
    expect(listing(at('tf'))).toEqual(['model.json', 'weights.bin']);
    const earlier = readFileSync(at('tf/model.json'), 'utf8');
    writeFileSync(at('tf/model.json'), old); // mark it: a re-export must replace it
    const before = listing();
    const r = await hooked('SIGINT', ['export', 'model.json', '--format', 'tfjs', '--out', 'tf']);
    expect(r.code, r.stderr).toBe(130);
    expect(listing()).toEqual(before);
    expect(readFileSync(at('tf/model.json'), 'utf8')).toBe(old);
    const again = await run('export', 'model.json', '--format', 'tfjs', '--out', 'tf');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(at('tf/model.json'), 'utf8')).toBe(earlier);
    expect(listing()).toEqual(before);
    expect(listing(at('tf'))).toEqual(['model.json', 'weights.bin']);
  });

  it('train --out through a symlink writes the file it points to, and keeps the link', async () => {
    writeFileSync(at('target.json'), old);
    symlinkSync('target.json', at('via.json'));
    const r = await run('train', 'data.csv', ...TRAIN, '--out', 'via.json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(at('target.json'), 'utf8')).format).toBe('backprop-wasm-cli');
    expect(readFileSync(at('via.json'), 'utf8')).toBe(readFileSync(at('target.json'), 'utf8'));
    expect(listing().filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('a closed output', () => {
  it('predict | head -1: no message, no stack trace, exit 141 (as a tool stopped by SIGPIPE)', () => {
    writeFileSync(at('big.csv'), table(40_000)); // ~40,000 output lines: far more than a pipe holds
    const script = `"${process.execPath}" "${BIN}" predict model.json big.csv | head -1; echo "status \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('y,probability\n');
    expect(r.stderr).toBe('status 141\n');
  });
});

describe('an output that is a symlink, and replacing an earlier export', () => {
  it("the name-length check runs on the link's target (where the file is written): a long target name is exit 2 before any work", async () => {
    const long = `${'t'.repeat(240)}.onnx`;
    writeFileSync(at(long), 'old');
    symlinkSync(long, at('short.onnx'));
    const r = await run('export', 'model.json', '--format', 'onnx', '--out', 'short.onnx');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`cannot write short.onnx (a link to ${at(long)}): the name is too long`);
    expect(readFileSync(at(long), 'utf8')).toBe('old');
  });

  it('tfjs: when removing the earlier export fails, the new folder stays in place and the run succeeds', async () => {
    expect((await run('export', 'model.json', '--format', 'tfjs', '--out', 'again')).code).toBe(0);
    const before = readFileSync(at('again/model.json'), 'utf8');
    writeFileSync(at('again/model.json'), 'earlier');
    // Preloaded: fs.promises.rm of the moved-aside ".old" folder fails.
    writeFileSync(
      at('rm-fails.mjs'),
      [
        "import { createRequire, syncBuiltinESMExports } from 'node:module';",
        "const fs = createRequire(import.meta.url)('node:fs');",
        'const rm = fs.promises.rm;',
        "fs.promises.rm = (p, o) => (String(p).endsWith('.old') ? Promise.reject(new Error('EBUSY: simulated')) : rm(p, o));",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const r = await cli(dir, ['export', 'model.json', '--format', 'tfjs', '--out', 'again'], {
      nodeArgs: ['--import', at('rm-fails.mjs')],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(at('again/model.json'), 'utf8')).toBe(before);
  });
});
