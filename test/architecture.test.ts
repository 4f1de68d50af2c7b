// The layering docs/architecture.md describes: no import cycle among src/ files (type-only imports
// included), and each layer imports only from the layers below it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** file (relative to src/) -> the src/ files it imports, type-only imports and re-exports included. */
function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [
      ...text.matchAll(
        /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g,
      ),
    ]
      .map((m) => m[1] ?? m[2] ?? m[3]!)
      .map((spec) => relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    edges.set(relative(SRC, file), targets);
  }
  return edges;
}

/** The layer of a src/ file; a file may import from its own layer and the ones below. */
const LAYERS: [RegExp, number][] = [
  [/^util\//, 0],
  [/^errors\.ts$/, 0],
  [/^ops\//, 1],
  [/^layers\//, 1],
  [/^backends\//, 2],
  [/^types\.ts$/, 3],
  [/^worker\/(node|browser)-worker\.ts$/, 10],
  [/^checks\//, 4],
  [/^format\//, 5],
  [/^train\//, 6],
  [/^network\//, 7],
  [/^worker\//, 8],
  [/^node\//, 9],
  [/^index(\.node)?\.ts$/, 10],
  [/^internal\.ts$/, 10],
  [/^interchange\//, 11],
  [/^cli\//, 11],
];
const layerOf = (file: string): number => {
  const hit = LAYERS.find(([re]) => re.test(file));
  if (!hit) throw new Error(`${file} is in no layer of docs/architecture.md`);
  return hit[1];
};

describe('architecture', () => {
  it('no import cycle among src/ files, type-only or not', () => {
    const edges = graph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of edges.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('each file imports only from its own layer and the layers below', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph()) {
      for (const target of targets) {
        if (layerOf(target) > layerOf(file)) wrong.push(`${file} imports ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // The subpaths and the CLI see the core through its entries: the public ones, and internal.ts, which
  // lists what they share with it (descriptors, checks, formulas). A deep import elsewhere fails here.
  it('interchange/ and cli/ import the core only through index.ts, index.node.ts and internal.ts', () => {
    const entry = /^(index(\.node)?|internal)\.ts$|^interchange\/(onnx|tfjs)\/index(\.node)?\.ts$/;
    const wrong: string[] = [];
    for (const [file, targets] of graph()) {
      const top = file.split('/')[0]!;
      if (top !== 'interchange' && top !== 'cli') continue;
      for (const target of targets)
        if (!target.startsWith(`${top}/`) && !entry.test(target)) wrong.push(`${file} imports ${target}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every src/ file is at most 400 lines', () => {
    const long = sources(SRC)
      .filter((f) => readFileSync(f, 'utf8').split('\n').length > 400)
      .map((f) => relative(SRC, f));
    expect(long).toEqual([]);
  });
});
