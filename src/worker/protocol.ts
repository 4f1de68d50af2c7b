// Messages between trainInWorker (calling side) and the training worker.
import type { BackendName, DType, EpochLogs, FitOptions, History, NetworkOptions } from '../types.js';
import type { WireError } from './errors.js';
import type { KernelVariant } from '../backends/wasm/features.js';

/** What to train: a new network, or one saved with toBytes (e.g. a checkpoint to resume). */
export type WorkerNetwork =
  | { create: Omit<NetworkOptions, 'weights'> & { weights?: NetworkOptions['weights'] } }
  | { bytes: Uint8Array; backend?: BackendName };

/** fit options that can cross a thread (no callbacks; the worker reports progress instead). */
export type WorkerFitOptions = Omit<FitOptions, 'onEpochEnd'>;

export interface TrainMessage {
  type: 'train';
  network: WorkerNetwork;
  dtype: DType;
  x: Float32Array | Float64Array;
  y: Float32Array | Float64Array;
  fit: WorkerFitOptions;
  /** Where the calling side loaded the .wasm from, if init() was given a URL (bundlers that move it). */
  wasm?: string;
  /** The kernel build init({ kernels }) forced on the calling side, if it did: the worker loads the same. */
  kernels?: KernelVariant;
  /** Send the network (as toBytes) every this many epochs, for live views. */
  snapshotEvery?: number;
}

/** The one message a worker gets; cancel is terminate() (the calling side ends the worker). */
export type ToWorker = TrainMessage;

export type FromWorker =
  | { type: 'progress'; epoch: number; logs: EpochLogs; bytes?: Uint8Array }
  | { type: 'done'; bytes: Uint8Array; history: History; threads: number }
  | { type: 'error'; error: WireError };

/** The worker's end of the channel, whatever the platform (Web Worker or worker_threads). */
export interface Port {
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: unknown) => void): void;
}

/** The calling side's handle on one worker, whatever the platform (browser-handle.ts, node/workers.ts). */
export interface WorkerHandle {
  post(message: ToWorker, transfer: ArrayBuffer[]): void;
  /** onFailure: the worker itself failed (could not load, crashed, exited) before it answered. */
  listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void): void;
  terminate(): void;
}
