// From a CSV table to training arrays: numeric features, the target as classes (one-hot) or values,
// the Keras-style validation split (the last rows) and standardization from the training rows.
import { badValue, storable } from '../checks/data.js';
import type { DType } from '../index.node.js';
import { regression } from '../train/metrics.js';
import { CliError, dataError } from './errors.js';
import { columnIndex, type Table } from './csv.js';

export type Task = 'classification' | 'regression';
export interface Scaler { mean: number[]; std: number[] }

/** Rows x columns of numbers, row-major, checked field by field. */
export function numericColumns(table: Table, columns: string[]): Float64Array {
  const idx = columns.map((c) => columnIndex(table, c, 'feature column'));
  const out = new Float64Array(table.rows.length * idx.length);
  table.rows.forEach(({ line, fields }, r) => {
    idx.forEach((c, j) => {
      const raw = fields[c]!.trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) {
        throw dataError(table.file, line, `column "${table.header[c]}" ${raw === '' ? 'is empty' : `is not a number: "${raw}"`}; features must be numbers`);
      }
      out[r * idx.length + j] = v;
    });
  });
  return out;
}

/** The target column's text, row by row; an empty value is an error. */
export function targetValues(table: Table, target: string): string[] {
  const c = columnIndex(table, target, 'target column');
  return table.rows.map(({ line, fields }) => {
    const v = fields[c]!.trim();
    if (v === '') throw dataError(table.file, line, `column "${target}" (the target) is empty`);
    return v;
  });
}

export const isNumeric = (v: string): boolean => v.trim() !== '' && Number.isFinite(Number(v));

/**
 * Classes or a value. crossEntropy: classes. auto: a target column whose values are mostly (more
 * than half) finite numbers is numeric, and then every value must be one: NA, NaN, 1e309 (beyond a
 * double) or a word in it is an error on its line, never a switch to classes; a column of words
 * names classes. mse: every value must be a number.
 */
export function chooseTask(table: Table, values: string[], loss: 'auto' | 'mse' | 'crossEntropy', target: string): Task {
  if (loss === 'crossEntropy') return 'classification';
  if (loss === 'auto' && 2 * values.filter(isNumeric).length <= values.length) return 'classification';
  const r = values.findIndex((v) => !isNumeric(v));
  if (r < 0) return 'regression';
  const v = values[r]!, what = Number.isNaN(Number(v)) ? 'not a number' : 'not a finite number';
  throw dataError(table.file, table.rows[r]!.line, loss === 'mse'
    ? `--loss mse needs a numeric target, but column "${target}" has "${v}" (${what}): use --loss crossEntropy (or auto) to learn classes`
    : `column "${target}" (the target) holds numbers, but "${v}" here is ${what}: fix or remove the row (or give --loss crossEntropy to learn the values as class names)`);
}

/** Class names in a stable order: numerically if they are all numbers, else alphabetically. */
export function classNames(values: string[]): string[] {
  const names = [...new Set(values)];
  return names.every(isNumeric) ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

/** One-hot rows for the given class names; a value outside them is an error on its line. */
export function oneHot(table: Table, target: string, values: string[], classes: string[]): Float64Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  const out = new Float64Array(values.length * classes.length);
  values.forEach((v, r) => {
    const k = index.get(v);
    if (k === undefined) {
      throw dataError(table.file, table.rows[r]!.line, `column "${target}" has "${v}", which is not one of the model's classes (${classes.join(', ')})`);
    }
    out[r * classes.length + k] = 1;
  });
  return out;
}

/** Rows used for training: Keras' validation_split keeps the first floor(n * (1 - split)). */
export function trainingRows(rows: number, split: number): number {
  const n = Math.floor(rows * (1 - split));
  if (split > 0 && (n < 1 || n === rows)) {
    throw new CliError(`--validation-split ${split} of ${rows} rows leaves ${n === rows ? 'no validation' : 'no training'} rows: use more rows or another split`);
  }
  return n;
}

/** A standard deviation at most this fraction of a column's largest magnitude makes the column constant. */
export const CONSTANT = 1e-12;

/**
 * Mean and standard deviation of each column over the first `rows` rows. Both are computed on the
 * values divided by the column's largest magnitude m, so nothing overflows (finite data, finite
 * std, even near ±1e308) and the result does not depend on the data's scale (1e-13 or 1e13).
 * A column is constant when its std is at most CONSTANT·m: all values equal, or differing only in
 * the last digits a double carries (~16), which is rounding, not signal. It gets std m (1 when all
 * are 0), so its scaled values stay near 0.
 */
export function fitScaler(x: Float64Array, rows: number, cols: number): Scaler {
  const mean: number[] = [], std: number[] = [];
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m = Math.max(m, Math.abs(x[r * cols + j]!));
    const unit = m > 0 ? m : 1;
    let mu = 0, v = 0;
    for (let r = 0; r < rows; r++) mu += x[r * cols + j]! / unit / rows;
    for (let r = 0; r < rows; r++) v += (x[r * cols + j]! / unit - mu) ** 2 / rows;
    const sd = Math.sqrt(v);
    mean.push(mu * unit);
    std.push(sd > CONSTANT ? sd * unit : unit);
  }
  return { mean, std };
}

/** (v - mean) / std, without overflowing in v - mean when v and mean are near ±1e308. */
const standardize = (v: number, mean: number, std: number): number => {
  const d = v - mean;
  return Number.isFinite(d) ? d / std : v / std - mean / std;
};

export function scale(x: Float64Array, s: Scaler): Float64Array {
  const cols = s.mean.length;
  return x.map((v, i) => standardize(v, s.mean[i % cols]!, s.std[i % cols]!));
}

/**
 * Throws, on the row's line and column, if a scaled value `x` (rows x `columns`, from `table`) cannot
 * be stored in `dtype` (e.g. 1e300 in float32, or a value far outside the training rows' range).
 */
export function checkScaled(table: Table, columns: string[], x: Float64Array, dtype: DType, role = ''): void {
  const cols = columns.length;
  for (let i = 0; i < x.length; i++) {
    if (storable(x[i], dtype)) continue;
    const name = columns[i % cols]!;
    const bad = badValue(x[i], dtype, `column "${name}" once scaled${role}`);
    const { line, fields } = table.rows[Math.floor(i / cols)]!;
    throw dataError(table.file, line, `column "${name}" has ${fields[columnIndex(table, name)]!.trim()}: ${bad}`);
  }
}

export function unscale(x: ArrayLike<number>, s: Scaler): Float64Array {
  const cols = s.mean.length;
  return Float64Array.from(x, (v, i) => v * s.std[i % cols]! + s.mean[i % cols]!);
}

/**
 * Mean absolute and root-mean-square error (the library's evaluate metrics for one output), computed
 * on the errors divided by `unit` (the target's std) so their squares do not overflow near ±1e200.
 */
export function regressionMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>, unit = 1): { mae: number; rmse: number } {
  const { mae, rmse } = regression(Float64Array.from(pred, (v) => v / unit), Float64Array.from(truth, (v) => v / unit), truth.length, 1);
  return { mae: mae! * unit, rmse: rmse! * unit };
}
