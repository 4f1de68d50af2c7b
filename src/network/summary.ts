// net.summary(): the architecture as a text table, as Keras' model.summary() prints it.
import { formatBytes } from '../util/format-bytes.js';
import type { OutputActivation } from '../ops/activations.js';

export interface SummaryInput {
  layers: readonly number[];
  activations: readonly OutputActivation[];
  /** Dropout rate of each hidden layer (none: 0). */
  dropout: readonly number[];
  dtype: string;
  backend: string;
  bytesInUse: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function summary(s: SummaryInput): string {
  const rows = [['layer', 'shape', 'activation', 'dropout', 'parameters']];
  rows.push(['input', `${s.layers[0]}`, '', '', '0']);
  let total = 0;
  for (let l = 1; l < s.layers.length; l++) {
    const params = s.layers[l - 1]! * s.layers[l]! + s.layers[l]!;
    total += params;
    const output = l === s.layers.length - 1;
    rows.push([output ? 'output' : `hidden ${l}`, `${s.layers[l - 1]} → ${s.layers[l]}`, s.activations[l - 1]!,
      output ? '' : `${s.dropout[l - 1] ?? 0}`, count(params)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [
    line(rows[0]!), rule, ...rows.slice(1).map(line), rule,
    `total parameters: ${count(total)}`,
    `dtype: ${s.dtype}   backend: ${s.backend}   memory in use: ${formatBytes(s.bytesInUse)}`,
  ].join('\n');
}
