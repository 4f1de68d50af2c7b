// The image layer kinds, keyed by type (what a network of images is built from before its dense
// layers), and the checks of such a stack: each layer's options and its shape from the one before.
import { check, shown, ValidationError } from '../errors.js';
import { averagePooling2d } from './average-pooling2d.js';
import { conv2d } from './conv2d.js';
import { flatten } from './flatten.js';
import type { Shape, SpatialConfig, SpatialKind, SpatialType } from './kind.js';
import { maxPooling2d } from './max-pooling2d.js';

export const SPATIAL_KINDS: { readonly [T in SpatialType]: SpatialKind<Extract<SpatialConfig, { type: T }>> } = { conv2d, maxPooling2d, averagePooling2d, flatten };
export const SPATIAL_TYPES = Object.keys(SPATIAL_KINDS) as SpatialType[];

export const spatialKind = (type: SpatialType): SpatialKind<SpatialConfig> => SPATIAL_KINDS[type] as unknown as SpatialKind<SpatialConfig>;

/** One image layer as given -> its full config, checked ("where" names it, e.g. "layers[2]"). */
export function resolveSpatial(raw: unknown, where: string): SpatialConfig {
  check(typeof raw === 'object' && raw !== null && !Array.isArray(raw), `${where} must be a layer object such as { type: 'conv2d', filters: 32, kernelSize: 3 }; got ${shown(raw)}`);
  const o = raw as Record<string, unknown>;
  check(typeof o.type === 'string' && Object.hasOwn(SPATIAL_KINDS, o.type), `${where}: type ${shown(o.type)} is not one of ${SPATIAL_TYPES.map((t) => `'${t}'`).join(', ')}`);
  const kind = spatialKind(o.type as SpatialType), name = `${where} (${o.type})`;
  for (const key of Object.keys(o)) {
    if (key !== 'type' && !Object.hasOwn(kind.defaults, key)) throw new ValidationError(`${name}: unknown option '${key}' (valid: ${Object.keys(kind.defaults).map((k) => `'${k}'`).join(', ')})`);
  }
  const config: Record<string, unknown> = { type: o.type };
  for (const [key, fallback] of Object.entries(kind.defaults)) {
    const v = o[key] === undefined ? fallback : o[key];
    check(v !== undefined, `${name}: '${key}' is required`);
    config[key] = v;
  }
  kind.check(config as unknown as SpatialConfig, name);
  return Object.freeze(config) as unknown as SpatialConfig;
}

/** Each layer's input and output shapes from inputShape [h, w, c]; a ValidationError names the first layer whose input does not fit. */
export function spatialShapes(inputShape: Shape, configs: readonly SpatialConfig[], first = 0): { input: Shape; output: Shape }[] {
  let shape = inputShape;
  return configs.map((c, i) => {
    const input = shape;
    shape = spatialKind(c.type).outputShape(c, input, `layers[${first + i}] (${c.type})`);
    return { input, output: shape };
  });
}
