// Public types of the training API. The names of activations, losses and optimizers are derived
// from their descriptors in src/ops/, so a new operation extends these unions by itself.
import type { HiddenActivation, OutputActivation } from './ops/activations.js';
import type { LossName, LossReduction } from './ops/losses.js';
import type { OptimizerName, OptimizerObject } from './ops/optimizers.js';
import type { BackendName } from './backends/index.js';
import type { DType, FloatArray } from './util/float-array.js';

export type { BackendName, DType, FloatArray, HiddenActivation, OutputActivation, LossName, LossReduction, OptimizerName };
/** Rows of samples: nested arrays, or a flat typed array whose row width is the layer size. */
export type Matrix = ReadonlyArray<ReadonlyArray<number>> | Float32Array | Float64Array;

export interface LayerWeights {
  /** inputs x outputs, row-major (the seed's orientation). */
  W: number[][];
  b: number[];
}

export interface NetworkOptions {
  layers: number[];
  activation?: HiddenActivation | HiddenActivation[];
  output?: OutputActivation;
  loss?: LossName;
  dtype?: DType;
  backend?: BackendName;
  seed?: number;
  weights?: LayerWeights[];
  /** Refuse networks and data sets that need more bytes (default: 32-bit WebAssembly memory less 64 MiB). */
  memoryLimit?: number;
  /**
   * Threads the matrix products run on (wasm backend, Node): 'auto' takes every core where threads
   * can run (1 elsewhere); default 1. Results are bit-identical for any count.
   */
  threads?: 'auto' | number;
}

/** An optimizer by name (its defaults), or { name, ...hyper-parameters } (momentum 0.9; adam beta1 0.9, beta2 0.999, epsilon 1e-8). */
export type OptimizerOption = OptimizerName | OptimizerObject;

export interface EpochLogs {
  /** Training loss, accumulated over the epoch's batches, each before its update. */
  loss: number;
  /** Training accuracy, counted the same way (argmax agreement, or threshold 0.5 for one output). */
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  /** Training samples per second over this epoch's optimizer steps. */
  samplesPerSecond: number;
}

export interface FitOptions {
  /** Train up to this epoch number (exclusive). */
  epochs?: number;
  /** The epoch to start at (Keras' initial_epoch), e.g. the `epochs` of a checkpoint. Default 0. */
  initialEpoch?: number;
  batchSize?: number;
  learningRate?: number;
  optimizer?: OptimizerOption;
  lossReduction?: LossReduction;
  shuffle?: boolean;
  validationData?: [Matrix, Matrix];
  /** Called after each epoch; return false to stop early. */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => boolean | void;
}

export interface History {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  val_loss?: number[];
  val_accuracy?: number[];
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}
