// The target (classes, one-hot, or values; which task) and standardization from the training rows.
import { badValue, storable } from '../internal.js';
import type { DType } from '../index.node.js';
import { regression } from '../internal.js';
import { CliError, dataError } from './errors.js';
import { columnIndex, type Table } from './csv.js';

export type Task = 'classification' | 'regression';
export interface Scaler {
  mean: number[];
  std: number[];
}

/** The target column's text, row by row; an empty value is an error, with `hint` (columns.ts missingHint). */
export function targetValues(table: Table, target: string, hint: string): string[] {
  const c = columnIndex(table, target, 'target column');
  return table.rows.map(({ line, fields }) => {
    const v = fields[c]!.trim();
    if (v === '') throw dataError(table.file, line, `column "${target}" (the target) is empty${hint}`);
    return v;
  });
}

/** A field that is a finite number (surrounding spaces allowed). The CLI's one test of "is a number". */
export const isNumeric = (v: string): boolean => v.trim() !== '' && Number.isFinite(Number(v));

/**
 * Values written with decimal commas (0,5): some have a comma and every one is a number once its
 * comma becomes a point. Such a column is refused rather than read as text (or guessed at: "1,000"
 * could be a thousand or one): the message says to write decimal points.
 */
export const decimalCommas = (values: string[]): boolean =>
  values.some((v) => v.includes(',')) && values.every((v) => isNumeric(v.replace(',', '.')));

/** The error for a column of decimal commas (see decimalCommas). */
export const decimalCommaError = (file: string, column: string): CliError =>
  new CliError(
    `${file}: column "${column}" holds numbers written with decimal commas (such as 0,5), which would be read as text categories: write them with decimal points (0.5) and run again (the CLI does not guess whether a comma is a decimal or a thousands separator)`,
  );

export const TASKS = ['auto', 'classification', 'regression'] as const;
export type TaskFlag = (typeof TASKS)[number];

/** At most this many distinct integers (or √rows when larger), and at most half the rows, make a numeric target classes. */
export const MAX_INTEGER_CLASSES = 20;

export interface TaskChoice {
  task: Task;
  reason: string;
}

/**
 * Classes or a value. --task classification: classes. --task regression: every value must be a
 * number. auto: a column whose values are mostly (more than half) finite numbers is numeric, and
 * then every value must be one (NA, NaN or 1e309 is an error on its line, never a switch to classes);
 * a numeric column is classes when all its values are integers with at least 2 and at most
 * max(20, √rows) distinct values, and at most half as many distinct values as rows; otherwise a
 * value. A column of words names classes.
 */
export function chooseTask(table: Table, values: string[], flag: TaskFlag, target: string): TaskChoice {
  if (flag === 'classification') return { task: 'classification', reason: 'as --task classification says' };
  if (flag === 'auto' && 2 * values.filter(isNumeric).length <= values.length) {
    if (decimalCommas(values)) throw decimalCommaError(table.file, target);
    return { task: 'classification', reason: 'the target holds text' };
  }
  const r = values.findIndex((v) => !isNumeric(v));
  if (r >= 0) {
    const v = values[r]!,
      what = Number.isNaN(Number(v)) ? 'not a number' : 'not a finite number';
    throw dataError(
      table.file,
      table.rows[r]!.line,
      flag === 'regression'
        ? `a regression (--task regression, or --loss mse) needs a numeric target, but column "${target}" has "${v}" (${what}): use --task classification (or auto) to learn classes`
        : `column "${target}" (the target) holds numbers, but "${v}" here is ${what}: fix or remove the row (or give --task classification to learn the values as class names)`,
    );
  }
  if (flag === 'regression') return { task: 'regression', reason: 'as --task regression says' };
  const distinct = new Set(values.map(Number)).size;
  const limit = Math.min(
    Math.max(MAX_INTEGER_CLASSES, Math.floor(Math.sqrt(values.length))),
    Math.floor(values.length / 2),
  );
  if (values.every((v) => Number.isInteger(Number(v))) && distinct >= 2 && distinct <= limit) {
    return {
      task: 'classification',
      reason: `its ${distinct} distinct values are all integers (at most ${limit}); give --task regression to predict a number`,
    };
  }
  return {
    task: 'regression',
    reason:
      distinct <= limit
        ? 'its values are not all integers'
        : `it has ${distinct} distinct values (more than ${limit} makes a number, not classes)`,
  };
}

/** The old --loss flag as a --task: mse is regression, crossEntropy classification. */
export function taskFromFlags(task: string | undefined, loss: string | undefined): TaskFlag {
  const fromLoss =
    loss === undefined || loss === 'auto'
      ? undefined
      : loss === 'mse'
        ? 'regression'
        : loss === 'crossEntropy'
          ? 'classification'
          : null;
  if (fromLoss === null)
    throw new CliError(
      `--loss must be one of auto, mse, crossEntropy; got "${loss}" (--task classification|regression says the same)`,
    );
  if (task !== undefined && !(TASKS as readonly string[]).includes(task))
    throw new CliError(`--task must be one of ${TASKS.join(', ')}; got "${task}"`);
  if (task !== undefined && fromLoss !== undefined && task !== 'auto' && task !== fromLoss) {
    throw new CliError(`--loss ${loss} means --task ${fromLoss}, but --task ${task} is given: give one of them`);
  }
  return (task === undefined || task === 'auto' ? (fromLoss ?? 'auto') : task) as TaskFlag;
}

/**
 * Class labels that are all numbers, each written as String(Number(v)), so 1, 1.0 and 01 are one
 * class "1" (in training, in evaluate's targets and in the split); labels with any text stay as written.
 */
export function classLabels(values: string[]): string[] {
  return values.every(isNumeric) ? values.map((v) => String(Number(v))) : values;
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
      throw dataError(
        table.file,
        table.rows[r]!.line,
        `column "${target}" has "${v}", which is not one of the model's classes (${classes.join(', ')})`,
      );
    }
    out[r * classes.length + k] = 1;
  });
  return out;
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
  const mean: number[] = [],
    std: number[] = [];
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m = Math.max(m, Math.abs(x[r * cols + j]!));
    const unit = m > 0 ? m : 1;
    let mu = 0,
      v = 0;
    for (let r = 0; r < rows; r++) mu += x[r * cols + j]! / unit / rows;
    for (let r = 0; r < rows; r++) v += (x[r * cols + j]! / unit - mu) ** 2 / rows;
    const sd = Math.sqrt(v);
    mean.push(mu * unit);
    std.push(sd > CONSTANT ? sd * unit : unit);
  }
  return { mean, std };
}

/**
 * The scaler of an image's pixels: every column divided by one factor, the largest magnitude over the
 * training rows' pixels (255 for 8-bit images: pixels in [0, 1]), without centring. Per-column
 * standardization would give each position its own offset and scale, which the shared weights of a
 * convolution (and its zero padding) cannot follow; one factor keeps the image an image, and folds
 * exactly into the first layer's weights on export.
 */
export function pixelScaler(x: Float64Array, rows: number, cols: number): Scaler {
  let m = 0;
  for (let i = 0; i < rows * cols; i++) m = Math.max(m, Math.abs(x[i]!));
  return { mean: new Array<number>(cols).fill(0), std: new Array<number>(cols).fill(m > 0 ? m : 1) };
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
export function regressionMetrics(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  unit = 1,
): { mae: number; rmse: number } {
  const { mae, rmse } = regression(
    Float64Array.from(pred, (v) => v / unit),
    Float64Array.from(truth, (v) => v / unit),
    truth.length,
    1,
  );
  return { mae: mae! * unit, rmse: rmse! * unit };
}
