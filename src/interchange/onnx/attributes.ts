// What the graph readers share: the error of a file this library cannot read, a node's label in it,
// and a node's attributes, checked by name and kind (each given once, holding exactly its kind).
import { ModelFormatError } from '../../index.js';
import { shownText as nm } from '../../internal.js';
import type { AttributeP, NodeP } from './proto.js';

const WHAT = 'ONNX model';
export const fail = (message: string): never => {
  throw new ModelFormatError(`${WHAT}: ${message}`);
};
export const label = (n: NodeP): string => `node '${nm(n.name || n.outputs[0] || '?')}' (${nm(n.opType)})`;

export type Kind = 'f' | 'i' | 'ints' | 's' | 't';
const NOUN: Record<Kind, string> = {
  f: 'a float',
  i: 'an integer',
  ints: 'a list of integers',
  s: 'a string',
  t: 'a tensor',
};

/** The node's attributes, by name; refuses names outside `allowed`, repeats, and values of the wrong kind. */
export function readAttributes(n: NodeP, allowed: Record<string, Kind>): Map<string, AttributeP> {
  const out = new Map<string, AttributeP>();
  for (const a of n.attributes) {
    if (!Object.hasOwn(allowed, a.name)) fail(`attribute '${nm(a.name)}' of ${label(n)} is not supported`);
    if (out.has(a.name)) fail(`attribute '${nm(a.name)}' of ${label(n)} is given twice`);
    const kind = allowed[a.name]!;
    const held = (['f', 'i', 'ints', 's', 't'] as const).filter((k) => a[k] !== null);
    if (a.other || held.length !== 1 || held[0] !== kind)
      fail(`attribute '${nm(a.name)}' of ${label(n)} must be ${NOUN[kind]}`);
    out.set(a.name, a);
  }
  return out;
}

/** The numeric attributes of a node (floats and integers), by name. */
export function attributes(n: NodeP, allowed: Record<string, 'f' | 'i'>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, a] of readAttributes(n, allowed)) out.set(name, (allowed[name] === 'f' ? a.f : a.i)!);
  return out;
}
