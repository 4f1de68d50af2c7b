// trainInWorker: training off the calling thread (a Web Worker, or worker_threads in Node), with
// per-epoch progress, cancel, and the trained network back as a usable Network.
import { asFlat, rowCount } from '../data.js';
import { check, ValidationError } from '../errors.js';
import { resolveFit } from '../fit-options.js';
import { Network } from '../network.js';
import { resolveArchitecture } from '../options.js';
import type { DType, EpochLogs, History, BackendName } from '../types.js';
import { decodeBytes } from '../binary.js';
import { wasmSourceUrl } from '../backends/wasm/runtime.js';
import type { FromWorker, Port, ToWorker, WorkerFitOptions, WorkerNetwork } from './protocol.js';

export interface WorkerHandle extends Port {
  terminate(): void;
}

type WorkerFactory = () => WorkerHandle;

function browserWorker(): WorkerHandle {
  const w = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module' });
  return {
    post: (m, transfer) => w.postMessage(m, transfer ?? []),
    listen: (handler) => {
      w.onmessage = (e) => handler(e.data);
      w.onerror = (e) => handler({ type: 'error', name: 'Error', message: `worker failed: ${e.message}` });
    },
    terminate: () => w.terminate(),
  };
}

let factory: WorkerFactory = browserWorker;

/** Set by the Node entry: workers are worker_threads there. */
export function registerWorkerFactory(f: WorkerFactory): void {
  factory = f;
}

export interface TrainRequest {
  /** A new network (Network.create options), or bytes from toBytes() (a checkpoint resumes). */
  network: WorkerNetwork;
  /** Rows of training data as flat typed arrays of the network's dtype (they are moved to the worker). */
  x: Float32Array | Float64Array;
  y: Float32Array | Float64Array;
  fit?: WorkerFitOptions;
}

export interface TrainOptions {
  onProgress?: (epoch: number, logs: EpochLogs) => void;
  /** Called every `snapshotEvery` epochs with the network so far, as toBytes() (Network.fromBytes reads it). */
  onSnapshot?: (epoch: number, bytes: Uint8Array) => void;
  snapshotEvery?: number;
  signal?: AbortSignal;
  /** Backend for the returned Network (default: the one it trained on). */
  backend?: BackendName;
}

export interface TrainingJob {
  /** Resolves with the trained network and the history; rejects with an AbortError on cancel. */
  result: Promise<{ network: Network; history: History }>;
  /** Stops training after the current epoch and ends the worker. */
  cancel(): void;
}

// Everything the worker would reject is checked here first, so errors are thrown on the calling side.
function checkRequest(r: TrainRequest): { dtype: DType; layers: number[] } {
  check(typeof r === 'object' && r !== null, 'trainInWorker needs a request object');
  check(typeof r.network === 'object' && r.network !== null && ('create' in r.network || 'bytes' in r.network),
    'trainInWorker: network must be { create: options } or { bytes: Uint8Array }');
  let dtype: DType, layers: number[];
  if ('create' in r.network) {
    const arch = resolveArchitecture(r.network.create);
    [dtype, layers] = [arch.dtype, arch.layers];
  } else {
    const data = decodeBytes(r.network.bytes);
    [dtype, layers] = [data.arch.dtype, data.arch.layers];
  }
  const xs = asFlat(r.x, layers[0]!, dtype, 'trainInWorker x');
  const ys = asFlat(r.y, layers[layers.length - 1]!, dtype, 'trainInWorker y');
  if (xs !== r.x || ys !== r.y) {
    throw new ValidationError(`trainInWorker: x and y must be ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'}s (the network's dtype), so they can be moved to the worker`);
  }
  const rows = rowCount(r.x, layers[0]!, 'trainInWorker x');
  check(rows === rowCount(r.y, layers[layers.length - 1]!, 'trainInWorker y'), `trainInWorker: x has ${rows} rows but y has ${r.y.length / layers[layers.length - 1]!}`);
  if (r.fit && 'onEpochEnd' in r.fit) throw new ValidationError('trainInWorker: pass onProgress in the second argument, not onEpochEnd');
  resolveFit(r.fit ?? {}, rows, dtype);
  return { dtype, layers };
}

/** Trains in a worker. x and y are transferred (the caller's arrays become empty). */
export function trainInWorker(request: TrainRequest, options: TrainOptions = {}): TrainingJob {
  const { dtype } = checkRequest(request);
  const every = options.snapshotEvery ?? 0;
  check(Number.isInteger(every) && every >= 0, `trainInWorker: snapshotEvery must be a non-negative integer; got ${JSON.stringify(every)}`);
  const worker = factory();
  let settled = false;
  let cancel = (): void => {};
  const result = new Promise<{ network: Network; history: History }>((resolve, reject) => {
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => cancel();
    // Ends the job once: the worker, the fallback timer (which would keep Node alive) and the listener go.
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(fallback);
      options.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      f();
    };
    cancel = () => {
      if (settled || fallback !== undefined) return;
      worker.post({ type: 'cancel' } satisfies ToWorker);
      // The worker answers with an AbortError after its current epoch; end it if it does not.
      fallback = setTimeout(() => finish(() => reject(Object.assign(new Error('trainInWorker was cancelled'), { name: 'AbortError' }))), 5000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.listen((data) => {
      const m = data as FromWorker;
      if (m.type === 'progress') {
        options.onProgress?.(m.epoch, m.logs);
        if (m.bytes) options.onSnapshot?.(m.epoch, m.bytes);
      }
      else if (m.type === 'error') finish(() => reject(Object.assign(new Error(m.message), { name: m.name })));
      else {
        finish(() => {
          const backend = options.backend ?? ('create' in request.network ? request.network.create.backend : request.network.backend);
          Network.fromBytes(m.bytes, { backend }).then((network) => resolve({ network, history: m.history }), reject);
        });
      }
    });
  });
  const wasm = wasmSourceUrl() ?? undefined;
  worker.post({ type: 'train', network: request.network, dtype, x: request.x, y: request.y, fit: request.fit ?? {}, snapshotEvery: every, ...(wasm ? { wasm } : {}) } satisfies ToWorker,
    [request.x.buffer as ArrayBuffer, request.y.buffer as ArrayBuffer]);
  if (options.signal?.aborted) cancel();
  return { result, cancel: () => cancel() };
}
