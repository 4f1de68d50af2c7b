// The epoch loop of fit: several epochs per backend call when nothing needs JS between epochs
// (no onEpochEnd, no validation), one epoch per call otherwise.
import type { DataSet, Model } from '../backends/backend.js';
import { DivergenceError } from '../errors.js';
import type { ResolvedFit } from './fit-options.js';
import { epochsPerCall } from '../checks/limits.js';
import type { Rng } from '../util/rng.js';
import type { EpochLogs, Evaluation, History } from '../types.js';

/** Milliseconds from a monotonic clock where there is one. */
export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Epochs the data set should make room for, per backend call (one when JS must run between epochs). */
export function callEpochs(o: ResolvedFit, rows: number, yieldsBetweenEpochs: boolean): number {
  return epochsPerCall(o.epochs - o.initialEpoch, rows, o.shuffle, Boolean(o.onEpochEnd || o.validationData || yieldsBetweenEpochs));
}

/** A network's training counters, advanced as each epoch completes (so a checkpoint taken in a callback is current). */
export interface Counters {
  /** Optimizer steps taken (Adam's t). */
  steps: number;
  /** Epochs trained: fit's initialEpoch when resuming. */
  epochs: number;
}

/**
 * Runs epochs initialEpoch..epochs-1 (or until onEpochEnd returns false) and fills `history`,
 * yielding after each backend call so an async driver can give the event loop a turn. Each epoch's
 * row order depends only on the shuffle stream, so split fits continue exactly.
 */
export function* runEpochs(model: Model, data: DataSet, o: ResolvedFit, rng: Rng, state: Counters,
  history: History, validate: (() => Evaluation) | null): Generator<void, void, void> {
  const n = data.rows;
  const batches = Math.ceil(n / o.batchSize);
  for (let epoch = o.initialEpoch; epoch < o.epochs;) {
    const count = Math.min(data.epochsPerCall, o.epochs - epoch);
    const perms = data.perms;
    if (perms) {
      for (let e = 0; e < count; e++) {
        const perm = perms.subarray(e * n, (e + 1) * n);
        for (let i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
      }
    }
    const t0 = now();
    const r = model.trainEpochs(data, count, o.batchSize, o.step, state.steps);
    const samplesPerSecond = (n * Math.max(r.completed, 1)) / Math.max((now() - t0) / 1000, 1e-9);
    const scale = o.step.reduction === 'mean' ? 1 / n : 1;
    if (!validate && !o.onEpochEnd) {
      // Many epochs per call and nothing reads per-epoch logs: grow the history once, then fill it.
      const base = history.epoch.length;
      history.epoch.length = history.loss.length = history.accuracy.length = base + r.completed;
      for (let e = 0; e < r.completed; e++) {
        history.epoch[base + e] = epoch + e;
        history.loss[base + e] = r.losses[e]! * scale;
        history.accuracy[base + e] = r.correct[e]! / n;
      }
      epoch += r.completed;
      state.steps += batches * r.completed;
      state.epochs = epoch;
    } else {
      for (let e = 0; e < r.completed; e++, epoch++) {
        state.steps += batches;
        state.epochs = epoch + 1;
        const loss = r.losses[e]! * scale, accuracy = r.correct[e]! / n;
        history.epoch.push(epoch);
        history.loss.push(loss);
        history.accuracy.push(accuracy);
        const logs: EpochLogs = { loss, accuracy, samplesPerSecond };
        if (validate) {
          const v = validate();
          logs.val_loss = v.loss;
          logs.val_accuracy = v.accuracy;
          history.val_loss!.push(v.loss);
          history.val_accuracy!.push(v.accuracy);
        }
        if (o.onEpochEnd && o.onEpochEnd(epoch, logs) === false) return;
      }
    }
    yield;
    if (r.failure) {
      state.steps += r.failedBatch;
      const what = r.failure === 'loss'
        ? `the loss became ${r.losses[r.completed]}`
        : 'the update would make weights or optimizer state non-finite';
      throw new DivergenceError(`fit: ${what} in epoch ${epoch}, batch ${r.failedBatch}; the network keeps the weights `
        + `from before that batch. Try a lower learningRate (now ${o.step.learningRate}) or normalize the inputs.`,
      epoch, r.failedBatch);
    }
  }
}
