// net.summary(): the architecture as a text table, as Keras' model.summary() prints it.
import { formatBytes } from '../util/format-bytes.js';
import type { ActivationName } from '../ops/activations.js';
import type { SpatialConfig } from '../layers/index.js';
import { spatialKind, spatialShapes } from '../layers/spatial.js';
import type { Architecture } from '../checks/options.js';
import type { BackendName } from '../types.js';

export interface SummaryInput {
  layers: readonly number[];
  activations: readonly ActivationName[];
  /** Dropout rate of each hidden layer (none: 0). */
  dropout: readonly number[];
  dtype: string;
  backend: string;
  bytesInUse: number;
  /** The image layers before the dense ones, each with its output shape and parameter count (absent or []: none). */
  image?: readonly { type: string; output: readonly number[]; activation: string; params: number }[];
  inputShape?: readonly number[];
}

const count = (n: number): string => n.toLocaleString('en-US');

export function summary(s: SummaryInput): string {
  const rows = [['layer', 'shape', 'activation', 'dropout', 'parameters']];
  const image = s.image ?? [];
  rows.push(['input', (s.inputShape ?? [s.layers[0]!]).join('×'), '', '', '0']);
  let total = 0;
  for (const l of image) {
    total += l.params;
    rows.push([l.type, l.output.join('×'), l.activation, '', count(l.params)]);
  }
  for (let l = 1; l < s.layers.length; l++) {
    const params = s.layers[l - 1]! * s.layers[l]! + s.layers[l]!;
    total += params;
    const output = l === s.layers.length - 1;
    rows.push([
      output ? 'output' : `hidden ${l}`,
      `${s.layers[l - 1]} → ${s.layers[l]}`,
      s.activations[l - 1]!,
      output ? '' : `${s.dropout[l - 1] ?? 0}`,
      count(params),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (c === r.length - 1 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `total parameters: ${count(total)}`,
    `dtype: ${s.dtype}   backend: ${s.backend}   memory in use: ${formatBytes(s.bytesInUse)}`,
  ].join('\n');
}

/** The image layers' rows: output shapes, and the parameters of conv layers (W, and b when useBias). */
export function imageRows(
  inputShape: readonly number[],
  spatial: readonly SpatialConfig[],
): NonNullable<SummaryInput['image']> {
  return spatialShapes(inputShape, spatial).map(({ input, output }, i) => {
    const c = spatial[i]!;
    if (c.type !== 'conv2d') return { type: c.type, output, activation: '', params: 0 };
    const p = spatialKind(c.type).params(c, input)!;
    return {
      type: c.type,
      output,
      activation: c.activation,
      params: p.W.reduce((a, v) => a * v, 1) + (c.useBias ? p.b[0]! : 0),
    };
  });
}

/** Network.summary()'s table for a network of this architecture on this backend. */
export function summaryOf(arch: Architecture, backend: BackendName, bytesInUse: number): string {
  const { layers, activations, dropout, dtype, inputShape } = arch;
  return summary({
    layers,
    activations,
    dropout,
    dtype,
    backend,
    bytesInUse,
    inputShape,
    image: imageRows(inputShape, arch.spatial),
  });
}
