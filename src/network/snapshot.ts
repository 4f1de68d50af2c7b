// A network's contents as model files hold them (src/format/model-data.ts), out and back in: the
// weights, and for a checkpoint the optimizer, its state and the training progress.
import type { Model } from '../backends/backend.js';
import type { Architecture } from '../checks/options.js';
import type { ModelData, TrainingState } from '../format/model-data.js';
import type { TrainingProgress } from './session.js';

/** What toJSON, checkpoint and toBytes encode; with `training`, a checkpoint (a network never trained stores sgd with no state). */
export function snapshotOf(
  model: Model,
  arch: Architecture,
  paramLayers: number,
  progress: TrainingProgress,
  training: boolean,
): ModelData {
  const { backend: _b, ...stored } = arch;
  const weights = Array.from({ length: paramLayers }, (_, l) => model.readParams(l));
  if (!training) return { arch: stored, weights };
  const { optimizer, counters, shuffleRng } = progress;
  return {
    arch: stored,
    weights,
    training: {
      optimizer: optimizer ?? 'sgd',
      steps: counters.steps,
      epochs: counters.epochs,
      shuffleState: shuffleRng.getState(),
      state: optimizer ? model.readOptimizerState() : weights.map(() => []),
    },
  };
}

/** Writes a loaded file's weights, and a checkpoint's optimizer state and progress, into a new network's model. */
export function restoreInto(model: Model, progress: TrainingProgress, data: ModelData): void {
  data.weights.forEach(({ W, b }, l) => model.writeParams(l, W, b));
  const t: TrainingState | undefined = data.training;
  if (!t) return;
  model.prepare(1, t.optimizer, t.state);
  [progress.optimizer, progress.counters.steps, progress.counters.epochs] = [t.optimizer, t.steps, t.epochs];
  progress.shuffleRng.setState(t.shuffleState);
}
