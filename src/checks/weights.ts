// Explicit weights ({ W: number[][], b: number[] } per layer): checked against the architecture.
import { badValue, isFloatArray, storable } from './data.js';
import { check, shown, ValidationError } from '../errors.js';
import { checkAttached } from './bytes.js';
import type { DType } from '../types.js';

type Row = ArrayLike<unknown>;
const isRow = (v: unknown): v is Row => Array.isArray(v) || isFloatArray(v);

/**
 * Flattens and checks weights for layer sizes `layers` (every entry present, every value a finite
 * number that dtype can hold); throws naming the layer, row and column. Nothing of `ws` is kept.
 */
export function flattenWeights(ws: unknown, layers: readonly number[], dtype: DType, what: string): { W: Float64Array; b: Float64Array }[] {
  const L = layers.length - 1;
  check(Array.isArray(ws), `${what} must be an array of { W, b }, one per layer`);
  check(ws.length === L, `${what} lists ${ws.length} layers, the network has ${L}`);
  const out: { W: Float64Array; b: Float64Array }[] = [];
  for (let l = 0; l < L; l++) {
    const w = ws[l] as { W?: unknown; b?: unknown } | undefined;
    const inputs = layers[l]!, outputs = layers[l + 1]!;
    const where = `${what}[${l}]`;
    if (!(typeof w === 'object' && w !== null && isRow(w.W) && isRow(w.b))) {
      // The message only on failure: JSON.stringify of a good layer would serialize all its weights.
      throw new ValidationError(`${where} must be { W: number[][], b: number[] }; got ${w === undefined ? 'a hole' : shown(w)}`);
    }
    const rows = w.W as Row, bias = w.b as Row;
    check(rows.length === inputs, `${where}.W has ${rows.length} rows, expected ${inputs} (inputs x outputs)`);
    if (bias.length !== outputs) checkAttached(bias, `${where}.b`);
    check(bias.length === outputs, `${where}.b has ${bias.length} values, expected ${outputs}`);
    const W = new Float64Array(inputs * outputs), b = new Float64Array(outputs);
    for (let i = 0; i < inputs; i++) {
      const row = rows[i];
      check(isRow(row), `${where}.W row ${i} is ${row === undefined ? 'missing (a hole)' : 'not an array'}, expected ${outputs} values`);
      if (row.length !== outputs) checkAttached(row, `${where}.W row ${i}`);
      check(row.length === outputs, `${where}.W row ${i} has ${row.length} values, expected ${outputs}`);
      copyValues(row, W, i * outputs, outputs, dtype, what, `${where}.W[${i}]`);
    }
    copyValues(bias, b, 0, outputs, dtype, what, `${where}.b`);
    out.push({ W, b });
  }
  return out;
}

/** Copies n values of `row` into `into` from `at`; throws naming the first one dtype cannot hold as `${where}[j]`. */
function copyValues(row: Row, into: Float64Array, at: number, n: number, dtype: DType, what: string, where: string): void {
  for (let j = 0; j < n; j++) {
    const v = row[j];
    if (!storable(v, dtype)) throw new ValidationError(`${what}: ${badValue(v, dtype, `${where}[${j}]`)}`);
    into[at + j] = v as number;
  }
}
