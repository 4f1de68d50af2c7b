// The validation split: a seeded shuffle (stratified by class for a classification, so each class
// keeps its share on both sides), or the file's order with --split-order file (the last rows
// validate, as Keras' validation_split does). The table's rows are reordered: training rows first.
import { Rng } from '../internal.js';
import type { Table } from './csv.js';
import { CliError } from './errors.js';

export const SPLIT_ORDERS = ['shuffle', 'file'] as const;
export type SplitOrder = (typeof SPLIT_ORDERS)[number];

function shuffled(items: number[], rng: Rng): number[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Rows used for training: floor(n * (1 - split)); each side needs a row when split > 0. */
export function trainingRows(rows: number, split: number): number {
  const n = Math.floor(rows * (1 - split));
  if (split > 0 && (n < 1 || n === rows)) {
    throw new CliError(
      `--validation-split ${split} of ${rows} rows leaves ${n === rows ? 'no validation' : 'no training'} rows: use more rows or another split`,
    );
  }
  return n;
}

/**
 * The row order for training then validation. `groups` (the class of each row, or null for a
 * regression) stratifies the shuffle: each class gives its share of the validation rows (largest
 * remainders decide the rounding, and a class never gives all its rows).
 */
export function splitOrder(
  rows: number,
  split: number,
  order: SplitOrder,
  seed: number,
  groups: string[] | null,
): { order: number[]; nTrain: number } {
  const nTrain = trainingRows(rows, split);
  const all = Array.from({ length: rows }, (_, i) => i);
  if (order === 'file' || nTrain === rows) return { order: all, nTrain };
  const rng = new Rng(seed ^ 0x5eed);
  if (!groups) {
    const s = shuffled(all, rng);
    return { order: s, nTrain };
  }
  const byClass = new Map<string, number[]>();
  groups.forEach((g, i) => (byClass.get(g) ?? byClass.set(g, []).get(g)!).push(i));
  const classes = [...byClass.keys()].sort();
  const nVal = rows - nTrain;
  const want = classes.map((c) => (byClass.get(c)!.length * nVal) / rows);
  const take = want.map((w, k) => Math.min(Math.floor(w), byClass.get(classes[k]!)!.length - 1));
  let left = nVal - take.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((_, k) => k)
    .sort((a, b) => want[b]! - Math.floor(want[b]!) - (want[a]! - Math.floor(want[a]!)) || a - b);
  for (let pass = 0; left > 0 && pass < 2; pass++) {
    for (const k of byRemainder) {
      if (left > 0 && take[k]! < byClass.get(classes[k]!)!.length - 1) {
        take[k]!++;
        left--;
      }
    }
  }
  let train: number[] = [],
    val: number[] = [];
  classes.forEach((c, k) => {
    const rowsOf = shuffled(byClass.get(c)!, rng);
    val = val.concat(rowsOf.slice(0, take[k])); // concat, not push(...): a class may have a million rows
    train = train.concat(rowsOf.slice(take[k]));
  });
  const t = shuffled(train, rng),
    v = shuffled(val, rng);
  return { order: [...t, ...v], nTrain: t.length };
}

/** The table with its rows in `order`. */
export const reorder = (table: Table, order: number[]): Table => ({ ...table, rows: order.map((i) => table.rows[i]!) });
