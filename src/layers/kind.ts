// What a layer kind declares, once: its options with defaults and checks, how it maps an input shape
// to an output shape, its parameters (shapes and initialization), and how it lowers onto the fused
// training loop's layer records (a dense record with its activation, and the dropout of that record's
// outputs). Shapes are arrays (a dense layer's is [features]; a convolution's will be [h, w, c]).
import type { ActivationName } from '../ops/activations.js';

export type Shape = readonly number[];

/** A fully connected layer: y = f(x·W + b), W [inputs][units]. */
export interface DenseConfig {
  readonly type: 'dense';
  readonly units: number;
  readonly activation: ActivationName;
}
/** Inverted dropout of the previous layer's outputs during fit (predict and evaluate are unaffected). */
export interface DropoutConfig {
  readonly type: 'dropout';
  readonly rate: number;
}
/** A 2-D convolution over [h, w, c] images, channels-last: W [kh][kw][inChannels][filters], as Keras' Conv2D. */
export interface Conv2dConfig {
  readonly type: 'conv2d';
  readonly filters: number;
  readonly kernelSize: number | readonly [number, number];
  readonly strides: number | readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly activation: ActivationName;
  readonly useBias: boolean;
}
/** Max or average pooling over [h, w, c] (strides null: the pool size, as Keras' None). */
export interface Pooling2dOptions {
  readonly poolSize: number | readonly [number, number];
  readonly strides: number | readonly [number, number] | null;
  readonly padding: 'valid' | 'same';
}
export interface MaxPooling2dConfig extends Pooling2dOptions {
  readonly type: 'maxPooling2d';
}
export interface AveragePooling2dConfig extends Pooling2dOptions {
  readonly type: 'averagePooling2d';
}
export type Pooling2dConfig = MaxPooling2dConfig | AveragePooling2dConfig;
/** [h, w, c] to [h·w·c], channels-last (the memory order already). */
export interface FlattenConfig {
  readonly type: 'flatten';
}
/** The image layers (src/layers/spatial.ts lists their descriptors). */
export type SpatialConfig = Conv2dConfig | MaxPooling2dConfig | AveragePooling2dConfig | FlattenConfig;
export type SpatialType = SpatialConfig['type'];

/** A layer in the general form, every option stated (net.layers, model files). */
export type LayerConfig = DenseConfig | DropoutConfig | SpatialConfig;
export type LayerType = LayerConfig['type'];

/**
 * The layer records the fused loop runs: sizes (input first: the flattened image when image layers
 * come first), an activation and a dropout rate per record; and the image layers before them.
 */
export interface Records {
  sizes: number[];
  activations: ActivationName[];
  dropout: number[];
  spatial: SpatialConfig[];
}

export interface LayerKind<C extends LayerConfig> {
  readonly type: C['type'];
  /** Each option beside `type` and its default (undefined: required). */
  readonly defaults: { readonly [K in Exclude<keyof C, 'type'>]-?: C[K] | undefined };
  /** Throws a ValidationError naming `where` (e.g. "layers[2] (dense)") unless every option is valid. */
  check(config: C, where: string): void;
  /** The output shape for an input shape, or a ValidationError if the kind cannot take that input. */
  outputShape(config: C, input: Shape, where: string): Shape;
  /** Parameter shapes for that input (W and b), or null for a kind without parameters. */
  params(config: C, input: Shape): { readonly W: Shape; readonly b: Shape } | null;
  /** Appends the layer to the records (or modifies the last one), or a ValidationError where the records cannot hold it. */
  lower(config: C, records: Records, where: string): void;
}
