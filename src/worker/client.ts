// trainInWorker: training off the calling thread (a Web Worker, or worker_threads in Node), with
// per-epoch progress, cancel, and the trained network back as a usable Network. Everything is
// checked (request.ts) before a worker exists, and a job ends its worker whenever it settles:
// resolved, rejected, cancelled, or failed to start. Node and browsers share this code; only the
// WorkerHandle differs (browser-handle.ts, node/workers.ts).
import { AbortError, ValidationError } from '../errors.js';
import { Network } from '../network/network.js';
import type { History } from '../types.js';
import { forcedKernels, wasmSourceUrl } from '../backends/wasm/runtime.js';
import { browserWorker } from './browser-handle.js';
import { fromWire } from './errors.js';
import type { WorkerHandle } from './protocol.js';
import { prepare, type PreparedJob, type TrainOptions, type TrainRequest } from './request.js';

export type { WorkerHandle };
export type { TrainOptions, TrainRequest } from './request.js';

/** Starts the calling side's end of one worker. */
type WorkerFactory = () => WorkerHandle;

let factory: WorkerFactory = browserWorker;

/** Set by the Node entry: workers are worker_threads there. */
export function registerWorkerFactory(f: WorkerFactory): void {
  factory = f;
}

/** What a training job resolves with. */
export interface TrainingResult {
  network: Network;
  history: History;
  threads: number;
}

export interface TrainingJob {
  /**
   * Resolves with the trained network, the history and `threads`, the threads the worker trained on
   * (Network.create's `threads` resolved there: 'auto' is 1 where threads cannot run, such as a page
   * that is not cross-origin isolated); rejects with an AbortError on cancel.
   */
  result: Promise<TrainingResult>;
  /** Ends the worker at once and rejects `result` with an AbortError (nothing once it has settled). */
  cancel(): void;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function startWorker(): WorkerHandle {
  try {
    return factory();
  } catch (e) {
    throw new Error(`backprop-wasm: could not start the training worker: ${errorText(e)}`, { cause: e });
  }
}

function run(job: PreparedJob, options: TrainOptions): TrainingJob {
  const { signal, onProgress, onSnapshot } = options;
  const worker = startWorker();
  let resolveJob!: (outcome: TrainingResult) => void, rejectJob!: (error: unknown) => void;
  const result = new Promise<TrainingResult>((resolve, reject) => {
    resolveJob = resolve;
    rejectJob = reject;
  });
  let settled = false,
    trained = false,
    lastEpoch: number | null = null;
  // Ends the job once: the worker and the abort listener go; true if this call ended it.
  const end = (): boolean => {
    if (settled) return false;
    settled = true;
    signal?.removeEventListener('abort', abort);
    worker.terminate();
    return true;
  };
  const fail = (error: unknown): void => {
    if (end()) rejectJob(error);
  };
  const abort = (): void => fail(AbortError.after('trainInWorker', lastEpoch));
  worker.listen(
    (m) => {
      if (settled || trained) return;
      if (m.type === 'progress') {
        lastEpoch = m.epoch;
        try {
          onProgress?.(m.epoch, m.logs);
          if (m.bytes && !settled) onSnapshot?.(m.epoch, m.bytes);
        } catch (e) {
          fail(e); // a throwing callback rejects the job with its error
        }
      } else if (m.type === 'error') {
        fail(fromWire(m.error));
      } else {
        trained = true;
        worker.terminate(); // its work is done; an abort until the Network is built still rejects
        Network.fromBytes(m.bytes, { backend: job.backend }).then((network) => {
          if (end()) resolveJob({ network, history: m.history, threads: m.threads });
          else network.dispose();
        }, fail);
      }
    },
    (error) => {
      if (!trained) fail(error);
    },
  );
  const wasm = wasmSourceUrl(),
    kernels = forcedKernels();
  try {
    worker.post({ ...job.message, ...(wasm ? { wasm } : {}), ...(kernels ? { kernels } : {}) }, job.transfer);
  } catch (e) {
    end();
    throw new ValidationError(
      `trainInWorker: the request could not be sent to the worker (${errorText(e)}); it must be plain data: numbers, strings, arrays, objects and typed arrays`,
      { cause: e },
    );
  }
  signal?.addEventListener('abort', abort, { once: true });
  return { result, cancel: abort };
}

/**
 * Trains in a worker. x and y are moved to it when each is the whole of its own ArrayBuffer (the
 * caller's arrays become empty), copied otherwise. Bad requests throw a ValidationError before any
 * worker starts; an aborted signal rejects the result without starting one.
 */
export function trainInWorker(request: TrainRequest, options: TrainOptions = {}): TrainingJob {
  const job = prepare(request, options);
  if (options.signal?.aborted) {
    return { result: Promise.reject(AbortError.after('trainInWorker', null)), cancel: () => {} };
  }
  return run(job, options);
}
