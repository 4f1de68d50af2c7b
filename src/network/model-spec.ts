// What a backend builds a model from (backends/backend.ts ModelSpec), derived from a resolved architecture.
import type { ModelSpec } from '../backends/backend.js';
import type { Architecture } from '../checks/options.js';
import { metricOf } from '../ops/activations.js';

/** The dense layers with their activations and dropout, the image layers before them, the loss and metric, the dropout seed. */
export function modelSpecOf(arch: Architecture): ModelSpec {
  return {
    loss: arch.loss,
    metric: metricOf(arch.activations.at(-1)!),
    dropoutSeed: (arch.seed ^ 0x2545f491) >>> 0,
    layers: arch.activations.map((activation, l) => ({
      inputs: arch.layers[l]!,
      outputs: arch.layers[l + 1]!,
      activation,
      dropout: arch.dropout[l] ?? 0,
    })),
    image: arch.spatial.length ? { inputShape: arch.inputShape, layers: arch.spatial } : null,
  };
}
