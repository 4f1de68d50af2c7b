// The batch buffers of a network's training step, decided once: both backends allocate what this
// lists (rows x outputs elements each), and checks/limits.ts sums it for fit's memory check.
import { derivativeFromInput } from '../ops/activations.js';
import { dropoutThreshold } from '../ops/dropout.js';
import { lossOp } from '../ops/losses.js';
import type { LayerSpec, ModelSpec } from './backend.js';

/**
 * A: activations out of the layer; D: its deltas dL/dZ; Z: z + b, kept for the output layer when
 * the loss needs its logits, and for any layer whose activation's derivative is taken from z;
 * mask and dropped: dropout's mask and A ⊙ mask.
 */
export type BatchBuffer = 'A' | 'D' | 'Z' | 'mask' | 'dropped';

export type PlanSpec = Pick<ModelSpec, 'loss'> & { layers: readonly Pick<LayerSpec, 'inputs' | 'outputs' | 'activation' | 'dropout'>[] };

/** Per layer, the buffers its training step needs, in allocation order. */
export function batchBuffers(spec: PlanSpec): BatchBuffer[][] {
  const last = spec.layers.length - 1, logits = lossOp(spec.loss).needsLogits;
  return spec.layers.map((l, i) => [
    'A', 'D',
    ...((i === last && logits) || derivativeFromInput(l.activation) ? ['Z' as const] : []),
    ...(dropoutThreshold(l.dropout) > 0 ? ['mask' as const, 'dropped' as const] : []),
  ]);
}

/** Elements per batch row: every layer's buffers, and the gathered input and target rows. */
export function batchElementsPerRow(spec: PlanSpec): number {
  const buffers = batchBuffers(spec).reduce((s, list, i) => s + list.length * spec.layers[i]!.outputs, 0);
  return buffers + spec.layers[0]!.inputs + spec.layers[spec.layers.length - 1]!.outputs;
}
