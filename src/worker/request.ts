// trainInWorker's checks, all made on the calling side before any worker exists: the request and
// the options (keys, values, callbacks, signal), and what can cross to the worker. x and y are moved
// (transferred) when each is the whole of its own ArrayBuffer; otherwise (a view on part of a
// buffer, x and y on one buffer, a SharedArrayBuffer) that array is copied and the caller's stays as
// it is. A rejected call changes nothing: nothing is copied, moved or started.
import { asFlat, isDTypeArray, rowCount, toFlat } from '../checks/data.js';
import { check, shown, ValidationError } from '../errors.js';
import { resolveFit } from '../train/fit-options.js';
import { metricOf } from '../ops/activations.js';
import { trainingRows } from '../train/validation-split.js';
import { expandLabels } from '../checks/labels.js';
import { checkMemoryLimit, checkNetworkSize, DEFAULT_MEMORY_LIMIT } from '../checks/limits.js';
import { flattenWeights } from '../checks/weights.js';
import { checkThreads } from '../checks/threads.js';
import { decodeBinaryModel } from '../format/binary.js';
import {
  BACKENDS,
  checkKeys,
  checkName,
  parameterShapesOf,
  resolveArchitecture,
  sizedLayers,
  type Architecture,
} from '../checks/options.js';
import type { BackendName, ClassLabels, DType, EpochLogs, FloatArray, ActivationName } from '../types.js';
import type { TrainMessage, WorkerFitOptions, WorkerNetwork } from './protocol.js';

export interface TrainRequest {
  /** A new network (Network.create options), or bytes from toBytes() (a checkpoint resumes). No default. */
  network: WorkerNetwork;
  /** Rows of training data as a flat typed array of the network's dtype (moved to the worker when it is the whole of its own ArrayBuffer, else copied). No default. */
  x: Float32Array | Float64Array;
  /**
   * Targets: flat rows as `x` (moved or copied alike), or class indices for a softmax output
   * (expanded to one-hot rows of the dtype on the calling side, so the caller's array stays as it is). No default.
   */
  y: Float32Array | Float64Array | ClassLabels;
  /** fit options (plain data; onEpochEnd is onProgress in the options), including validationSplit. Default: fit's defaults. */
  fit?: WorkerFitOptions;
}

export interface TrainOptions {
  /** Called after each epoch with its logs. Default: none. */
  onProgress?: (epoch: number, logs: EpochLogs) => void;
  /** Called every `snapshotEvery` epochs with the network so far, as toBytes() (Network.fromBytes reads it). Default: none. */
  onSnapshot?: (epoch: number, bytes: Uint8Array) => void;
  /** Epochs between snapshots; 0 sends none. Default 0. */
  snapshotEvery?: number;
  /** Aborting it (before, at or after the call) rejects the result with an AbortError and ends the worker. Default: none. */
  signal?: AbortSignal;
  /** Backend for the returned Network (default: the one it trained on). */
  backend?: BackendName;
}

const REQUEST_KEYS = ['network', 'x', 'y', 'fit'];
const OPTION_KEYS = ['onProgress', 'onSnapshot', 'snapshotEvery', 'signal', 'backend'];

/** The message for the worker, the buffers it moves, and the backend of the Network returned. */
export interface PreparedJob {
  message: Omit<TrainMessage, 'wasm'>;
  transfer: ArrayBuffer[];
  backend: BackendName | undefined;
}

const isShared = (b: ArrayBufferLike): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer;

/** Whether `a` can be moved: it is the whole of an ArrayBuffer of its own (not shared). */
const ownsBuffer = (a: FloatArray): boolean =>
  !isShared(a.buffer) && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;

function checkOptions(o: TrainOptions): void {
  check(typeof o === 'object' && o !== null, `trainInWorker options must be an object; got ${String(o)}`);
  checkKeys(o, OPTION_KEYS, 'trainInWorker options');
  for (const name of ['onProgress', 'onSnapshot'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      throw new ValidationError(`trainInWorker: ${name} must be a function; got ${typeof o[name]}`);
  }
  const every = o.snapshotEvery ?? 0;
  check(
    Number.isInteger(every) && every >= 0,
    `trainInWorker: snapshotEvery must be a non-negative integer; got ${shown(every)}`,
  );
  if (o.signal !== undefined && !(typeof AbortSignal !== 'undefined' && o.signal instanceof AbortSignal)) {
    throw new ValidationError('trainInWorker: signal must be an AbortSignal (e.g. new AbortController().signal)');
  }
  if (o.backend !== undefined) checkName(o.backend, BACKENDS, 'trainInWorker: backend');
}

/**
 * Throws naming the path of a value that cannot cross to a worker (a function, a symbol, data on a
 * SharedArrayBuffer). What postMessage refuses beyond that (a Proxy, say) is caught when posting.
 */
function checkPlain(root: unknown, rootPath: string): void {
  // An explicit stack, not recursion: a hostile request may nest arrays deeper than the call stack.
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[root, rootPath]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, path] = next;
    if (typeof v === 'function' || typeof v === 'symbol') {
      throw new ValidationError(
        `trainInWorker: ${path} is a ${typeof v}, which cannot be sent to a worker; the request must be plain data (numbers, strings, arrays, objects, typed arrays)`,
      );
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (isShared(v.buffer))
        throw new ValidationError(`trainInWorker: ${path} is on a SharedArrayBuffer; pass a copy (.slice())`);
      continue;
    }
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    else for (const [key, item] of Object.entries(v).reverse()) stack.push([item, `${path}.${key}`]);
  }
}

function checkNetwork(network: WorkerNetwork): {
  dtype: DType;
  inputs: number;
  outputs: number;
  output: ActivationName;
} {
  check(
    typeof network === 'object' && network !== null && ('create' in network || 'bytes' in network),
    'trainInWorker: network must be { create: options } or { bytes: Uint8Array, backend? }',
  );
  checkPlain(network, 'network');
  if ('create' in network) {
    checkKeys(network, ['create'], 'trainInWorker network');
    const arch = resolveArchitecture(network.create);
    // Whether threads can run is the worker's to say (a page cannot, its worker can); the value is checked here.
    checkThreads(network.create.threads, arch.backend);
    // What Network.create would refuse in the worker: the size against memoryLimit, explicit weights.
    checkNetworkSize(
      sizedLayers(arch),
      arch.dtype,
      checkMemoryLimit(network.create.memoryLimit, arch.backend),
      'trainInWorker network',
    );
    if (network.create.weights !== undefined)
      flattenWeights(network.create.weights, parameterShapesOf(arch), arch.dtype, 'trainInWorker network weights');
    return shapeOf(arch);
  }
  checkKeys(network, ['bytes', 'backend'], 'trainInWorker network');
  if (network.backend !== undefined) checkName(network.backend, BACKENDS, 'trainInWorker: network backend');
  return shapeOf(decodeBinaryModel(network.bytes).arch);
}

/** Row widths of x (the input shape's elements) and y, the dtype and the output activation. */
function shapeOf(arch: Pick<Architecture, 'dtype' | 'inputShape' | 'layers' | 'activations'>): {
  dtype: DType;
  inputs: number;
  outputs: number;
  output: ActivationName;
} {
  return {
    dtype: arch.dtype,
    inputs: arch.inputShape.reduce((a, b) => a * b, 1),
    outputs: arch.layers.at(-1)!,
    output: arch.activations.at(-1)!,
  };
}

function checkData(a: unknown, width: number, dtype: DType, what: string): FloatArray {
  if ((a instanceof Float32Array || a instanceof Float64Array) && a.length === 0 && a.buffer.byteLength === 0) {
    throw new ValidationError(
      `trainInWorker ${what} is empty; if it was given to trainInWorker before, it was moved to that worker (its buffer is detached): pass a copy (.slice()) to keep one`,
    );
  }
  if (!isDTypeArray(a, dtype)) {
    throw new ValidationError(
      `trainInWorker: x and y must be ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'}s (the network's dtype), so they can be moved to the worker`,
    );
  }
  return asFlat(a, width, dtype, `trainInWorker ${what}`);
}

/** Checks everything the worker would refuse; builds the message. Throws a ValidationError (or ModelFormatError for bad bytes). */
export function prepare(r: TrainRequest, options: TrainOptions): PreparedJob {
  check(typeof r === 'object' && r !== null, 'trainInWorker needs a request object { network, x, y, fit? }');
  checkKeys(r, REQUEST_KEYS, 'trainInWorker request');
  checkOptions(options);
  const { dtype, inputs, outputs, output } = checkNetwork(r.network);
  const x = checkData(r.x, inputs, dtype, 'x');
  const rows = rowCount(x, inputs, 'trainInWorker x');
  const y = checkData(
    expandLabels(r.y, outputs, output, dtype, 'trainInWorker y', rows, DEFAULT_MEMORY_LIMIT),
    outputs,
    dtype,
    'y',
  );
  check(
    rows === rowCount(y, outputs, 'trainInWorker y'),
    `trainInWorker: x has ${rows} rows but y has ${y.length / outputs}`,
  );
  check(r.fit !== null, 'trainInWorker: fit must be an options object or left out; got null');
  const fitIn = r.fit ?? {};
  if (typeof fitIn === 'object' && fitIn !== null && 'onEpochEnd' in fitIn)
    throw new ValidationError('trainInWorker: pass onProgress in the second argument, not onEpochEnd');
  const resolved = resolveFit(fitIn, trainingRows(fitIn, rows), dtype, metricOf(output));
  const { validationData, ...rest } = fitIn;
  checkPlain(rest, 'fit');
  // Validation data is checked here and sent as flat copies of the dtype (moved, so sent once).
  const transfer: ArrayBuffer[] = [];
  const fit: WorkerFitOptions = { ...rest };
  if (resolved.validationData) {
    const vx = toFlat(resolved.validationData[0], inputs, dtype, 'trainInWorker fit.validationData x');
    const vy = toFlat(
      expandLabels(
        resolved.validationData[1],
        outputs,
        output,
        dtype,
        'trainInWorker fit.validationData y',
        vx.rows,
        DEFAULT_MEMORY_LIMIT,
      ),
      outputs,
      dtype,
      'trainInWorker fit.validationData y',
    );
    check(vx.rows === vy.rows, `trainInWorker fit.validationData: x has ${vx.rows} rows but y has ${vy.rows}`);
    fit.validationData = [vx.data, vy.data];
    transfer.push(vx.data.buffer as ArrayBuffer, vy.data.buffer as ArrayBuffer);
  }
  // Only now, with everything checked: x and y as they will be moved (copies where they cannot be).
  const xSent = ownsBuffer(x) ? x : x.slice();
  const ySent = ownsBuffer(y) && y.buffer !== xSent.buffer ? y : y.slice();
  transfer.push(xSent.buffer as ArrayBuffer, ySent.buffer as ArrayBuffer);
  const backend = options.backend ?? ('create' in r.network ? r.network.create.backend : r.network.backend);
  return {
    message: {
      type: 'train',
      network: r.network,
      dtype,
      x: xSent,
      y: ySent,
      fit,
      snapshotEvery: options.snapshotEvery ?? 0,
    },
    transfer,
    backend,
  };
}
