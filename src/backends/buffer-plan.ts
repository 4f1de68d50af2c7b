// A network's buffers, decided once: its parameters and their gradients, the optimizer's state
// arrays, and the batch buffers of its training step (rows x outputs elements each). Both backends
// allocate what this lists, and checks/limits.ts sums it for the memory checks.
import { derivativeFromInput } from '../ops/activations.js';
import { dropoutThreshold } from '../ops/dropout.js';
import { lossOp } from '../ops/losses.js';
import { MAX_STATE_ARRAYS, stateSlots, type OptimizerName } from '../ops/optimizers.js';
import { parameterShapes } from '../layers/index.js';
import type { LayerSpec, ModelSpec } from './backend.js';
import { spatialShapes } from '../layers/spatial.js';
import { convWindow } from '../layers/conv2d.js';

/** The buffers of a layer with parameters: W and b, and their gradients dW and db (as long as W and b). */
export const PARAM_BUFFERS = ['W', 'b', 'dW', 'db'] as const;
export type ParamBuffer = (typeof PARAM_BUFFERS)[number];

/** Elements of W and b of each layer with parameters: conv layers first, then the dense layers (readParams' order). */
export function parameterSizes(spec: PlanSpec): { W: number; b: number }[] {
  const size = (shape: readonly number[]): number => shape.reduce((a, v) => a * v, 1);
  const convs = spec.image
    ? parameterShapes(spec.image.inputShape, spec.image.layers).map(({ W, b }) => ({ W: size(W), b: size(b) }))
    : [];
  return [...convs, ...spec.layers.map((l) => ({ W: l.inputs * l.outputs, b: l.outputs }))];
}

/** Elements of each parameter buffer, in PARAM_BUFFERS' order, of a layer with these sizes. */
export const parameterBuffers = ({ W, b }: { W: number; b: number }): number[] =>
  PARAM_BUFFERS.map((k) => (k.endsWith('W') ? W : b));

/** Elements of each of the optimizer's state arrays of a layer with these sizes, in slot order [s1W, s1b, s2W, s2b]. */
export const stateBuffers = ({ W, b }: { W: number; b: number }, optimizer: OptimizerName): number[] =>
  Array.from({ length: stateSlots(optimizer) }, (_, k) => (k % 2 === 0 ? W : b));

/** Elements per parameter of a network whatever its optimizer: the parameter, its gradient and the most state arrays any optimizer keeps. */
export const ELEMENTS_PER_PARAMETER = 2 + MAX_STATE_ARRAYS;

/**
 * A: activations out of the layer; D: its deltas dL/dZ; Z: z + b, kept for the output layer when
 * the loss needs its logits, and for any layer whose activation's derivative is taken from z;
 * mask and dropped: dropout's mask and A ⊙ mask.
 */
export type BatchBuffer = 'A' | 'D' | 'Z' | 'mask' | 'dropped';

export type PlanSpec = Pick<ModelSpec, 'loss' | 'image'> & {
  layers: readonly Pick<LayerSpec, 'inputs' | 'outputs' | 'activation' | 'dropout'>[];
};

/** Per layer, the buffers its training step needs, in allocation order. */
export function batchBuffers(spec: PlanSpec): BatchBuffer[][] {
  const last = spec.layers.length - 1,
    logits = lossOp(spec.loss).needsLogits;
  return spec.layers.map((l, i) => [
    'A',
    'D',
    ...((i === last && logits) || derivativeFromInput(l.activation) ? ['Z' as const] : []),
    ...(dropoutThreshold(l.dropout) > 0 ? ['mask' as const, 'dropped' as const] : []),
  ]);
}

/** Elements of one input row: the image's when image layers come first. */
export const inputWidth = (spec: PlanSpec): number =>
  spec.image ? spec.image.inputShape.reduce((a, b) => a * b, 1) : spec.layers[0]!.inputs;

/**
 * Per image layer, the buffers of its training step (as many elements per row as its output):
 * A and D; Z for a conv layer whose activation's derivative is taken from z; max pooling's argmax (i32);
 * none for flatten (channels-last rows are flat already: the next layer reads its input's buffers).
 */
export function imageBuffers(
  image: ModelSpec['image'],
): { elements: number; buffers: ('A' | 'D' | 'Z' | 'argmax')[] }[] {
  if (!image) return [];
  return spatialShapes(image.inputShape, image.layers).map(({ output }, i) => {
    const c = image.layers[i]!;
    return {
      elements: output.reduce((a, b) => a * b, 1),
      buffers:
        c.type === 'flatten'
          ? []
          : [
              'A',
              'D',
              ...(c.type === 'conv2d' && derivativeFromInput(c.activation) ? ['Z' as const] : []),
              ...(c.type === 'maxPooling2d' ? ['argmax' as const] : []),
            ],
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
  return Math.max(
    0,
    ...spec.image.layers.map((c, i) => {
      if (c.type !== 'conv2d') return 0;
      const win = convWindow(c, shapes[i]!.input);
      return win.oh * win.ow * win.kh * win.kw * win.c;
    }),
  );
}

/** Elements per batch row: every layer's buffers (an i32 counted as one element: never more bytes than a float), the im2col scratch, and the gathered input and target rows. */
export function batchElementsPerRow(spec: PlanSpec): number {
  const buffers = batchBuffers(spec).reduce((s, list, i) => s + list.length * spec.layers[i]!.outputs, 0);
  const image = imageBuffers(spec.image).reduce((s, l) => s + l.buffers.length * l.elements, 0);
  return buffers + image + imageScratchPerRow(spec) + inputWidth(spec) + spec.layers[spec.layers.length - 1]!.outputs;
}
