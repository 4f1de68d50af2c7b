// Explicit weights ({ W: number[][], b: number[] } per layer): checked against the architecture.
import { check } from './errors.js';
import type { LayerWeights } from './types.js';

/** Flattens and checks weights for layer sizes `layers`; throws naming the layer, row and column. */
export function flattenWeights(ws: unknown, layers: readonly number[], what: string): { W: Float64Array; b: Float64Array }[] {
  const L = layers.length - 1;
  check(Array.isArray(ws), `${what} must be an array of { W, b }, one per layer`);
  check(ws.length === L, `${what} lists ${ws.length} layers, the network has ${L}`);
  return (ws as LayerWeights[]).map((w, l) => {
    const inputs = layers[l]!, outputs = layers[l + 1]!;
    const where = `${what}[${l}]`;
    check(typeof w === 'object' && w !== null && Array.isArray(w.W) && Array.isArray(w.b), `${where} must be { W: number[][], b: number[] }`);
    check(w.W.length === inputs, `${where}.W has ${w.W.length} rows, expected ${inputs} (inputs x outputs)`);
    check(w.b.length === outputs, `${where}.b has ${w.b.length} values, expected ${outputs}`);
    const W = new Float64Array(inputs * outputs), b = new Float64Array(outputs);
    w.W.forEach((row, i) => {
      check(Array.isArray(row) && row.length === outputs, `${where}.W row ${i} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${outputs}`);
      row.forEach((v, j) => {
        check(typeof v === 'number' && Number.isFinite(v), `${where}.W[${i}][${j}] is ${String(v)}, not a finite number`);
        W[i * outputs + j] = v;
      });
    });
    w.b.forEach((v, j) => {
      check(typeof v === 'number' && Number.isFinite(v), `${where}.b[${j}] is ${String(v)}, not a finite number`);
      b[j] = v;
    });
    return { W, b };
  });
}
