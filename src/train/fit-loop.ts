// The epoch loop of fit: several epochs per backend call when nothing needs JS between epochs
// (no callback, validation, schedule or early stopping), one epoch per call otherwise.
import type { DataSet, Model } from '../backends/backend.js';
import { epochsPerCall } from '../checks/limits.js';
import { DivergenceError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import type { EpochLogs, Evaluation, History } from '../types.js';
import { EarlyStopping } from './early-stopping.js';
import { scheduledRate, type ResolvedFit } from './fit-options.js';

/** Milliseconds from a monotonic clock where there is one. */
export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Whether JS must run between epochs (one epoch per backend call). */
const jsBetweenEpochs = (o: ResolvedFit, yields: boolean): boolean =>
  Boolean(o.onEpochEnd || o.validationData || o.schedule || o.earlyStopping || yields);

/** Epochs the data set should make room for, per backend call. */
export function callEpochs(o: ResolvedFit, rows: number, yieldsBetweenEpochs: boolean): number {
  return epochsPerCall(o.epochs - o.initialEpoch, rows, o.shuffle, jsBetweenEpochs(o, yieldsBetweenEpochs));
}

/** A network's training counters, advanced as each epoch completes (so a checkpoint taken in a callback is current). */
export interface Counters {
  /** Optimizer steps taken (Adam's t). */
  steps: number;
  /** Epochs trained: fit's initialEpoch when resuming. */
  epochs: number;
}

/** What the loop needs from the network around it: validation, and the weights for early stopping's restore. */
export interface LoopHooks {
  /** With a schedule: its rate for initialEpoch, asked (and checked) before fit changed anything. */
  firstRate: number | null;
  validate: (() => Evaluation) | null;
  saveWeights: () => unknown;
  restoreWeights: (saved: unknown) => void;
}

/** An empty history with the arrays this fit will fill. */
export function emptyHistory(metric: 'accuracy' | 'mae', validation: boolean): History {
  return {
    epoch: [],
    loss: [],
    [metric]: [],
    learningRate: [],
    ...(validation ? { val_loss: [], [`val_${metric}`]: [] } : {}),
  };
}

/**
 * Appends `count` epochs from one backend call, from epoch `first`: losses scaled by lossScale, scores
 * divided by scoreDivisor. A plain function (V8 does not optimize a loop inside a generator) with one
 * loop: inside runEpochs it cost a third as much as the seed network's whole WASM epoch (bench: W0's
 * "fit outside the backend" row).
 */
function appendEpochs(
  history: History,
  metric: 'accuracy' | 'mae',
  first: number,
  count: number,
  losses: Float64Array,
  scores: Float64Array,
  lossScale: number,
  scoreDivisor: number,
  rate: number,
): void {
  const epochs = history.epoch,
    loss = history.loss,
    score = history[metric]!,
    rates = history.learningRate;
  const base = epochs.length;
  epochs.length = loss.length = score.length = rates.length = base + count;
  for (let e = 0; e < count; e++) {
    epochs[base + e] = first + e;
    loss[base + e] = losses[e]! * lossScale;
    score[base + e] = scores[e]! / scoreDivisor;
    rates[base + e] = rate;
  }
}

function push(history: History, key: keyof History, value: number): void {
  (history[key] as number[]).push(value);
}

/**
 * Runs epochs initialEpoch..epochs-1 (or until a callback or early stopping ends it) and fills
 * `history`, yielding after each backend call so an async driver can give the event loop a turn.
 * Each epoch's row order depends only on the shuffle stream, so split fits continue exactly.
 */
export function* runEpochs(
  model: Model,
  data: DataSet,
  o: ResolvedFit,
  rng: Rng,
  state: Counters,
  history: History,
  hooks: LoopHooks,
): Generator<void, void, void> {
  const n = data.rows,
    batches = Math.ceil(n / o.batchSize);
  const metric = model.spec.metric,
    width = model.spec.layers[model.spec.layers.length - 1]!.outputs;
  const scoreDivisor = metric === 'accuracy' ? n : n * width;
  const score = (sum: number): number => sum / scoreDivisor;
  const stopping = o.earlyStopping && new EarlyStopping(o.earlyStopping);
  let best: unknown = null;
  // When training ends normally (all epochs, early stopping or a callback's false), the best weights come back.
  const finish = (): void => {
    if (best !== null) hooks.restoreWeights(best);
  };
  for (let epoch = o.initialEpoch; epoch < o.epochs; ) {
    const count = Math.min(data.epochsPerCall, o.epochs - epoch);
    // The rate first: a schedule that fails leaves the shuffle stream where a resumed run expects it.
    const step = !o.schedule
      ? o.step
      : {
          ...o.step,
          learningRate:
            epoch === o.initialEpoch && hooks.firstRate !== null
              ? hooks.firstRate
              : scheduledRate(o.schedule, epoch, model.dtype),
        };
    const perms = data.perms;
    if (perms) {
      for (let e = 0; e < count; e++) {
        const perm = perms.subarray(e * n, (e + 1) * n);
        for (let i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
      }
    }
    const t0 = now();
    const r = model.trainEpochs(data, count, o.batchSize, step, state.steps);
    const samplesPerSecond = (n * Math.max(r.completed, 1)) / Math.max((now() - t0) / 1000, 1e-9);
    const scale = o.step.reduction === 'mean' ? 1 / n : 1;
    if (!jsBetweenEpochs(o, false) && count > 1) {
      // Many epochs per call and nothing reads per-epoch logs: the history in one pass, outside this generator.
      appendEpochs(history, metric, epoch, r.completed, r.losses, r.scores, scale, scoreDivisor, step.learningRate);
      epoch += r.completed;
      state.steps += batches * r.completed;
      state.epochs = epoch;
    } else if (r.completed === 1) {
      state.steps += batches;
      state.epochs = epoch + 1;
      const logs: EpochLogs = {
        loss: r.losses[0]! * scale,
        [metric]: score(r.scores[0]!),
        learningRate: step.learningRate,
        samplesPerSecond,
      };
      push(history, 'epoch', epoch);
      push(history, 'loss', logs.loss);
      push(history, metric, logs[metric]!);
      push(history, 'learningRate', step.learningRate);
      if (hooks.validate) {
        const v = hooks.validate();
        logs.val_loss = v.loss;
        logs[`val_${metric}`] = v[metric];
        push(history, 'val_loss', v.loss);
        push(history, `val_${metric}`, v[metric]!);
      }
      const verdict = stopping?.observe(epoch, logs);
      if (verdict?.improved && o.earlyStopping!.restoreBestWeights) best = hooks.saveWeights();
      if (stopping) history.bestEpoch = stopping.bestEpoch;
      const userStop = o.onEpochEnd !== null && o.onEpochEnd(epoch, logs) === false;
      epoch++;
      if (verdict?.stop) history.stoppedEpoch = epoch - 1;
      if (verdict?.stop || userStop) {
        finish();
        return;
      }
    }
    yield;
    if (r.failure) {
      state.steps += r.failedBatch;
      const what =
        r.failure === 'loss'
          ? `the loss became ${r.losses[r.completed]}`
          : 'the update would make weights or optimizer state non-finite';
      throw new DivergenceError(
        `fit: ${what} in epoch ${epoch}, batch ${r.failedBatch}; the network keeps the weights ` +
          `from before that batch. Try a lower learningRate (now ${step.learningRate}) or normalize the inputs.`,
        epoch,
        r.failedBatch,
      );
    }
  }
  finish();
}
