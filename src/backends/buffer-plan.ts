// The batch buffers of a network's training step, decided once: both backends allocate what this
// lists (rows x outputs elements each), and checks/limits.ts sums it for fit's memory check.
import { derivativeFromInput } from '../ops/activations.js';
import { dropoutThreshold } from '../ops/dropout.js';
import { lossOp } from '../ops/losses.js';
import type { LayerSpec, ModelSpec } from './backend.js';
import { spatialShapes } from '../layers/spatial.js';
import { convWindow } from '../layers/conv2d.js';

/**
 * A: activations out of the layer; D: its deltas dL/dZ; Z: z + b, kept for the output layer when
 * the loss needs its logits, and for any layer whose activation's derivative is taken from z;
 * mask and dropped: dropout's mask and A ⊙ mask.
 */
export type BatchBuffer = 'A' | 'D' | 'Z' | 'mask' | 'dropped';

export type PlanSpec = Pick<ModelSpec, 'loss' | 'image'> & { layers: readonly Pick<LayerSpec, 'inputs' | 'outputs' | 'activation' | 'dropout'>[] };

/** Per layer, the buffers its training step needs, in allocation order. */
export function batchBuffers(spec: PlanSpec): BatchBuffer[][] {
  const last = spec.layers.length - 1, logits = lossOp(spec.loss).needsLogits;
  return spec.layers.map((l, i) => [
    'A', 'D',
    ...((i === last && logits) || derivativeFromInput(l.activation) ? ['Z' as const] : []),
    ...(dropoutThreshold(l.dropout) > 0 ? ['mask' as const, 'dropped' as const] : []),
  ]);
}

/** Elements of one input row: the image's when image layers come first. */
export const inputWidth = (spec: PlanSpec): number => (spec.image ? spec.image.inputShape.reduce((a, b) => a * b, 1) : spec.layers[0]!.inputs);

/**
 * Per image layer, the buffers of its training step (as many elements per row as its output):
 * A and D; Z for a conv layer whose activation's derivative is taken from z; max pooling's argmax (i32).
 */
export function imageBuffers(image: ModelSpec['image']): { elements: number; buffers: ('A' | 'D' | 'Z' | 'argmax')[] }[] {
  if (!image) return [];
  return spatialShapes(image.inputShape, image.layers).map(({ output }, i) => {
    const c = image.layers[i]!;
    return {
      elements: output.reduce((a, b) => a * b, 1),
      buffers: ['A', 'D', ...(c.type === 'conv2d' && derivativeFromInput(c.activation) ? ['Z' as const] : []), ...(c.type === 'maxPooling2d' ? ['argmax' as const] : [])],
    };
  });
}

/**
 * Elements per batch row of the im2col scratch the WebAssembly kernels share between conv layers:
 * the widest conv layer's outH·outW windows of kh·kw·inChannels (0 without conv layers).
 */
export function imageScratchPerRow(spec: PlanSpec): number {
  if (!spec.image) return 0;
  const shapes = spatialShapes(spec.image.inputShape, spec.image.layers);
  return Math.max(0, ...spec.image.layers.map((c, i) => {
    if (c.type !== 'conv2d') return 0;
    const win = convWindow(c, shapes[i]!.input);
    return win.oh * win.ow * win.kh * win.kw * win.c;
  }));
}

/** Elements per batch row: every layer's buffers (an i32 counted as one element: never more bytes than a float), the im2col scratch, and the gathered input and target rows. */
export function batchElementsPerRow(spec: PlanSpec): number {
  const buffers = batchBuffers(spec).reduce((s, list, i) => s + list.length * spec.layers[i]!.outputs, 0);
  const image = imageBuffers(spec.image).reduce((s, l) => s + l.buffers.length * l.elements, 0);
  return buffers + image + imageScratchPerRow(spec) + inputWidth(spec) + spec.layers[spec.layers.length - 1]!.outputs;
}
