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
  /** Train up to this epoch number (exclusive). */
  epochs?: number;
  /** The epoch to start at (Keras' initial_epoch), e.g. the `epochs` of a checkpoint. Default 0. */
  initialEpoch?: number;
  batchSize?: number;
  /** A number, or a schedule (epoch) => rate called before each epoch (see `schedules`). Default: the optimizer's (0.01 sgd and momentum, 0.001 adam and adamw). */
  learningRate?: number | ((epoch: number) => number);
  optimizer?: OptimizerOption;
  lossReduction?: LossReduction;
  shuffle?: boolean;
  validationData?: [Matrix, Matrix];
  /** Stop when the monitored log stops improving (Keras' EarlyStopping). */
  earlyStopping?: EarlyStoppingOptions;
  /** Called after each epoch; return false to stop early. */
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
