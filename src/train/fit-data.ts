// What fit checks before anything changes: x, y (rows or class labels), their targets, the held-out
// split, the options, a schedule's first rate and validationData. Nothing here touches the network.
import { asFlat, rowCount, toFlat } from '../checks/data.js';
import { expandLabels } from '../checks/labels.js';
import { checkTargets } from '../checks/targets.js';
import { check } from '../errors.js';
import type { Metric, ActivationName } from '../ops/activations.js';
import type { DType, FitOptions, FloatArray, LossName, Matrix, Targets } from '../types.js';
import { resolveFit, scheduledRate, type ResolvedFit } from './fit-options.js';
import { holdOut } from './validation-split.js';

/** The network's side of the checks. */
export interface FitShape {
  inputs: number;
  outputs: number;
  dtype: DType;
  loss: LossName;
  output: ActivationName;
  metric: Metric;
  memoryLimit: number;
}

export interface FitData {
  x: FloatArray;
  y: FloatArray;
  rows: number;
  options: ResolvedFit;
  firstRate: number | null;
  val: { x: { data: FloatArray; rows: number }; y: { data: FloatArray; rows: number } } | null;
}

export function checkFitData(x: Matrix, y: Targets, options: FitOptions, n: FitShape): FitData {
  const { inputs, outputs, dtype, loss, output } = n;
  // Checked in place when already flat arrays of the dtype: the backend's loadData makes the one copy.
  const xAll = asFlat(x, inputs, dtype, 'fit x'),
    allRows = xAll.length / inputs;
  const yAll = asFlat(
      expandLabels(y, outputs, output, dtype, 'fit y', allRows, n.memoryLimit),
      outputs,
      dtype,
      'fit y',
    ),
    yRows = yAll.length / outputs;
  check(allRows === yRows, `fit: x has ${allRows} rows but y has ${yRows}`);
  checkTargets(yAll, outputs, loss, output, 'fit y');
  const { x: xs, y: ys, rows, options: fitOptions } = holdOut(xAll, yAll, allRows, inputs, outputs, options);
  const o = resolveFit(fitOptions, rows, dtype, n.metric);
  // A schedule is asked for its first rate now, so a bad one is refused before anything changes.
  const firstRate = o.schedule ? scheduledRate(o.schedule, o.initialEpoch, dtype) : null;
  const val = o.validationData
    ? {
        x: toFlat(o.validationData[0], inputs, dtype, 'validationData x'),
        y: toFlat(
          expandLabels(
            o.validationData[1],
            outputs,
            output,
            dtype,
            'validationData y',
            rowCount(o.validationData[0], inputs, 'validationData x'),
            n.memoryLimit,
          ),
          outputs,
          dtype,
          'validationData y',
        ),
      }
    : null;
  if (val) {
    check(val.x.rows === val.y.rows, `validationData: x has ${val.x.rows} rows but y has ${val.y.rows}`);
    checkTargets(val.y.data, outputs, loss, output, 'validationData y');
  }
  return { x: xs, y: ys, rows, options: o, firstRate, val };
}
