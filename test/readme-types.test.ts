// The code in the README and docs/*.md compiles against the built package's types under `strict`, with
// moduleResolution node16 and bundler: every ```js / ```ts block that imports backprop-wasm (or a
// subpath) becomes a module that declares the free variables it uses; 'backprop-wasm' resolves
// through a node_modules link to this checkout, so its exports map and dist/ types are what is
// checked. Also the precise types the README relies on: predict's overloads and checkpoint().
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The documents whose snippets are checked: the README and every Markdown file of docs/. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The free variables snippets may use, and their types. A snippet using any other undeclared name fails. */
const FREE: Record<string, string> = {
  x: 'Float32Array',
  y: 'Float32Array',
  xs: 'Float32Array',
  out: 'Float32Array',
  labels: 'Uint8Array',
  xTest: 'number[][]',
  labelsTest: 'number[]',
  signal: 'AbortSignal',
  stopButton: 'HTMLButtonElement',
  net: "import('backprop-wasm').Network",
  bytes: 'Uint8Array',
  memoryLimit: 'number',
};

/**
 * Fenced js/ts blocks of a document (indented ones inside list items too) that import the package.
 * A block whose first line is a `// Node only` comment uses exports under the `node` condition.
 */
function snippets(document: string): { document: string; line: number; code: string; nodeOnly: boolean }[] {
  const text = readFileSync(join(ROOT, document), 'utf8');
  return [...text.matchAll(/^( *)```(?:js|ts)\n([\s\S]*?)^\1```/gm)]
    .map((m) => ({
      document,
      line: text.slice(0, m.index).split('\n').length + 1,
      code: m[2]!
        .split('\n')
        .map((l) => l.slice(m[1]!.length))
        .join('\n'),
    }))
    .filter(({ code }) => /from 'backprop-wasm(\/[\w.]+)?'/.test(code))
    .map((b) => ({ ...b, nodeOnly: b.code.startsWith('// Node only') }));
}

/** Names the snippet declares itself (const/let/var, destructuring, imports). */
function declared(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\b(?:const|let|var)\s+(\w+)/g)) names.add(m[1]!);
  for (const m of code.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}/g))
    for (const n of m[1]!.split(',')) names.add(n.split(':').at(-1)!.trim());
  for (const m of code.matchAll(/^import\s+(?:(\w+)|\{([^}]*)\})/gm)) {
    if (m[1]) names.add(m[1]);
    for (const n of (m[2] ?? '').split(','))
      names.add(
        n
          .replace(/^\s*type\s+/, '')
          .split(/\s+as\s+/)
          .at(-1)!
          .trim(),
      );
  }
  return names;
}

/** The snippet as a module: `declare const` for each free variable it uses. */
function asModule(code: string): string {
  const own = declared(code);
  const uses = (name: string) => new RegExp(`(?<![.\\w'])${name}\\b`).test(code.replace(/\/\/.*$/gm, ''));
  const decls = Object.entries(FREE)
    .filter(([name]) => !own.has(name) && uses(name))
    .map(([name, type]) => `declare const ${name}: ${type};`);
  return `${decls.join('\n')}\n${code}\nexport {};\n`;
}

// Precise types: each line fails to compile if the type is wider or different.
const TYPES = `
import { Network, type CheckpointJSON, type ModelJSON } from 'backprop-wasm';
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const is = <T extends true>(_: T): void => {};
const net = await Network.create({ layers: [2, 3] });
const net64 = await Network.create({ layers: [2, 3], dtype: 'float64' });
declare const dtype: 'float32' | 'float64';
const either = await Network.create({ layers: [2, 3], dtype });
is<Equal<typeof net, Network<'float32'>>>(true);
const a = net.predict([[1, 2]]); is<Equal<typeof a, number[][]>>(true);
const b = net.predict(new Float32Array(2)); is<Equal<typeof b, Float32Array>>(true);
const c = net64.predict(new Float64Array(2)); is<Equal<typeof c, Float64Array>>(true);
const d = net64.predict(new Float32Array(2)); is<Equal<typeof d, Float64Array>>(true);
const e = either.predict(new Float32Array(2)); is<Equal<typeof e, Float32Array | Float64Array>>(true);
const out64 = new Float64Array(3), out32 = new Float32Array(new SharedArrayBuffer(12));
const f = net.predict([[1, 2]], { out: out64 }); is<Equal<typeof f, typeof out64>>(true);
const g = net.predict(new Float32Array(2), { out: out32 }); is<Equal<typeof g, typeof out32>>(true);
const h = net.predict([[1, 2]], { out: out32 as Float32Array | Float64Array }); is<Equal<typeof h, Float32Array | Float64Array>>(true);
const plain: Network = net; // a network of a known dtype is a Network
// @ts-expect-error a float64 network is not a float32 one
const wrong: Network<'float32'> = net64;
const cp: CheckpointJSON = net.checkpoint();
const epochs: number = cp.training.epochs;
const json: ModelJSON = net.toJSON();
// @ts-expect-error toJSON() has no training state to rely on
const none: number = json.training.epochs;
net.fit([[1, 2]], [0], { validationSplit: 0.2 });
net.fit([[1, 2]], new Uint8Array([1]), { validationData: [[[1, 2]], Int32Array.from([0])] });
export { epochs, none, plain, wrong };
`;

const dir = mkdtempSync(join(tmpdir(), 'backprop-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the code examples of the README and docs/ compile under strict', () => {
  const blocks = DOCUMENTS.flatMap(snippets);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'backprop-wasm'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', type: 'module', private: true }));
  const files = blocks.map((b) => {
    const file = join(dir, `${b.document.replace(/\W/g, '-')}-line-${b.line}.ts`);
    writeFileSync(file, asModule(b.code));
    return file;
  });
  writeFileSync(join(dir, 'types.ts'), TYPES);

  it('finds the examples: the README, the guide and the API guide (Using it, class indices, workers, interchange)', () => {
    const count = (document: string) => blocks.filter((b) => b.document === document).length;
    expect(count('README.md')).toBeGreaterThanOrEqual(1);
    expect(count('docs/guide.md')).toBeGreaterThanOrEqual(6);
    expect(count('docs/api-guide.md')).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((b) => b.nodeOnly)).toHaveLength(1);
  });

  const bundler = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  it.each([
    ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, true],
    ['bundler (browser conditions; Node-only examples left out)', bundler, false],
    ['bundler with customConditions node', { ...bundler, customConditions: ['node'] }, true],
  ])('with moduleResolution %s: no diagnostics', (_, resolution, withNodeOnly) => {
    const program = ts.createProgram(
      [...files.filter((__, i) => withNodeOnly || !blocks[i]!.nodeOnly), join(dir, 'types.ts')],
      {
        ...resolution,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
      },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
        : '';
      return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
    expect(diagnostics).toEqual([]);
  });
});
