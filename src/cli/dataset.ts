// From a CSV table to training arrays: numeric features, the target as classes (one-hot) or values,
// the Keras-style validation split (the last rows) and standardization from the training rows.
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

/** auto: numbers are a regression target, anything else names classes. */
export function chooseTask(values: string[], loss: 'auto' | 'mse' | 'crossEntropy', target: string): Task {
  if (loss === 'crossEntropy') return 'classification';
  const numeric = values.every(isNumeric);
  if (loss === 'mse' && !numeric) {
    const bad = values.find((v) => !isNumeric(v))!;
    throw new CliError(`--loss mse needs a numeric target, but "${target}" has "${bad}": use --loss crossEntropy (or auto) to learn classes`);
  }
  return numeric ? 'regression' : 'classification';
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

/** Mean and standard deviation of each column over the first `rows` rows (a constant column gets std 1). */
export function fitScaler(x: Float64Array, rows: number, cols: number): Scaler {
  const mean = new Array<number>(cols).fill(0), std = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j]! += x[r * cols + j]! / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) std[j]! += (x[r * cols + j]! - mean[j]!) ** 2 / rows;
  return { mean, std: std.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

export function scale(x: Float64Array, s: Scaler): Float64Array {
  const cols = s.mean.length;
  return x.map((v, i) => (v - s.mean[i % cols]!) / s.std[i % cols]!);
}

export function unscale(x: ArrayLike<number>, s: Scaler): Float64Array {
  const cols = s.mean.length;
  return Float64Array.from(x, (v, i) => v * s.std[i % cols]! + s.mean[i % cols]!);
}

/** Mean absolute and root-mean-square error (the library's evaluate metrics for one output). */
export function regressionMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>): { mae: number; rmse: number } {
  const { mae, rmse } = regression(pred, truth, truth.length, 1);
  return { mae: mae!, rmse: rmse! };
}
