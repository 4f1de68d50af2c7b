// The public surface of backprop-wasm: an explicit list.
export { Network, type LoadOptions } from './network/network.js';
export { init, capabilities } from './network/load-module.js';
export { schedules, type Schedule } from './train/schedules.js';
export type { InitOptions } from './backends/wasm/runtime.js';
export type { Capabilities, KernelVariant } from './backends/wasm/features.js';
export {
  trainInWorker,
  type TrainRequest,
  type TrainOptions,
  type TrainingJob,
  type TrainingResult,
} from './worker/client.js';
export type { WorkerNetwork, WorkerFitOptions } from './worker/protocol.js';
export type { WasmSource } from './backends/wasm/loader.js';
export {
  ValidationError,
  DivergenceError,
  ModelFormatError,
  DisposedError,
  ResourceError,
  AbortError,
} from './errors.js';
export type { ModelJSON, ModelJSONv1, CheckpointJSON } from './format/json.js';
export type {
  DType,
  BackendName,
  HiddenActivation,
  OutputActivation,
  ActivationName,
  LayerOptions,
  LayerConfig,
  DenseConfig,
  DropoutConfig,
  Conv2dConfig,
  MaxPooling2dConfig,
  AveragePooling2dConfig,
  FlattenConfig,
  SpatialConfig,
  LossName,
  OptimizerName,
  LossReduction,
  FloatArray,
  FloatArrayOf,
  Matrix,
  ClassLabels,
  Targets,
  LayerWeights,
  Conv2dWeights,
  NetworkOptions,
  OptimizerOption,
  EpochLogs,
  FitOptions,
  History,
  Evaluation,
  EarlyStoppingOptions,
  Monitor,
} from './types.js';
