// Public types of the training API (DESIGN.md, "Public API").

export type DType = 'float32' | 'float64';
export type BackendName = 'wasm' | 'js';
export type HiddenActivation = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear';
export type OutputActivation = HiddenActivation | 'softmax';
export type LossName = 'mse' | 'crossEntropy';
export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export type LossReduction = 'sum' | 'mean';

export type FloatArray = Float32Array | Float64Array;
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

export type OptimizerOption =
  | OptimizerName
  | { name: 'sgd' }
  | { name: 'momentum'; momentum?: number }
  | { name: 'adam'; beta1?: number; beta2?: number; epsilon?: number };

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
