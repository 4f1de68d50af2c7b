// The image layer kinds (what a network of images is built from before its dense layers), and the
// shapes through such a stack: each layer's input and output from the one before.
import { averagePooling2d } from './average-pooling2d.js';
import { conv2d } from './conv2d.js';
import { flatten } from './flatten.js';
import type { LayerKind, Shape, SpatialConfig, SpatialType } from './kind.js';
import { maxPooling2d } from './max-pooling2d.js';

export const SPATIAL_KINDS: { readonly [T in SpatialType]: LayerKind<Extract<SpatialConfig, { type: T }>> } = {
  conv2d,
  maxPooling2d,
  averagePooling2d,
  flatten,
};
export const SPATIAL_TYPES = Object.keys(SPATIAL_KINDS) as SpatialType[];

export const spatialKind = (type: SpatialType): LayerKind<SpatialConfig> =>
  SPATIAL_KINDS[type] as unknown as LayerKind<SpatialConfig>;

/** Each layer's input and output shapes from inputShape [h, w, c]; a ValidationError names the first layer whose input does not fit. */
export function spatialShapes(
  inputShape: Shape,
  configs: readonly SpatialConfig[],
  first = 0,
): { input: Shape; output: Shape }[] {
  let shape = inputShape;
  return configs.map((c, i) => {
    const input = shape;
    shape = spatialKind(c.type).outputShape(c, input, `layers[${first + i}] (${c.type})`);
    return { input, output: shape };
  });
}
