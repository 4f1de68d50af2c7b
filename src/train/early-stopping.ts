// Early stopping with Keras' semantics: an epoch improves when its monitored value beats the best
// so far by more than minDelta (lower is better for losses and errors, higher for accuracy);
// training stops at the epoch that makes `patience` epochs in a row without improvement (at least
// one: with patience 0, the first epoch that does not improve), so the last epoch run is
// best + max(patience, 1); with restoreBestWeights the network ends with the weights of the best epoch.
import { check, shown } from '../errors.js';
import { checkKeys } from '../checks/options.js';
import type { EarlyStoppingOptions, EpochLogs, Monitor } from '../types.js';

const MONITORS: readonly Monitor[] = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'mae', 'val_mae'];

export interface ResolvedEarlyStopping {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export function resolveEarlyStopping(o: unknown, hasValidation: boolean, regression: boolean): ResolvedEarlyStopping {
  check(
    typeof o === 'object' && o !== null && !Array.isArray(o),
    `earlyStopping must be an object like { monitor: 'val_loss', patience: 3 }; got ${shown(o)}`,
  );
  checkKeys(o, ['monitor', 'patience', 'minDelta', 'restoreBestWeights'], 'earlyStopping');
  const e = o as EarlyStoppingOptions;
  // Left out means the default; null is a value, and refused.
  const or = <T>(v: T | undefined, fallback: T): T => (v === undefined ? fallback : v);
  const monitor = or<unknown>(e.monitor, hasValidation ? 'val_loss' : 'loss') as Monitor;
  check(
    MONITORS.includes(monitor),
    `earlyStopping monitor ${shown(monitor)} is not one of ${MONITORS.map((m) => `'${m}'`).join(', ')}`,
  );
  check(
    !monitor.startsWith('val_') || hasValidation,
    `earlyStopping monitor '${monitor}' needs validation data (validationData or validationSplit)`,
  );
  check(
    !monitor.endsWith('accuracy') || !regression,
    `earlyStopping monitor '${monitor}': a network with a regression output reports mae, not accuracy`,
  );
  check(
    !monitor.endsWith('mae') || regression,
    `earlyStopping monitor '${monitor}': only a network with a regression output reports mae`,
  );
  const patience = or<unknown>(e.patience, 0),
    minDelta = or<unknown>(e.minDelta, 0),
    restoreBestWeights = or<unknown>(e.restoreBestWeights, false);
  check(
    typeof patience === 'number' && Number.isInteger(patience) && patience >= 0,
    `earlyStopping patience must be an integer >= 0; got ${shown(patience)}`,
  );
  check(
    typeof minDelta === 'number' && Number.isFinite(minDelta) && minDelta >= 0,
    `earlyStopping minDelta must be a number >= 0; got ${shown(minDelta)}`,
  );
  check(
    typeof restoreBestWeights === 'boolean',
    `earlyStopping restoreBestWeights must be true or false; got ${shown(restoreBestWeights)}`,
  );
  return { monitor, patience, minDelta, restoreBestWeights };
}

/** Follows one fit: `observe` after each epoch says whether it was the best so far and whether to stop. */
export class EarlyStopping {
  private best: number;
  private wait = 0;
  bestEpoch = -1;
  private readonly higherIsBetter: boolean;

  constructor(readonly o: ResolvedEarlyStopping) {
    this.higherIsBetter = o.monitor.endsWith('accuracy');
    this.best = this.higherIsBetter ? -Infinity : Infinity;
  }

  observe(epoch: number, logs: EpochLogs): { improved: boolean; stop: boolean } {
    const value = logs[this.o.monitor];
    if (value === undefined) throw new Error(`earlyStopping: the epoch logs have no '${this.o.monitor}'`);
    const improved = this.higherIsBetter ? value - this.o.minDelta > this.best : value + this.o.minDelta < this.best;
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return { improved, stop: false };
    }
    this.wait++;
    return { improved, stop: this.wait >= this.o.patience };
  }
}
