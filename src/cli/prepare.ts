// From a CSV file to what `train` fits: the feature columns and their encoding, missing values, the
// task, the class names, the validation split (training rows first) and standardized arrays.
import type { DType, FloatArray } from '../index.node.js';
import {
  columnList,
  columnMeans,
  dropMissing,
  encode,
  encodings,
  featureColumns,
  fillMissing,
  idLike,
  inputNames,
  missingHint,
  type Encoding,
  type Missing,
} from './columns.js';
import { columnIndex, readTable, type Table } from './csv.js';
import {
  checkScaled,
  chooseTask,
  classLabels,
  classNames,
  fitScaler,
  oneHot,
  pixelScaler,
  scale,
  targetValues,
  type Scaler,
  type Task,
  type TaskFlag,
} from './dataset.js';
import { CliError } from './errors.js';
import { reorder, splitOrder, type SplitOrder } from './split.js';

export interface PrepareOptions {
  file: string;
  target: string;
  features?: string;
  ignore?: string;
  delimiter?: string;
  missing: Missing;
  task: TaskFlag;
  split: number;
  splitOrder: SplitOrder;
  seed: number;
  dtype: DType;
  /** --input-shape: each row is an image of this shape, its feature columns the pixels (numeric, scaled by one factor). */
  inputShape?: readonly number[] | null;
}

export interface Prepared {
  table: Table;
  features: string[];
  encoding: Encoding[];
  inputs: string[];
  fill: Record<string, number> | null;
  task: Task;
  /** Why the task was chosen, in the CLI's terms. */
  taskReason: string;
  classes: string[] | null;
  targets: string[];
  scaler: Scaler;
  targetScaler: Scaler | null;
  x: FloatArray;
  y: FloatArray;
  nTrain: number;
  /** Rows left out by --missing drop (or, with --missing mean, for an empty target). */
  dropped: number;
  /** Things worth a warning (e.g. validation rows of one class). */
  warnings: string[];
}

const typed = (dtype: DType, a: Float64Array): FloatArray => (dtype === 'float64' ? a : Float32Array.from(a));

export function prepare(o: PrepareOptions): Prepared {
  // The header is checked before any data row: the target and the --features / --ignore columns.
  let table = readTable(o.file, {
    delimiter: o.delimiter,
    header: (t) => {
      columnIndex(t, o.target, 'target column');
      if (o.features !== undefined) columnList(t, o.features, 'features');
      if (o.ignore !== undefined) columnList(t, o.ignore, 'ignore');
    },
  });
  const features = featureColumns(table, o.target, o.features, o.ignore);
  const image = o.inputShape ?? null;
  if (image) checkImageColumns(o.file, image, features);
  let dropped = 0;
  if (o.missing !== 'error')
    ({ table, dropped } = dropMissing(table, o.missing === 'drop' ? [o.target, ...features] : [o.target]));
  let targets = targetValues(table, o.target, missingHint('train', o.missing));
  const { task, reason } = chooseTask(table, targets, o.task, o.target);
  if (task === 'classification') targets = classLabels(targets);
  const classes = task === 'classification' ? classNames(targets) : null;
  if (classes && classes.length < 2)
    throw new CliError(`the rows of "${o.target}" hold one class ("${classes[0]}"): there is nothing to tell apart`);
  // Encoded in the file's order, so a bad field is reported at the first line that has one.
  const encoding = encodings(table, features);
  const text = encoding.filter((e) => e.categories);
  if (image && text.length) {
    throw new CliError(
      `${o.file}: ${text.length > 1 ? 'columns' : 'column'} ${text.map((e) => `"${e.column}"`).join(', ')} ${text.length > 1 ? 'hold' : 'holds'} text, but with --input-shape every feature column is a pixel and must be a number (one-hot categories are no image): leave ${text.length > 1 ? 'them' : 'it'} out with --ignore, or drop --input-shape to train on the table's columns`,
    );
  }
  const inputs = inputNames(encoding),
    width = inputs.length;
  const warnings = idLike(table, encoding).map(
    (c) =>
      `column "${c}" looks like a row ID (distinct consecutive integers) but is a feature: leave it out with --ignore "${c}"`,
  );
  const inFileOrder = encode(table, encoding, o.missing === 'mean' ? 'later' : null, missingHint('train', o.missing));
  const { order, nTrain } = splitOrder(table.rows.length, o.split, o.splitOrder, o.seed, classes ? targets : null);
  table = reorder(table, order);
  const raw = new Float64Array(inFileOrder.length);
  order.forEach((from, to) => raw.set(inFileOrder.subarray(from * width, (from + 1) * width), to * width));
  targets = order.map((i) => targets[i]!);
  const rows = table.rows.length;
  if (classes) {
    const unseen = classNames(targets.slice(nTrain)).filter((c) => !targets.slice(0, nTrain).includes(c));
    if (unseen.length)
      throw new CliError(
        `the validation rows (the last ${rows - nTrain}) have classes never seen in training (${unseen.join(', ')}): drop --split-order file (a stratified shuffle) or change --validation-split`,
      );
    const held = new Set(targets.slice(nTrain));
    if (nTrain < rows && held.size === 1) {
      warnings.push(
        `the ${rows - nTrain} validation rows are all of class "${[...held][0]}": val_accuracy says little${o.splitOrder === 'file' ? ' (the file is sorted? drop --split-order file for a stratified shuffle)' : ''}`,
      );
    }
  }

  const fill = o.missing === 'mean' ? columnMeans(table, encoding, nTrain) : null;
  if (fill) fillMissing(raw, encoding, fill);
  // Images: one factor for every pixel (see pixelScaler); a table: each column standardized.
  const fitted = image ? pixelScaler(raw, nTrain, width) : fitScaler(raw, nTrain, width);
  // One-hot inputs stay 0/1 (mean 0, std 1), so the scaler folds into an export as the identity there.
  let at = 0;
  for (const e of encoding) {
    if (!e.categories) {
      at++;
      continue;
    }
    for (const _ of e.categories) {
      fitted.mean[at] = 0;
      fitted.std[at] = 1;
      at++;
    }
  }
  const scaled = scale(raw, fitted);
  checkScaled(table, inputs, scaled, o.dtype, " with the training rows' mean and std");

  let targetScaler: Scaler | null = null,
    y: Float64Array;
  if (classes) {
    y = oneHot(table, o.target, targets, classes);
  } else {
    const values = Float64Array.from(targets, Number);
    targetScaler = fitScaler(values, nTrain, 1);
    y = scale(values, targetScaler);
    checkScaled(table, [o.target], y, o.dtype, " with the training rows' mean and std");
  }
  return {
    table,
    features,
    encoding,
    inputs,
    fill,
    task,
    taskReason: reason,
    classes,
    targets,
    scaler: fitted,
    targetScaler,
    x: typed(o.dtype, scaled),
    y: typed(o.dtype, y),
    nTrain,
    dropped,
    warnings,
  };
}

/** --input-shape's values per row must be the number of feature columns. */
function checkImageColumns(file: string, shape: readonly number[], features: string[]): void {
  const values = shape.reduce((a, b) => a * b, 1);
  if (values === features.length) return;
  throw new CliError(
    `--input-shape ${shape.join(',')} is ${values} values per row (${shape.join('×')}), but ${file} has ${features.length} feature column${features.length === 1 ? '' : 's'}` +
      ` (${features.length > 6 ? `${features.slice(0, 3).join(', ')}, ..., ${features.at(-1)}` : features.join(', ')}): each row must be one image, flattened channels-last (height, width, channels); choose the pixel columns with --features or --ignore`,
  );
}
