// A fit that applies no update (it diverged at its first batch, or fitAsync was aborted before its
// first epoch) leaves the network exactly as it was: the optimizer (fit switches it, zeroing its
// state, before the first batch), the step count, the shuffle stream and the epoch count.
import type { Model } from '../backends/backend.js';
import type { OptimizerName } from '../ops/optimizers.js';
import type { FloatArray } from '../types.js';
import type { Rng } from '../util/rng.js';
import type { Counters } from './fit-loop.js';

/** What a fit may change before its first update. */
export interface FitStart {
  optimizer: OptimizerName | null;
  steps: number;
  epochs: number;
  shuffle: number[];
  /** The optimizer state, copied only when this fit switches optimizer (and there was one). */
  state: FloatArray[][] | null;
}

/** Taken before the fit changes anything; `next` is the optimizer it trains with. */
export function fitStart(
  model: Model,
  rng: Rng,
  counters: Counters,
  optimizer: OptimizerName | null,
  next: OptimizerName,
): FitStart {
  const switching = optimizer !== null && optimizer !== next;
  return {
    optimizer,
    steps: counters.steps,
    epochs: counters.epochs,
    shuffle: rng.getState(),
    state: switching ? model.readOptimizerState() : null,
  };
}

/**
 * Puts back what the fit changed; `next` is the optimizer it prepared. Without an optimizer before
 * (a network never trained, whose checkpoint has no state), the prepared one's state is zeroed.
 */
export function undoFit(model: Model, rng: Rng, counters: Counters, start: FitStart, next: OptimizerName): void {
  if (start.optimizer === null) model.prepare(1, next, []);
  else if (start.state !== null) model.prepare(1, start.optimizer, start.state);
  counters.steps = start.steps;
  counters.epochs = start.epochs;
  rng.setState(start.shuffle);
}
