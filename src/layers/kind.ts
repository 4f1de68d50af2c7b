// What a layer kind declares, once: its options with defaults and checks, how it maps an input shape
// to an output shape, its parameters (shapes and initialization), and how it lowers onto the fused
// training loop's layer records (a dense record with its activation, and the dropout of that record's
// outputs). Shapes are arrays (a dense layer's is [features]; a convolution's will be [h, w, c]).
import type { OutputActivation } from '../ops/activations.js';

export type Shape = readonly number[];

/** A fully connected layer: y = f(x·W + b), W [inputs][units]. */
export interface DenseConfig { readonly type: 'dense'; readonly units: number; readonly activation: OutputActivation }
/** Inverted dropout of the previous layer's outputs during fit (predict and evaluate are unaffected). */
export interface DropoutConfig { readonly type: 'dropout'; readonly rate: number }
/** A layer in the general form, every option stated (net.layers, model files). */
export type LayerConfig = DenseConfig | DropoutConfig;
export type LayerType = LayerConfig['type'];

/** The layer records the fused loop runs: sizes (input first), an activation and a dropout rate per record. */
export interface Records { sizes: number[]; activations: OutputActivation[]; dropout: number[] }

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
