// Every relative link in the README, the changelog and docs/*.md points to a file of this checkout,
// and every #anchor to a heading of its target (GitHub's heading ids), so moving a section cannot
// leave a dead link behind. What the npm package ships is checked in test/package.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const DOCUMENTS = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Markdown outside fenced code blocks and code spans. */
function prose(text: string): string {
  return text.replace(/^( *)```[\s\S]*?^\1```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of a document (images too), as written. */
function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
}

/** The ids GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2. */
function anchors(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.replace(/^( *)```[\s\S]*?^\1```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let id = base;
    for (let n = 1; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
  }
  return ids;
}

describe('links in the documentation', () => {
  it.each(DOCUMENTS)('%s: every relative link and anchor resolves', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    const dead: string[] = [];
    for (const link of links(text)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? document : relative(ROOT, normalize(join(ROOT, dirname(document), path)));
      if (!existsSync(join(ROOT, target))) {
        dead.push(`${link}: no file ${target}`);
        continue;
      }
      if (
        anchor !== undefined &&
        target.endsWith('.md') &&
        !anchors(readFileSync(join(ROOT, target), 'utf8')).has(anchor)
      ) {
        dead.push(`${link}: no heading #${anchor} in ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it('finds links, anchors included (the check can fail)', () => {
    const guide = links(readFileSync(join(ROOT, 'docs/guide.md'), 'utf8'));
    expect(guide).toContain('api-guide.md#models-that-travel');
    expect(anchors('# A\n## Kernel variants and threads\n## The `predict` call (fast)\n## A\n')).toEqual(
      new Set(['a', 'kernel-variants-and-threads', 'the-predict-call-fast', 'a-1']),
    );
  });
});
