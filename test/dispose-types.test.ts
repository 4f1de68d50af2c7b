// The built .d.ts compile in strict consumers that check library types (skipLibCheck: false):
// with lib es2022 + dom only (no esnext.disposable, no @types/node), `[Symbol.dispose]` in
// network.d.ts was TS2550; with esnext (alone or with @types/node), `using net = ...` still works.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bpw-dispose-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(ROOT, join(dir, 'node_modules', 'backprop-wasm'), 'dir');
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dispose-consumer', type: 'module', private: true }));

const PLAIN = `import { Network } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { fromLayersModel, toLayersModel } from 'backprop-wasm/tfjs';
export async function run(): Promise<number> {
  const net = await Network.create({ layers: [2, 1] });
  const copy = await fromONNX(toONNX(net));
  const other = await fromLayersModel(toLayersModel(copy));
  const n = net.predict(new Float32Array(2)).length;
  net.dispose(); copy.dispose(); other.dispose();
  return n;
}
`;
const USING = `import { Network } from 'backprop-wasm';
export async function run(): Promise<number> {
  using net = await Network.create({ layers: [2, 1] });
  const d: Disposable = net;
  return net.predict(new Float32Array(2)).length + (d ? 0 : 1);
}
`;
writeFileSync(join(dir, 'plain.ts'), PLAIN);
writeFileSync(join(dir, 'using.ts'), USING);

function diagnostics(file: string, options: ts.CompilerOptions): string[] {
  const program = ts.createProgram([join(dir, file)], {
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

const bundler = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
describe('the built types under skipLibCheck: false', () => {
  it('lib es2022 + dom, no @types/node: the main entry and the onnx and tfjs subpaths compile', () => {
    expect(diagnostics('plain.ts', { ...bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] })).toEqual([]);
  });

  it('lib esnext + dom: `using net = await Network.create(...)` compiles, and Network is a Disposable', () => {
    expect(diagnostics('using.ts', { ...bundler, lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'], types: [] })).toEqual([]);
  });

  it('lib esnext + dom with @types/node (node16 resolution): both consumers compile', () => {
    const node = {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    };
    expect(diagnostics('using.ts', node)).toEqual([]);
    expect(diagnostics('plain.ts', node)).toEqual([]);
  });
});
