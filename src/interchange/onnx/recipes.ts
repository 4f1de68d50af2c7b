// Reads an activation back from the nodes toONNX writes for it: each descriptor's ONNX expression
// (src/ops/activations.ts), matched node by node in the order it is written. Anything else is left
// to the reader's own cases (which also take other writers' forms, as PyTorch's LeakyRelu default).
import type { ActivationName } from '../../index.js';
import { ACTIVATIONS, type ActivationOp, type OnnxExpr } from '../../internal.js';
import type { NodeP } from './proto.js';

const COMMUTATIVE = new Set(['Add', 'Mul', 'Max', 'Min']);
/** ONNX attribute defaults a writer may leave out (the operators' specifications). */
const DEFAULTS: Record<string, Record<string, number>> = { Elu: { alpha: 1 }, LeakyRelu: { alpha: 0.01 } };
/** Equal as written in either dtype: a float32 file stores 0.01 as 0.009999999776…. */
const same = (a: number, b: number): boolean => a === b || Math.fround(a) === Math.fround(b);

/**
 * The activations that are non-decreasing, so that they commute with a maximum: max(f(a), f(b)) =
 * f(max(a, b)). An activation after a MaxPool is read as its Conv's only when it is one of these
 * (gelu and swish dip below zero before rising; softmax is not elementwise). The descriptors in
 * ops/activations.ts have no such flag; onnx-cnn-refusals.test.ts checks each of these on a grid,
 * and that every other elementwise activation is not monotone.
 */
export const MONOTONE: ReadonlySet<ActivationName> = new Set<ActivationName>([
  'linear',
  'relu',
  'leakyRelu',
  'sigmoid',
  'tanh',
  'elu',
  'softplus',
]);

/** Each activation's forms, the longest first (so Mul(x, Sigmoid(x)) is not read as a sigmoid). */
const FORMS: { act: ActivationName; expr: OnnxExpr; size: number }[] = (ACTIVATIONS as readonly ActivationOp[])
  .flatMap((op) =>
    [op.onnx, op.onnx64]
      .filter((e): e is OnnxExpr => e !== null && e !== undefined)
      .map((expr) => ({ act: op.name as ActivationName, expr, size: size(expr) })),
  )
  .sort((a, b) => b.size - a.size);

function size(e: OnnxExpr): number {
  return typeof e === 'object' ? 1 + e.args.reduce((s: number, a) => s + size(a), 0) : 0;
}

interface Cursor {
  nodes: readonly NodeP[];
  i: number;
  x: string;
  constant: (name: string) => number | null;
}

/** The name of e's value if the nodes at c.i are e's, else null; consumes them. A constant matches by value. */
function match(e: OnnxExpr, c: Cursor, input?: string): string | null {
  if (e === 'x') return input === undefined || input === c.x ? c.x : null;
  if (typeof e === 'number') {
    const v = input === undefined ? null : c.constant(input);
    return v !== null && same(v, e) ? input! : null;
  }
  // Arguments that are nodes come first, in order; then the node, its inputs checked against them.
  const values: (string | null)[] = [];
  for (const a of e.args) {
    if (typeof a !== 'object') {
      values.push(null);
      continue;
    }
    const v = match(a, c);
    if (v === null) return null;
    values.push(v);
  }
  const n = c.nodes[c.i];
  if (!n || n.opType !== e.op || n.inputs.length !== e.args.length || n.outputs.length !== 1) return null;
  const fits = (order: readonly string[]): boolean =>
    e.args.every((a, k) => (typeof a === 'object' ? order[k] === values[k] : match(a, c, order[k]) !== null));
  if (!fits(n.inputs) && !(COMMUTATIVE.has(e.op) && n.inputs.length === 2 && fits([n.inputs[1]!, n.inputs[0]!])))
    return null;
  const attrs = e.attrs ?? [];
  if (n.attributes.some((a) => !attrs.some(([name]) => name === a.name))) return null;
  for (const [name, value, kind] of attrs) {
    const a = n.attributes.filter((x) => x.name === name);
    if (a.length > 1) return null;
    const v = a.length === 0 ? DEFAULTS[e.op]?.[name] : a[0]!.other ? null : kind === 'f' ? a[0]!.f : a[0]!.i;
    if (v === null || v === undefined || !same(v, value)) return null;
  }
  c.i++;
  return n.outputs[0]!;
}

/** The activation whose form starts at nodes[start] on x: its name, the nodes it takes and its output; or null. */
export function matchActivation(
  nodes: readonly NodeP[],
  start: number,
  x: string,
  constant: (name: string) => number | null,
): { act: ActivationName; count: number; output: string } | null {
  for (const { act, expr } of FORMS) {
    const c: Cursor = { nodes, i: start, x, constant };
    const output = match(expr, c);
    if (output !== null && output !== x) return { act, count: c.i - start, output };
  }
  return null;
}
