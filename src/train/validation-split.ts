// fit's validationSplit (Keras' validation_split): the last fraction of the rows, as given and before
// any shuffling, is held out as validation data; the first part trains. Training on the split is the
// same computation as training on the first part with the rest as validationData.
import { check, shown, ValidationError } from '../errors.js';
import type { FitOptions } from '../types.js';
import type { FloatArray } from '../util/float-array.js';

/**
 * The rows that train once `options.validationSplit` is held out (all of them when it is left out).
 * Checks the option: a number in (0, 1), not together with validationData, leaving at least one row
 * on each side. Options that are not an object are left to resolveFit to refuse.
 */
export function trainingRows(options: FitOptions, rows: number): number {
  if (typeof options !== 'object' || options === null) return rows;
  const split: unknown = options.validationSplit;
  if (split === undefined) return rows;
  check(
    typeof split === 'number' && split > 0 && split < 1,
    `validationSplit must be a number in (0, 1), the fraction of rows held out; got ${shown(split)}`,
  );
  if (options.validationData !== undefined) {
    throw new ValidationError(
      'fit: pass validationSplit or validationData, not both (validationSplit holds out the last rows of x and y as validation data)',
    );
  }
  const train = Math.floor(rows * (1 - split)); // Keras' formula, rounding included
  const held = rows - train;
  check(
    train >= 1 && held >= 1,
    `validationSplit ${split} of ${rows} row${rows === 1 ? '' : 's'} leaves ${train} for training and ${held} for validation; ` +
      'each side needs at least one row (pass more rows, or a split closer to 0.5)',
  );
  return train;
}

/** The training part of x and y (views, no copy), and options with the held-out rows (copies) as validationData. */
export interface HeldOut {
  x: FloatArray;
  y: FloatArray;
  rows: number;
  options: FitOptions;
}

/**
 * Applies `options.validationSplit` to flat rows x (width `inputs`) and y (width `outputs`); without
 * it, returns them and the options as they are. The held-out rows are copied, so a change to the
 * caller's arrays during training does not reach the validation data (as with validationData).
 */
export function holdOut(
  x: FloatArray,
  y: FloatArray,
  rows: number,
  inputs: number,
  outputs: number,
  options: FitOptions,
): HeldOut {
  const train = trainingRows(options, rows);
  if (train === rows) return { x, y, rows, options };
  const { validationSplit: _split, ...rest } = options;
  return {
    x: x.subarray(0, train * inputs),
    y: y.subarray(0, train * outputs),
    rows: train,
    options: { ...rest, validationData: [x.slice(train * inputs), y.slice(train * outputs)] },
  };
}
