// The public training API (DESIGN.md "Public API"), written once over the Backend interface.
import type { Backend, Model } from './backend.js';
import { getBackend } from './backends/index.js';
import { decodeBytes, encodeBytes } from './binary.js';
import { allocFloat, asFlat, toFlat, toNested } from './data.js';
import { AbortError, check, DisposedError, ValidationError } from './errors.js';
import { epochsPerCall, now, runEpochs } from './fit-loop.js';
import { resolveFit } from './fit-options.js';
import { initialWeights } from './init.js';
import { checkFitSize, checkMemoryLimit, checkNetworkSize } from './limits.js';
import { accuracy } from './metrics.js';
import type { ModelData } from './model-data.js';
import { BACKENDS, checkKeys, checkName, resolveArchitecture, type Architecture } from './options.js';
import { Rng } from './rng.js';
import { decodeModel, encodeModel, type ModelJSON } from './serialize.js';
import type {
  BackendName, Evaluation, FitOptions, FloatArray, History, LayerWeights, Matrix, NetworkOptions, OptimizerName,
} from './types.js';
import { flattenWeights } from './weights.js';

/** fitAsync gives the event loop a turn once this much training time has passed. */
const YIELD_AFTER_MS = 8;

// A macrotask without setTimeout's 4 ms clamp (nested timeouts are clamped in browsers and workers).
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

export interface LoadOptions {
  backend?: BackendName;
  /** Refuse models that need more bytes than this (default: 32-bit WebAssembly memory less 64 MiB). */
  memoryLimit?: number;
}

export class Network {
  private disposed = false;
  /** Set while a fitAsync is between epochs: another fit would interleave with it. */
  private training = false;
  /** Optimizer steps taken (Adam's t), the optimizer they were taken with, and epochs trained. */
  private steps = 0;
  private optimizer: OptimizerName | null = null;
  private epochsTrained = 0;
  private readonly shuffleRng: Rng;

  private constructor(private readonly arch: Architecture, readonly backend: Backend, private readonly model: Model,
    private readonly memoryLimit: number) {
    this.shuffleRng = new Rng(arch.seed ^ 0x5f3759df);
  }

  /** Builds a network: seeded initial weights, or the `weights` given. */
  static async create(options: NetworkOptions): Promise<Network> {
    const arch = resolveArchitecture(options);
    const limit = checkMemoryLimit(options.memoryLimit);
    checkNetworkSize(arch.layers, arch.dtype, limit, 'Network.create');
    const explicit = options.weights === undefined ? null : flattenWeights(options.weights, arch.layers, 'weights');
    const net = Network.build(arch, await getBackend(arch.backend, arch.dtype), limit);
    if (explicit) explicit.forEach(({ W, b }, l) => net.model.writeParams(l, W, b));
    return net;
  }

  /** Rebuilds a network from toJSON() or checkpoint() output (object or text). */
  static async fromJSON(json: ModelJSON | string, options: LoadOptions = {}): Promise<Network> {
    return Network.restore(decodeModel(json), options);
  }

  /** Rebuilds a network from toBytes() output. */
  static async fromBytes(bytes: Uint8Array | ArrayBuffer, options: LoadOptions = {}): Promise<Network> {
    return Network.restore(decodeBytes(bytes), options);
  }

  private static async restore(data: ModelData, options: LoadOptions): Promise<Network> {
    checkKeys(options, ['backend', 'memoryLimit'], 'load options');
    const limit = checkMemoryLimit(options.memoryLimit);
    checkNetworkSize(data.arch.layers, data.arch.dtype, limit, 'load');
    const backend = await getBackend(checkName(options.backend ?? 'wasm', BACKENDS, 'backend'), data.arch.dtype);
    const net = Network.build({ ...data.arch, backend: backend.name }, backend, limit);
    data.params.forEach(({ W, b }, l) => net.model.writeParams(l, W, b));
    const t = data.training;
    if (t) {
      net.model.setOptimizer(t.optimizer, t.state);
      net.optimizer = t.optimizer;
      net.steps = t.steps;
      net.epochsTrained = t.epochs;
      net.shuffleRng.setState(t.shuffleState);
    }
    return net;
  }

  private static build(arch: Architecture, backend: Backend, limit: number): Network {
    const model = backend.createModel({
      loss: arch.loss,
      layers: arch.activations.map((activation, l) => ({ inputs: arch.layers[l]!, outputs: arch.layers[l + 1]!, activation })),
    });
    const rng = new Rng(arch.seed);
    arch.activations.forEach((act, l) => {
      const inputs = arch.layers[l]!, outputs = arch.layers[l + 1]!;
      model.writeParams(l, initialWeights(rng, inputs, outputs, act), new Float64Array(outputs));
    });
    return new Network(arch, backend, model, limit);
  }

  get layers(): readonly number[] { return this.arch.layers; }
  get dtype(): Architecture['dtype'] { return this.arch.dtype; }
  private get inputs(): number { return this.arch.layers[0]!; }
  private get outputs(): number { return this.arch.layers[this.arch.layers.length - 1]!; }

  private live(): void {
    if (this.disposed) throw new DisposedError('this Network was disposed; create a new one');
  }

  /**
   * Trains epochs initialEpoch..epochs-1 (Keras semantics: each epoch's loss is accumulated before
   * each batch's update); returns their history. Everything is checked before training starts.
   */
  fit(x: Matrix, y: Matrix, options: FitOptions = {}): History {
    const run = this.session(x, y, options, false);
    this.training = true; // an onEpochEnd that calls fit on this network is refused
    try {
      for (const _ of run.steps) { /* one backend call per step */ }
    } finally {
      this.training = false;
    }
    return run.history;
  }

  /**
   * fit that gives the event loop a turn between epochs (once 8 ms of training have passed), so a
   * page stays responsive and the `signal` can stop training between epochs (the promise then
   * rejects with an AbortError, and the network keeps the epochs completed).
   */
  async fitAsync(x: Matrix, y: Matrix, options: FitOptions & { signal?: AbortSignal } = {}): Promise<History> {
    const { signal, ...rest } = options;
    if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal)) {
      throw new ValidationError('fitAsync signal must be an AbortSignal');
    }
    const run = this.session(x, y, rest, true);
    this.training = true;
    let lastYield = now();
    try {
      for (const _ of run.steps) {
        if (now() - lastYield < YIELD_AFTER_MS) continue;
        await nextMacrotask();
        lastYield = now();
        if (this.disposed) throw new DisposedError('the Network was disposed during fitAsync');
        if (signal?.aborted) {
          throw AbortError.after('fitAsync', run.history.epoch.at(-1));
        }
      }
    } finally {
      run.steps.return();
      this.training = false;
    }
    return run.history;
  }

  // Checks everything, copies the data in, and returns the epoch loop; memory is released when it ends.
  private session(x: Matrix, y: Matrix, options: FitOptions, yields: boolean): { steps: Generator<void, void, void>; history: History } {
    this.live();
    if (this.training) throw new ValidationError('fit: this network is already training (a fit or fitAsync is running)');
    // Checked in place when already flat arrays of the dtype: the backend's loadData makes the one copy.
    const xs = asFlat(x, this.inputs, this.arch.dtype, 'fit x'), xRows = xs.length / this.inputs;
    const ys = asFlat(y, this.outputs, this.arch.dtype, 'fit y'), yRows = ys.length / this.outputs;
    check(xRows === yRows, `fit: x has ${xRows} rows but y has ${yRows}`);
    const o = resolveFit(options, xRows);
    const val = o.validationData && {
      x: toFlat(o.validationData[0], this.inputs, this.arch.dtype, 'validationData x'),
      y: toFlat(o.validationData[1], this.outputs, this.arch.dtype, 'validationData y'),
    };
    if (val) check(val.x.rows === val.y.rows, `validationData: x has ${val.x.rows} rows but y has ${val.y.rows}`);
    const perCall = epochsPerCall(o, xRows, yields);
    checkFitSize(this.arch.layers, this.arch.dtype, xRows, o.batchSize, perCall, this.memoryLimit);

    // The data goes in first: if memory runs out there, nothing about the network has changed.
    const data = this.model.loadData(xs, ys, xRows, perCall);
    try {
      this.model.setOptimizer(o.step.optimizer.name);
    } catch (e) {
      data.release();
      throw e;
    }
    if (o.step.optimizer.name !== this.optimizer) { this.steps = 0; this.optimizer = o.step.optimizer.name; }
    const history: History = { epoch: [], loss: [], accuracy: [], ...(val ? { val_loss: [], val_accuracy: [] } : {}) };
    const state = { steps: this.steps };
    const self = this;
    function* steps(): Generator<void, void, void> {
      try {
        yield* runEpochs(self.model, data, o, self.shuffleRng, state, history,
          val && (() => self.evaluateFlat(val.x.data, val.y.data, val.x.rows)));
      } finally {
        self.steps = state.steps;
        self.epochsTrained = o.initialEpoch + history.epoch.length;
        data.release();
      }
    }
    return { steps: steps(), history };
  }

  /**
   * Outputs for each row: number[][] for nested input, a flat array of the dtype for typed input.
   * With `out` (a typed array of the dtype, rows x outputs) the outputs are written there and `out`
   * is returned; with typed input of the dtype, such a call allocates nothing on the WASM backend.
   */
  predict(x: Matrix, options?: { out?: FloatArray }): number[][] | FloatArray {
    this.live();
    const data = asFlat(x, this.inputs, this.arch.dtype, 'predict x');
    const rows = data.length / this.inputs;
    const given = options?.out;
    // Messages are built only on failure: this path must not allocate.
    if (given !== undefined) {
      if (!(this.arch.dtype === 'float32' ? given instanceof Float32Array : given instanceof Float64Array)) {
        throw new ValidationError(`predict out must be a ${this.arch.dtype === 'float32' ? 'Float32Array' : 'Float64Array'} (the network's dtype)`);
      }
      if (given.length !== rows * this.outputs) {
        throw new ValidationError(`predict out has length ${given.length}, expected ${rows} rows x ${this.outputs} outputs = ${rows * this.outputs}`);
      }
    }
    const out = given ?? allocFloat(this.arch.dtype, rows * this.outputs);
    this.model.predict(data, rows, out);
    return Array.isArray(x) && !given ? toNested(out, rows, this.outputs) : out;
  }

  private evaluateFlat(x: FloatArray, y: FloatArray, rows: number): Evaluation {
    const pred = allocFloat(this.arch.dtype, rows * this.outputs);
    const loss = this.model.evaluate(x, y, rows, pred);
    return { loss: loss / rows, accuracy: accuracy(pred, y, rows, this.outputs) };
  }

  /** Mean loss per sample and accuracy on (x, y). */
  evaluate(x: Matrix, y: Matrix): Evaluation {
    this.live();
    const xs = asFlat(x, this.inputs, this.arch.dtype, 'evaluate x'), rows = xs.length / this.inputs;
    const ys = asFlat(y, this.outputs, this.arch.dtype, 'evaluate y');
    check(rows === ys.length / this.outputs, `evaluate: x has ${rows} rows but y has ${ys.length / this.outputs}`);
    return this.evaluateFlat(xs, ys, rows);
  }

  getWeights(): LayerWeights[] {
    this.live();
    return this.arch.layers.slice(1).map((outputs, l) => {
      const { W, b } = this.model.readParams(l);
      return { W: toNested(W, this.arch.layers[l]!, outputs), b: Array.from(b) };
    });
  }

  /** Replaces all weights; checked in full first, so a rejected call changes nothing. */
  setWeights(ws: LayerWeights[]): void {
    this.live();
    flattenWeights(ws, this.arch.layers, 'setWeights').forEach(({ W, b }, l) => this.model.writeParams(l, W, b));
  }

  private snapshot(training: boolean): ModelData {
    this.live();
    const { backend: _b, ...arch } = this.arch;
    const params = this.arch.layers.slice(1).map((_, l) => this.model.readParams(l));
    if (!training) return { arch, params };
    const optimizer = this.optimizer ?? 'sgd';
    return {
      arch, params,
      training: {
        optimizer, steps: this.steps, epochs: this.epochsTrained, shuffleState: this.shuffleRng.getState(),
        state: this.optimizer ? this.model.readOptimizerState() : params.map(() => []),
      },
    };
  }

  /** The model (architecture and weights) as JSON; Network.fromJSON reads it back bit-exactly. */
  toJSON(): ModelJSON {
    return encodeModel(this.snapshot(false));
  }

  /**
   * Everything needed to resume training: weights, optimizer state and step count, the shuffle
   * generator and the epochs trained. Resume with Network.fromJSON, then fit with initialEpoch.
   */
  checkpoint(): ModelJSON {
    return encodeModel(this.snapshot(true));
  }

  /** The compact binary form (checksummed); with { training: true }, a checkpoint. */
  toBytes(options: { training?: boolean } = {}): Uint8Array {
    return encodeBytes(this.snapshot(options.training === true));
  }

  /** Frees the network's memory; any later use throws. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}
