// What `npm pack` would publish: source maps only with their sources, the licence, README and its
// picture, the documents of docs/ with every file they link to, the .wasm, the CLI launcher and the wasm subpath's types; no tests. The library entries
// do not pull in the CLI or its dependencies, and the wasm subpath type-checks for bundler users.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the published package', () => {
  // --ignore-scripts: npm test has just built; prepare would build again.
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
  ) as [{ files: { path: string }[] }];
  const files = new Set(pack.files.map((f) => f.path));

  it('holds the licence, README and its picture, changelog, .wasm, CLI launcher and wasm subpath types; no tests', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'dist/backprop.wasm',
      'dist/backprop-relaxed.wasm',
      'dist/backprop-threads.wasm',
      'dist/backprop-relaxed-threads.wasm',
      'dist/src/node/thread-worker.js',
      'bin/backprop-wasm.js',
      'types/backprop-wasm-url.d.ts',
      'dist/src/index.js',
      'dist/src/index.node.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
    ]) {
      expect(files, f).toContain(f);
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(files).toContain(normalize(pkg.bin['backprop-wasm']));
    expect(pkg.license).toBe('MIT');
    expect([...files].filter((f) => /(^|\/)test\/|\.test\.|fixtures/.test(f))).toEqual([]);
    const images = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(
      (m) => m[1]!,
    );
    expect(images.length).toBeGreaterThan(0);
    for (const img of images.filter((i) => !/^https?:/.test(i)))
      expect(files, `README image ${img}`).toContain(normalize(img));
  });

  it('ships the documents of docs/ and every file that a shipped document links to', () => {
    const documents = [...files].filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
    for (const f of [
      'docs/README.md',
      'docs/guide.md',
      'docs/api-guide.md',
      'docs/guarantees.md',
      'docs/performance.md',
      'BENCHMARKS.md',
    ])
      expect(files, f).toContain(f);
    expect([...files].filter((f) => f.startsWith('docs/api/'))).toEqual([]);
    // docs/cli.md is written on another branch (see PENDING in test/docs-links.test.ts).
    const pending = existsSync(join(ROOT, 'docs/cli.md')) ? [] : ['docs/cli.md'];
    const missing: string[] = [];
    for (const doc of documents) {
      const text = readFileSync(join(ROOT, doc), 'utf8')
        .replace(/^( *)```[\s\S]*?^\1```/gm, '')
        .replace(/`[^`\n]*`/g, '');
      for (const [, link] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g)) {
        if (/^[a-z]+:/i.test(link!)) continue;
        const target = normalize(join(dirname(doc), link!));
        if (!files.has(target) && !pending.includes(target)) missing.push(`${doc}: ${link}`);
      }
    }
    expect(documents.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('ships every source map with the file it maps and the sources it names', () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      if (!files.has(map.slice(0, -4))) missing.push(`${map}: ${map.slice(0, -4)}`);
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const s of sources) if (!files.has(normalize(join(dirname(map), s)))) missing.push(`${map}: ${s}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the library entries', () => {
  it.each(['dist/src/index.js', 'dist/src/index.node.js'])(
    '%s imports neither the CLI nor its dependencies',
    async (entry) => {
      const result = await build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        logLevel: 'silent',
        platform: entry.includes('node') ? 'node' : 'browser',
        external: ['node:*'],
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((f) => f.includes('dist/src/network/network.js'))).toBe(true);
      expect(inputs.filter((f) => /node_modules|\/cli\//.test(f))).toEqual([]);
    },
  );

  it('backprop-wasm/backprop.wasm has a default export typed as a URL string (bundler resolution)', () => {
    const program = ts.createProgram([join(ROOT, 'test/fixtures/wasm-url-consumer.ts')], {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
