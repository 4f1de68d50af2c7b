// Public types of the training API. The names of activations, losses and optimizers are derived
// from their descriptors in src/ops/, so a new operation extends these unions by itself.
import type { ActivationName, HiddenActivation } from './ops/activations.js';
import type { LossName, LossReduction } from './ops/losses.js';
import type { OptimizerName, OptimizerObject } from './ops/optimizers.js';
import type { BackendName } from './backends/index.js';
import type { DType, FloatArray, FloatArrayOf } from './util/float-array.js';
import type {
  AveragePooling2dConfig,
  Conv2dConfig,
  DenseConfig,
  DropoutConfig,
  FlattenConfig,
  LayerConfig,
  MaxPooling2dConfig,
  SpatialConfig,
} from './layers/index.js';

export type {
  ActivationName,
  BackendName,
  DType,
  FloatArray,
  FloatArrayOf,
  HiddenActivation,
  LossName,
  LossReduction,
  OptimizerName,
  DenseConfig,
  DropoutConfig,
  LayerConfig,
  Conv2dConfig,
  MaxPooling2dConfig,
  AveragePooling2dConfig,
  FlattenConfig,
  SpatialConfig,
};
/** @deprecated The old name of ActivationName (it names any activation, not only an output's); kept so code written against it compiles. */
export type OutputActivation = ActivationName;
/** Rows of samples: nested arrays, or a flat typed array whose row width is the layer size. */
export type Matrix = ReadonlyArray<ReadonlyArray<number>> | Float32Array | Float64Array;

/**
 * Class indices, one integer in [0, outputs) per row, for a network with a softmax output: expanded
 * to one-hot rows of the network's dtype. Float32Array and Float64Array are never class indices:
 * they are flat rows (a `Matrix`).
 */
export type ClassLabels =
  | ReadonlyArray<number>
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** Targets (`y`): rows as for `x`, or class indices for a softmax output. */
export type Targets = Matrix | ClassLabels;

export interface LayerWeights {
  /** inputs x outputs, row-major (the seed's orientation); a conv2d layer's entry is a Conv2dWeights (cast it). */
  W: number[][];
  b: number[];
}

/** getWeights' entry for a conv2d layer: W [kh][kw][inChannels][filters] (Keras' and tfjs' kernel layout), b [filters]. */
export interface Conv2dWeights {
  W: number[][][][];
  b: number[];
}

/** Options of `Network.create`; `D` is the dtype, so that `predict` returns the network's typed array. */
/** One layer of Network.create's general form; net.layers gives each back with every option stated (LayerConfig). */
export type LayerOptions =
  | { type: 'dense'; units: number /** Default `'linear'`, as Keras' Dense. */; activation?: ActivationName }
  | {
      type: 'dropout' /** In [0, 1): the share of the previous (hidden, dense) layer's outputs dropped during fit. */;
      rate: number;
    }
  | {
      type: 'conv2d';
      filters: number /** n or [h, w]. */;
      kernelSize: number | readonly [number, number] /** Default 1. */;
      strides?: number | readonly [number, number];
      /** 'valid' (default) or 'same' (Keras' rule: the odd padding element after). */ padding?:
        | 'valid'
        | 'same' /** Default 'linear'. */;
      activation?: HiddenActivation /** Default true. */;
      useBias?: boolean;
    }
  | {
      type: 'maxPooling2d' | 'averagePooling2d' /** Default 2. */;
      poolSize?: number | readonly [number, number];
      /** Default (null): the pool size. */ strides?: number | readonly [number, number] | null /** Default 'valid'. */;
      padding?: 'valid' | 'same';
    }
  | { type: 'flatten' };

export interface NetworkOptions<D extends DType = DType> {
  /**
   * The compact form: layer sizes, input first, then the hidden layers, then the output (at least
   * two entries), with `activation`, `output` and `dropout`. Or the general form: layer objects
   * (`{ type: 'dense', units, activation }`, `{ type: 'dropout', rate }`), with `inputShape`; the last
   * is the dense output layer. The same network in either form trains bit-identically. No default.
   */
  layers: number[] | LayerOptions[];
  /** The general form: the shape of one input row, e.g. `[784]`. */
  inputShape?: number[];
  /** Compact form: activation of the hidden layers, one name for all, or one per hidden layer. Default `'sigmoid'`. */
  activation?: HiddenActivation | HiddenActivation[];
  /** Compact form: activation of the output layer (`'softmax'` only here). Default `'sigmoid'`. */
  output?: ActivationName;
  /** Loss: `'mse'` or `'crossEntropy'` (needs a softmax or sigmoid output). Default `'mse'`. */
  loss?: LossName;
  /** Precision of weights, data and computation. Default `'float32'`. */
  dtype?: D;
  /** `'wasm'` (WebAssembly SIMD) or `'js'` (the TypeScript reference). Default `'wasm'`. */
  backend?: BackendName;
  /** Seed (an integer) of the initial weights and of shuffling. Default: drawn at random, read back as `net.seed` and stored in model files. */
  seed?: number;
  /**
   * Compact form: inverted dropout during fit, one rate in [0, 1) for every hidden layer, or one per hidden layer.
   * predict and evaluate are unaffected. Stored in model files. Default: none.
   */
  dropout?: number | number[];
  /** Initial weights, one `{ W, b }` per layer with parameters (conv2d layers first: Conv2dWeights), instead of seeded Glorot/He initialization. Default: none (seeded). */
  weights?: (LayerWeights | Conv2dWeights)[];
  /** Refuse networks and data sets that need more bytes (default: 32-bit WebAssembly memory less 64 MiB). */
  memoryLimit?: number;
  /**
   * Threads the matrix products run on (wasm backend, Node): 'auto' takes every core where threads
   * can run and the network has a layer of at least 2^14 weights or image layers (1 otherwise); default 1. Results
   * are bit-identical for any count.
   */
  threads?: 'auto' | number;
}

/** An optimizer by name (its defaults), or { name, ...hyper-parameters } (momentum 0.9; adam beta1 0.9, beta2 0.999, epsilon 1e-8). */
export type OptimizerOption = OptimizerName | OptimizerObject;

export interface EpochLogs {
  /** Training loss, accumulated over the epoch's batches, each before its update. */
  loss: number;
  /** Training accuracy of a sigmoid or softmax output, counted the same way (argmax agreement, or threshold 0.5 for one output). */
  accuracy?: number;
  /** Training mean absolute error of any other (regression) output, counted the same way. */
  mae?: number;
  val_loss?: number;
  val_accuracy?: number;
  val_mae?: number;
  /** The learning rate this epoch used (a schedule's value). */
  learningRate: number;
  /** Training samples per second over this epoch's optimizer steps. */
  samplesPerSecond: number;
}

/** A log early stopping can watch: losses and errors improve downwards, accuracy upwards. */
export type Monitor = 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy' | 'mae' | 'val_mae';

export interface EarlyStoppingOptions {
  /** The log to watch. Default 'val_loss' with validation data, else 'loss'. */
  monitor?: Monitor;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** The least change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** End with the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  /** Train up to this epoch number (exclusive). Default 1. */
  epochs?: number;
  /** The epoch to start at (Keras' initial_epoch), e.g. the `epochs` of a checkpoint. Default 0. */
  initialEpoch?: number;
  /** Rows per optimizer step. Default 32 (or all training rows when fewer). */
  batchSize?: number;
  /** A number, or a schedule (epoch) => rate called before each epoch (see `schedules`). Default: the optimizer's (0.01 for sgd and momentum, 0.001 for adam and adamw). */
  learningRate?: number | ((epoch: number) => number);
  /** `'sgd'`, `'momentum'`, `'adam'`, `'adamw'`, or `{ name, weightDecay, ... }` with hyper-parameters. Default `'adam'`. */
  optimizer?: OptimizerOption;
  /** `'mean'` averages loss and gradient over each batch, `'sum'` sums them. Default `'mean'`. */
  lossReduction?: LossReduction;
  /** Shuffle the training rows each epoch (seeded). Default `true`. */
  shuffle?: boolean;
  /** `[x, y]` evaluated after each epoch (`val_loss`, `val_accuracy`); y may be class indices. Default: none. */
  validationData?: [Matrix, Targets];
  /**
   * Hold out this fraction of the rows, in (0, 1), as validation data (Keras' validation_split):
   * the last rows of x and y as given, before any shuffling; the first part trains. Each side
   * needs at least one row. Not together with `validationData`. Default: none.
   */
  validationSplit?: number;
  /** Stop when the monitored log stops improving (Keras' EarlyStopping). Default: none. */
  earlyStopping?: EarlyStoppingOptions;
  /** Called after each epoch; return false to stop early. Default: none. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing must type-check; `false` stops training
  onEpochEnd?: (epoch: number, logs: EpochLogs) => boolean | void;
}

export interface History {
  epoch: number[];
  loss: number[];
  /** Per epoch, for sigmoid and softmax outputs. */
  accuracy?: number[];
  /** Per epoch, for regression outputs. */
  mae?: number[];
  val_loss?: number[];
  val_accuracy?: number[];
  val_mae?: number[];
  learningRate: number[];
  /** With earlyStopping: the epoch with the best monitored value. */
  bestEpoch?: number;
  /** With earlyStopping: the epoch at which it stopped training (absent when all epochs ran). */
  stoppedEpoch?: number;
}

/**
 * What evaluate reports. Sigmoid and softmax outputs: loss and accuracy; softmax adds macro
 * precision, recall and F1 (over the classes present in the targets or the predictions) and the
 * confusion matrix (rows: true class, columns: predicted). Other outputs (regression): loss, mae, rmse.
 */
export interface Evaluation {
  loss: number;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  confusionMatrix?: number[][];
  mae?: number;
  rmse?: number;
}

// Symbol.dispose as lib.esnext.disposable and @types/node declare it, for consumers compiling without
// either (lib es2022, skipLibCheck false): without it Network's `[Symbol.dispose]()` in network.d.ts
// is TS2550 there.
// Identical to theirs, so it merges with them; `using` still needs esnext.disposable (or newer).
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
