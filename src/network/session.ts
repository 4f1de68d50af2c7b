// fit's session: checks everything, copies the data in and makes every buffer training needs (all
// or nothing), then hands out the epoch loop; the data's memory is released when the loop ends.
import type { Model } from '../backends/backend.js';
import type { Architecture } from '../checks/options.js';
import { checkFitSize } from '../checks/limits.js';
import type { OptimizerName } from '../ops/optimizers.js';
import { callEpochs, emptyHistory, runEpochs, type Counters } from '../train/fit-loop.js';
import { checkFitData } from '../train/fit-data.js';
import { fitStart, undoFit } from '../train/undo.js';
import type { Evaluation, FitOptions, FloatArray, History, Matrix, Targets } from '../types.js';
import type { Rng } from '../util/rng.js';
import { allocFloat } from '../util/float-array.js';
import { bufferRows } from './inference.js';

/** What training advances and a checkpoint stores: the step and epoch counts, the optimizer they were taken with, the shuffle stream. */
export interface TrainingProgress {
  readonly counters: Counters;
  optimizer: OptimizerName | null;
  readonly shuffleRng: Rng;
}

/** What a session needs from its Network. */
export interface SessionHost {
  readonly model: Model;
  readonly arch: Architecture;
  readonly memoryLimit: number;
  readonly state: TrainingProgress;
  /** Layers with parameters (early stopping saves and restores each). */
  readonly paramLayers: number;
  disposed(): boolean;
  /** Loss and metrics of flat rows (validation). */
  evaluate(x: FloatArray, y: FloatArray, rows: number, pred?: FloatArray): Evaluation;
}

/** The epoch loop of one fit (a generator that yields between backend calls) and the history it fills. */
export function openSession(
  host: SessionHost,
  x: Matrix,
  y: Targets,
  options: FitOptions,
  yields: boolean,
): { steps: Generator<void, void, void>; history: History } {
  const { model, arch, state } = host;
  const { dtype, loss } = arch;
  const inputs = arch.inputShape.reduce((a, b) => a * b, 1),
    outputs = arch.layers.at(-1)!;
  const {
    x: xs,
    y: ys,
    rows: xRows,
    options: o,
    firstRate,
    val,
  } = checkFitData(x, y, options, {
    inputs,
    outputs,
    dtype,
    loss,
    output: arch.activations.at(-1)!,
    metric: model.spec.metric,
    memoryLimit: host.memoryLimit,
  });
  const perCall = callEpochs(o, xRows, yields);
  // Batch buffers for the batches, and for validation's forward passes, so training allocates nothing.
  const rows = Math.max(o.batchSize, val ? bufferRows(model.spec, dtype, val.x.rows) : 0);
  checkFitSize(model.spec, dtype, xRows, rows, perCall, o.shuffle, host.memoryLimit);

  // The data goes in first, then the buffers and optimizer state: if memory runs out at either,
  // what was taken is given back and nothing about the network has changed.
  const next = o.step.optimizer.name,
    start = fitStart(model, state.shuffleRng, state.counters, state.optimizer, next);
  const data = model.loadData(xs, ys, xRows, perCall, o.shuffle);
  try {
    model.prepare(rows, next);
  } catch (e) {
    data.release();
    throw e;
  }
  if (next !== state.optimizer) {
    state.counters.steps = 0;
    state.optimizer = next;
  }
  const firstSteps = state.counters.steps;
  const history = emptyHistory(model.spec.metric, Boolean(val));
  // Validation's outputs, made once: an epoch's validation allocates no array of them.
  const valPred = val ? allocFloat(dtype, val.x.rows * outputs) : null;
  function* steps(): Generator<void, void, void> {
    try {
      if (yields) yield; // fitAsync returns before the first epoch: an abort right after the call stops it
      yield* runEpochs(model, data, o, state.shuffleRng, state.counters, history, {
        firstRate,
        validate: val && (() => host.evaluate(val.x.data, val.y.data, val.x.rows, valPred!)),
        saveWeights: () => Array.from({ length: host.paramLayers }, (_, l) => model.readParams(l)),
        restoreWeights: (saved) =>
          (saved as { W: FloatArray; b: FloatArray }[]).forEach(({ W, b }, l) => model.writeParams(l, W, b)),
      });
    } finally {
      data.release();
      // No update applied (src/train/undo.ts): the network is as it was before the call.
      if (state.counters.steps === firstSteps && !host.disposed()) {
        undoFit(model, state.shuffleRng, state.counters, start, next);
        state.optimizer = start.optimizer;
      }
    }
  }
  return { steps: steps(), history };
}
