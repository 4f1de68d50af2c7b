// The one interface both backends implement. Everything above it (Network, fit, predict,
// serialization) is written once; everything below it is per backend.
import type { Metric, ActivationName } from '../ops/activations.js';
import type { LossName, LossReduction } from '../ops/losses.js';
import type { OptimizerName, HyperParams } from '../ops/optimizers.js';
import type { DType, FloatArray } from '../util/float-array.js';
import type { SpatialConfig } from '../layers/kind.js';

export type GemmForm = 'nn' | 'tn' | 'nt';

/** An array owned by a backend (for WASM, a region of linear memory). */
export interface FloatBuffer {
  readonly length: number;
  /** A view of the current contents; do not keep it across a call that may allocate. */
  view(): FloatArray;
  free(): void;
}

/** The per-operation kernels, over buffers of the backend's dtype (tests and benchmarks call these). */
export interface Kernels {
  /** C (m x n, stride ldc) = op(A)·op(B) (+ C when accumulate); op(A) is m x k, op(B) is k x n. */
  gemm(
    form: GemmForm,
    m: number,
    n: number,
    k: number,
    a: FloatBuffer,
    lda: number,
    b: FloatBuffer,
    ldb: number,
    c: FloatBuffer,
    ldc: number,
    accumulate: boolean,
  ): void;
  /** C = f(A·B + bias), dense C (ldc = n); the WASM kernel applies bias and f as each tile is stored. */
  gemmBiasActivation(
    m: number,
    n: number,
    k: number,
    a: FloatBuffer,
    lda: number,
    b: FloatBuffer,
    ldb: number,
    c: FloatBuffer,
    ldc: number,
    bias: FloatBuffer,
    act: ActivationName,
  ): void;
  /** C = (A·Bᵀ) ⊙ f'(act), f' computed from activations laid out like C (dense, ldc = n). */
  gemmActivationBackward(
    m: number,
    n: number,
    k: number,
    a: FloatBuffer,
    lda: number,
    b: FloatBuffer,
    ldb: number,
    c: FloatBuffer,
    ldc: number,
    act: FloatBuffer,
    kind: ActivationName,
  ): void;
  /** In place z = f(z + bias) over rows x cols. */
  biasActivation(act: ActivationName, rows: number, cols: number, z: FloatBuffer, bias: FloatBuffer): void;
  /** In place delta *= f'(a) over n elements, f' computed from the output a. */
  activationBackward(act: ActivationName, n: number, a: FloatBuffer, delta: FloatBuffer): void;
  /** Loss summed over rows x cols (from the logits z when the loss needs them); writes the output delta times scale unless delta is null. */
  outputDelta(
    loss: LossName,
    act: ActivationName,
    rows: number,
    cols: number,
    a: FloatBuffer,
    z: FloatBuffer | null,
    y: FloatBuffer,
    delta: FloatBuffer | null,
    scale: number,
  ): number;
  /** out[j] = sum over rows of m[r][j]. */
  columnSums(rows: number, cols: number, m: FloatBuffer, out: FloatBuffer): void;
  /** One step of `optimizer` over n values at step t (1-based); `state` holds its state arrays for w; `weights` false for biases (no weight decay). */
  update(
    optimizer: OptimizerName,
    n: number,
    w: FloatBuffer,
    g: FloatBuffer,
    state: readonly FloatBuffer[],
    lr: number,
    hyperParams: HyperParams,
    t: number,
    weights: boolean,
  ): void;
}

export interface LayerSpec {
  inputs: number;
  outputs: number;
  activation: ActivationName;
  /** Dropout rate of the layer's outputs during training (0: none; hidden layers only). */
  dropout: number;
}

export interface ModelSpec {
  layers: LayerSpec[];
  loss: LossName;
  /** The per-epoch score the training loop counts: correct predictions, or the summed absolute error. */
  metric: Metric;
  /** Seed (uint32) of the dropout masks. */
  dropoutSeed: number;
  /**
   * Image layers before the dense ones (their flattened output is layers[0].inputs), or null. Their
   * parameters come first in readParams/writeParams and the optimizer state (conv layers, in order).
   */
  image?: { inputShape: readonly number[]; layers: readonly SpatialConfig[] } | null;
}

export interface OptimizerConfig {
  name: OptimizerName;
  /** Its hyper-parameters by name (src/ops/optimizers.ts lists them). */
  hyperParams: HyperParams;
}

export interface StepConfig {
  learningRate: number;
  reduction: LossReduction;
  optimizer: OptimizerConfig;
}

/**
 * A training set copied into the backend's memory once per fit, with room for the permutations
 * and per-epoch losses of up to `epochsPerCall` epochs.
 */
export interface DataSet {
  readonly rows: number;
  readonly epochsPerCall: number;
  /** Where the caller writes the row order of each epoch of the next call (epochsPerCall x rows); null when rows are taken in order. */
  readonly perms: Int32Array | null;
  release(): void;
}

/** Why a batch was not applied: its loss was not finite, or its update would make a value non-finite. */
export type FailureKind = 'loss' | 'update';

export interface EpochsResult {
  /** Loss summed over the samples of each completed epoch (and, last, of a failed one). */
  losses: Float64Array;
  /** Per completed epoch, from each batch's outputs before its update: correct predictions (metric 'accuracy') or Σ|a − y| (metric 'mae'). */
  scores: Float64Array;
  /** Epochs completed; fewer than asked when a batch's loss was not finite. */
  completed: number;
  /** Index (within the failed epoch) of the batch that was not applied; or -1. */
  failedBatch: number;
  failure: FailureKind | null;
}

/** Parameters, optimizer state and work buffers of one network on one backend. */
export interface Model {
  readonly spec: ModelSpec;
  readonly dtype: DType;
  /** Copies of layer l's W (inputs x outputs, row-major) and b. */
  readParams(layer: number): { W: FloatArray; b: FloatArray };
  writeParams(layer: number, W: ArrayLike<number>, b: ArrayLike<number>): void;
  /** Optimizer state as flat copies, per layer [s1W, s1b, s2W, s2b] (empty for sgd). */
  readOptimizerState(): FloatArray[][];
  /**
   * All or nothing: batch buffers for at least `rows` rows (so later calls with as many rows
   * allocate nothing), and the optimizer `name`, its state zeroed when it changes or restored from
   * `state`. A failure leaves the model as it was.
   */
  prepare(rows: number, optimizer: OptimizerName, state?: FloatArray[][]): void;
  /**
   * Copies the training set (the caller's arrays may change afterwards) and makes room for the
   * statistics of epochsPerCall epochs and, when shuffling, their permutations. All or nothing.
   */
  loadData(x: FloatArray, y: FloatArray, rows: number, epochsPerCall: number, shuffle: boolean): DataSet;
  /**
   * `epochs` (<= data.epochsPerCall) epochs of minibatches in one call, each in the order written to
   * data.perms (or in order when it is null). t0 is the optimizer step count before them.
   */
  trainEpochs(data: DataSet, epochs: number, batchSize: number, step: StepConfig, t0: number): EpochsResult;
  /** Bytes the model holds: parameters, gradients, optimizer state, batch buffers. */
  bytesInUse(): number;
  /** Rows the batch buffers hold. */
  readonly capacity: number;
  /** Makes the batch buffers hold at least `rows` rows (all or nothing; nothing is allocated when they already do). */
  reserve(rows: number): void;
  /**
   * Forward pass of rows [start, start + rows) of x, rows <= capacity: their outputs go to the same
   * rows of out; returns the loss against the same rows of y, summed (0 when y is null).
   */
  forwardRows(x: FloatArray, y: FloatArray | null, start: number, rows: number, out: FloatArray): number;
  /** Frees everything; later calls throw DisposedError (no kernel runs on freed memory). */
  dispose(): void;
}

export interface Backend {
  readonly name: 'wasm' | 'js';
  readonly dtype: DType;
  readonly kernels: Kernels;
  /** A zeroed buffer of n elements that this backend's kernels accept. */
  alloc(n: number): FloatBuffer;
  createModel(spec: ModelSpec): Model;
  /** Threads its products run on (1 unless created with more). */
  readonly threads?: number;
  /** Ends what the backend holds of its own (a threaded network's workers). */
  dispose?(): void;
}
