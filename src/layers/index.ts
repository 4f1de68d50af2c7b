// Every layer kind, keyed by its type: what validation, net.layers, model files and the compact
// form (`layers: [784, 128, 10]`) iterate. A new config type in kind.ts without its descriptor here
// does not compile.
import { check, shown, ValidationError } from '../errors.js';
import type { ActivationName } from '../ops/activations.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { SPATIAL_KINDS } from './spatial.js';
import type { LayerConfig, LayerKind, LayerType, Records, Shape } from './kind.js';

export type {
  AveragePooling2dConfig,
  Conv2dConfig,
  DenseConfig,
  DropoutConfig,
  FlattenConfig,
  LayerConfig,
  LayerType,
  MaxPooling2dConfig,
  Shape,
  SpatialConfig,
} from './kind.js';

export const LAYER_KINDS: { readonly [T in LayerType]: LayerKind<Extract<LayerConfig, { type: T }>> } = {
  dense,
  dropout,
  ...SPATIAL_KINDS,
};
export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

const kindOf = (type: LayerType): LayerKind<LayerConfig> => LAYER_KINDS[type] as LayerKind<LayerConfig>;

/** One layer as given (defaults left out) -> its full config, checked. */
export function resolveLayer(raw: unknown, where: string): LayerConfig {
  check(
    typeof raw === 'object' && raw !== null && !Array.isArray(raw),
    `${where} must be a layer object such as { type: 'dense', units: 10 }; got ${shown(raw)}`,
  );
  const o = raw as Record<string, unknown>;
  check(
    typeof o.type === 'string' && Object.hasOwn(LAYER_KINDS, o.type),
    `${where}: type ${shown(o.type)} is not one of ${LAYER_TYPES.map((t) => `'${t}'`).join(', ')}`,
  );
  const kind = kindOf(o.type as LayerType);
  const name = `${where} (${o.type})`;
  for (const key of Object.keys(o)) {
    if (key !== 'type' && !Object.hasOwn(kind.defaults, key))
      throw new ValidationError(
        `${name}: unknown option '${key}' (valid: ${Object.keys(kind.defaults)
          .map((k) => `'${k}'`)
          .join(', ')})`,
      );
  }
  const config: Record<string, unknown> = { type: o.type };
  for (const [key, fallback] of Object.entries(kind.defaults)) {
    const v = o[key] === undefined ? fallback : o[key];
    check(v !== undefined, `${name}: '${key}' is required`);
    config[key] = Array.isArray(v) ? Object.freeze([...v]) : v; // [h, w] options: a copy, so the caller's array can change later
  }
  kind.check(config as unknown as LayerConfig, name);
  return Object.freeze(config) as unknown as LayerConfig;
}

/** The general form -> the fused loop's records, shapes checked layer by layer. */
export function lowerLayers(inputShape: unknown, layers: unknown): { configs: LayerConfig[]; records: Records } {
  check(Array.isArray(layers) && layers.length > 0, `layers must list at least one layer; got ${shown(layers)}`);
  check(
    Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every((d) => Number.isInteger(d) && d > 0),
    `inputShape must list positive integer sizes, such as [784]; got ${shown(inputShape)}`,
  );
  const configs = (layers as unknown[]).map((l, i) => resolveLayer(l, `layers[${i}]`));
  check(
    configs.at(-1)!.type === 'dense',
    `layers[${configs.length - 1}]: the last layer must be dense (the output); got '${configs.at(-1)!.type}'`,
  );
  check(
    (inputShape as number[]).length === 1 || (inputShape as number[]).length === 3,
    `inputShape must be [features] or an image [height, width, channels]; got [${(inputShape as number[]).join(', ')}]`,
  );
  const records: Records = { sizes: [size(inputShape as number[])], activations: [], dropout: [], spatial: [] };
  let shape: Shape = inputShape as number[];
  checkImageSize(shape, 'inputShape');
  configs.forEach((c, i) => {
    const kind = kindOf(c.type),
      where = `layers[${i}] (${c.type})`;
    shape = kind.outputShape(c, shape, where);
    checkImageSize(shape, where);
    kind.lower(c, records, where);
    // Image layers come first (a dense layer's output is flat, and they take images): the dense records start at their flattened output.
    if (records.activations.length === 0) records.sizes[0] = size(shape);
  });
  records.dropout.pop(); // the output record's (0: a dropout cannot follow the last layer)
  return { configs, records };
}

const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Values per row an image (input, or a layer's output) may hold: 2^26 (a 1024×1024×64 image), so one row's buffers stay allocatable. */
export const MAX_IMAGE_VALUES = 2 ** 26;
function checkImageSize(shape: Shape, where: string): void {
  check(
    shape.length !== 3 || size(shape) <= MAX_IMAGE_VALUES,
    `${where}: [${shape.join(', ')}] holds ${size(shape).toLocaleString('en-US')} values per row, more than the ${MAX_IMAGE_VALUES.toLocaleString('en-US')} an image layer takes`,
  );
}

/** The records -> the general form: the image layers, then a dense layer per record, a dropout layer after each with a rate. */
export function raiseLayers(
  sizes: readonly number[],
  activations: readonly ActivationName[],
  rates: readonly number[],
  spatial: readonly LayerConfig[] = [],
): LayerConfig[] {
  return [
    ...spatial,
    ...activations.flatMap((activation, l): LayerConfig[] => [
      Object.freeze({ type: 'dense' as const, units: sizes[l + 1]!, activation }),
      ...((rates[l] ?? 0) > 0 ? [Object.freeze({ type: 'dropout' as const, rate: rates[l]! })] : []),
    ]),
  ];
}

/** Parameter shapes of each layer that has parameters, in order (getWeights' order). */
export function parameterShapes(inputShape: Shape, configs: readonly LayerConfig[]): { W: Shape; b: Shape }[] {
  let shape = inputShape;
  return configs.flatMap((c, i) => {
    const kind = kindOf(c.type);
    const p = kind.params(c, shape);
    shape = kind.outputShape(c, shape, `layers[${i}] (${c.type})`);
    return p ? [p] : [];
  });
}
