// The public training API (docs/api-guide.md, "Using it"), written once over the Backend interface.
import type { Backend, Model } from '../backends/backend.js';
import { getBackend } from '../backends/index.js';
import { decodeBinaryModel, encodeBinaryModel } from '../format/binary.js';
import { asFlat, toNested } from '../checks/data.js';
import { allocFloat } from '../util/float-array.js';
import { AbortError, check, DisposedError, shown, ValidationError } from '../errors.js';
import { now } from '../train/fit-loop.js';
import { FIT_KEYS } from '../train/fit-options.js';
import { initializeParams } from './initial-weights.js';
import { modelSpecOf } from './model-spec.js';
import { openSession, type TrainingProgress } from './session.js';
import { restoreInto, snapshotOf } from './snapshot.js';
import { checkMemoryLimit, checkNetworkSize } from '../checks/limits.js';
import { checkPredictOut, evaluateData, evaluateRows, forwardAll } from './inference.js';
import { finalizer, nextMacrotask, predictOptions, YIELD_AFTER_MS } from './lifecycle.js';
import { summaryOf } from './summary.js';
import type { ModelData } from '../format/model-data.js';
import {
  BACKENDS,
  checkName,
  checkOptions,
  layerConfigs,
  parameterShapesOf,
  resolveArchitecture,
  sizedLayers,
  type Architecture,
} from '../checks/options.js';
import { Rng } from '../util/rng.js';
import type { LayerConfig, Shape } from '../layers/index.js';
import {
  decodeJsonModel,
  encodeJsonModel,
  type CheckpointJSON,
  type ModelJSON,
  type ModelJSONv1,
} from '../format/json.js';
import type {
  BackendName,
  Conv2dWeights,
  DType,
  Evaluation,
  FitOptions,
  FloatArray,
  FloatArrayOf,
  History,
  LayerWeights,
  Matrix,
  NetworkOptions,
  ActivationName,
  Targets,
} from '../types.js';
import { flattenWeights, nestedWeights } from '../checks/weights.js';
import { resolveThreads } from '../checks/threads.js';
/** Only the static factories construct a Network. */
const CONSTRUCT = Symbol('Network');

export interface LoadOptions {
  /** Backend of the loaded network (a file does not say which it was trained on). Default `'wasm'`. */
  backend?: BackendName;
  /** Refuse models that need more bytes than this (default: 32-bit WebAssembly memory less 64 MiB). */
  memoryLimit?: number;
  /** Threads of the loaded network, as in Network.create (a property of the run; files do not store it). Default 1. */
  threads?: 'auto' | number;
}

/** A network; `D` is its dtype (`'float32'` or `'float64'`, or either: `DType`). */
export class Network<D extends DType = DType> {
  private disposed = false;
  /** Set while a fit or fitAsync runs: another fit would interleave with it. */
  private training = false;
  /** Steps (Adam's t) and epochs trained, advanced as each epoch completes; their optimizer; the shuffle stream. */
  private readonly state: TrainingProgress;
  private readonly frozenSizes: readonly number[];
  private readonly frozenInputShape: readonly number[];
  private readonly frozenLayers: readonly LayerConfig[];
  private readonly frozenActivations: readonly ActivationName[];
  private readonly frozenDropout: readonly number[];
  /** Elements of one input row and of one output row (predict checks them on every call). */
  private readonly inputs: number;
  private readonly outputs: number;
  private readonly shapes: readonly { W: Shape; b: Shape }[]; // of each layer with parameters (conv layers first): getWeights' order

  private constructor(
    key: symbol,
    private readonly arch: Architecture,
    private readonly impl: Backend,
    private readonly model: Model,
    private readonly memoryLimit: number,
  ) {
    if (key !== CONSTRUCT)
      throw new ValidationError(
        'use `await Network.create(options)`, `Network.fromJSON(json)` or `Network.fromBytes(bytes)`; `new Network()` is not supported',
      );
    this.state = { counters: { steps: 0, epochs: 0 }, optimizer: null, shuffleRng: new Rng(arch.seed ^ 0x5f3759df) };
    [this.frozenSizes, this.frozenInputShape] = [Object.freeze([...arch.layers]), Object.freeze([...arch.inputShape])];
    this.frozenLayers = Object.freeze(layerConfigs(arch));
    this.shapes = parameterShapesOf(arch);
    this.frozenActivations = Object.freeze([...arch.activations]);
    this.frozenDropout = Object.freeze([...arch.dropout]);
    this.inputs = arch.inputShape.reduce((a, b) => a * b, 1);
    this.outputs = arch.layers.at(-1)!;
    finalizer?.register(this, { model, backend: impl }, this);
  }

  /** Builds a network: seeded initial weights, or the `weights` given. */
  static async create<D extends DType = 'float32'>(options: NetworkOptions<D>): Promise<Network<D>> {
    // Everything the network keeps is checked and copied before the first await.
    const arch = resolveArchitecture(options);
    const limit = checkMemoryLimit(options.memoryLimit, arch.backend);
    checkNetworkSize(sizedLayers(arch), arch.dtype, limit, 'Network.create');
    const explicit =
      options.weights === undefined
        ? null
        : flattenWeights(options.weights, parameterShapesOf(arch), arch.dtype, 'weights');
    const threads = resolveThreads(options.threads, arch.backend, arch.spatial.length ? undefined : arch.layers);
    const net = Network.build(arch, await getBackend(arch.backend, arch.dtype, threads), limit);
    if (explicit) explicit.forEach(({ W, b }, l) => net.model.writeParams(l, W, b));
    return net as Network<D>;
  }

  /** Rebuilds a network from toJSON() or checkpoint() output (object or text; version 1 files too). */
  static async fromJSON(json: ModelJSON | ModelJSONv1 | string, options?: LoadOptions): Promise<Network> {
    return Network.restore(() => decodeJsonModel(json), options);
  }

  /** Rebuilds a network from toBytes() output. */
  static async fromBytes(bytes: Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<Network> {
    return Network.restore(() => decodeBinaryModel(bytes), options);
  }

  private static async restore(decode: () => ModelData, options: LoadOptions | undefined): Promise<Network> {
    const o = checkOptions(options, ['backend', 'memoryLimit', 'threads'], 'load');
    const data = decode();
    const name = checkName(o.backend ?? 'wasm', BACKENDS, 'backend');
    const limit = checkMemoryLimit(o.memoryLimit, name);
    const threads = resolveThreads(o.threads, name, data.arch.spatial.length ? undefined : data.arch.layers);
    checkNetworkSize(sizedLayers(data.arch), data.arch.dtype, limit, 'load');
    const backend = await getBackend(name, data.arch.dtype, threads);
    const net = Network.build({ ...data.arch, backend: name }, backend, limit);
    try {
      restoreInto(net.model, net.state, data);
    } catch (e) {
      net.dispose();
      throw e;
    }
    return net;
  }

  private static build(arch: Architecture, backend: Backend, limit: number): Network {
    let model: Model;
    try {
      model = backend.createModel(modelSpecOf(arch));
    } catch (e) {
      backend.dispose?.(); // a threaded backend's workers
      throw e;
    }
    initializeParams(model, arch);
    return new Network(CONSTRUCT, arch, backend, model, limit);
  }

  /** The seed of initialization and shuffling: the one given, or the one drawn at random when none was (stored in model files). */
  get seed(): number {
    return this.arch.seed;
  }

  /** A text table of the layers (shape, activation, dropout, parameters), the total, dtype, backend and memory in use. */
  summary(): string {
    this.live();
    return summaryOf(this.arch, this.impl.name, this.model.bytesInUse());
  }

  /** The backend the network runs on. */
  get backend(): BackendName {
    return this.impl.name;
  }
  /** Threads its products run on (Network.create's `threads`, resolved). */
  get threads(): number {
    return this.impl.threads ?? 1;
  }
  /** The layers in the general form, every option stated (a frozen copy: changing it changes nothing). */
  get layers(): readonly LayerConfig[] {
    return this.frozenLayers;
  }
  /** The shape of one input row, and the layer sizes input first as the compact form gives them (what net.layers was before; frozen copies). */
  get inputShape(): readonly number[] {
    return this.frozenInputShape;
  }
  get sizes(): readonly number[] {
    return this.frozenSizes;
  }
  /** Activation of each layer of weights, the output's last (a frozen copy). */
  get activations(): readonly ActivationName[] {
    return this.frozenActivations;
  }
  /** Dropout rate of each hidden layer, 0 where there is none (a frozen copy). */
  get dropout(): readonly number[] {
    return this.frozenDropout;
  }
  get dtype(): D {
    return this.arch.dtype as D;
  }
  private get outputActivation(): ActivationName {
    return this.arch.activations.at(-1)!;
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this Network was disposed; create a new one');
  }

  /**
   * Trains epochs initialEpoch..epochs-1 (Keras semantics: each epoch's loss is accumulated before
   * each batch's update); returns their history. Everything is checked before training starts.
   * dispose() from a callback stops training at once: fit then throws a DisposedError.
   */
  fit(x: Matrix, y: Targets, options: FitOptions = {}): History {
    const run = this.session(x, y, options, false);
    this.training = true; // an onEpochEnd that calls fit on this network is refused
    try {
      for (const _ of run.steps) this.stillLive(run.history);
    } finally {
      this.training = false;
    }
    return run.history;
  }

  /**
   * fit that gives the event loop a turn between epochs (once 8 ms of training have passed), so a
   * page stays responsive and the `signal` can stop training between epochs (the promise then
   * rejects with an AbortError, and the network keeps the epochs completed). The call returns
   * before the first epoch: aborted right after it, the network stays exactly as it was.
   */
  async fitAsync(x: Matrix, y: Targets, options: FitOptions & { signal?: AbortSignal } = {}): Promise<History> {
    const { signal, ...rest } = checkOptions(options, [...FIT_KEYS, 'signal'], 'fitAsync');
    if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal)) {
      throw new ValidationError('fitAsync signal must be an AbortSignal');
    }
    if (signal?.aborted) throw AbortError.after('fitAsync', undefined); // aborted before the call: nothing happens
    const run = this.session(x, y, rest, true);
    this.training = true;
    let lastYield = now();
    try {
      for (const _ of run.steps) {
        this.stillLive(run.history);
        if (signal?.aborted) throw AbortError.after('fitAsync', run.history.epoch.at(-1)); // e.g. from onEpochEnd, or right after the call
        if (run.history.epoch.length > 0 && now() - lastYield < YIELD_AFTER_MS) continue;
        await nextMacrotask();
        lastYield = now();
        this.stillLive(run.history);
        if (signal?.aborted) throw AbortError.after('fitAsync', run.history.epoch.at(-1));
      }
    } finally {
      run.steps.return();
      this.training = false;
    }
    return run.history;
  }

  // Between backend calls: a dispose() from a callback (or while fitAsync waited) ends training.
  private stillLive(history: History): void {
    if (this.disposed)
      throw new DisposedError(
        `the Network was disposed during training, after epoch ${history.epoch.at(-1) ?? 'none'}; training stopped`,
      );
  }

  private session(
    x: Matrix,
    y: Targets,
    options: FitOptions,
    yields: boolean,
  ): { steps: Generator<void, void, void>; history: History } {
    this.live();
    if (this.training)
      throw new ValidationError('fit: this network is already training (a fit or fitAsync is running)');
    const { model, arch, memoryLimit, state } = this;
    return openSession(
      {
        model,
        arch,
        memoryLimit,
        state,
        paramLayers: this.shapes.length,
        disposed: () => this.disposed,
        evaluate: (xs, ys, rows, pred) => this.evaluateFlat(xs, ys, rows, pred),
      },
      x,
      y,
      options,
      yields,
    );
  }

  /**
   * Outputs for each row: number[][] for nested input, a flat array of the dtype for typed input.
   * With `out` (a typed array of the dtype, rows x outputs) the outputs are written there and `out`
   * is returned; with typed input of the dtype, such a call allocates nothing on the WASM backend.
   */
  predict<O extends FloatArray>(x: Matrix, options: { out: O }): O;
  predict(x: FloatArray, options?: { out?: undefined }): FloatArrayOf<D>;
  predict(x: ReadonlyArray<ReadonlyArray<number>>, options?: { out?: undefined }): number[][];
  predict(x: Matrix, options?: { out?: FloatArray }): number[][] | FloatArrayOf<D>;
  predict(x: Matrix, options?: { out?: FloatArray }): number[][] | FloatArray {
    this.live();
    // Messages are built only on failure: this path must not allocate.
    const given = predictOptions(options).out;
    const data = asFlat(x, this.inputs, this.arch.dtype, 'predict x');
    const rows = data.length / this.inputs;
    if (given !== undefined) checkPredictOut(given, data, rows, this.outputs, this.arch.dtype);
    const out = given ?? allocFloat(this.arch.dtype, rows * this.outputs);
    forwardAll(this.model, data, null, rows, out);
    return Array.isArray(x) && !given ? toNested(out, rows, this.outputs) : out;
  }

  private evaluateFlat(x: FloatArray, y: FloatArray, rows: number, pred?: FloatArray): Evaluation {
    return evaluateRows(this.model, x, y, rows, this.outputs, this.outputActivation, pred);
  }

  /**
   * Mean loss per sample on (x, y), and for sigmoid and softmax outputs the accuracy (softmax adds
   * macro precision, recall, F1 and the confusion matrix), for other outputs mae and rmse.
   */
  evaluate(x: Matrix, y: Targets): Evaluation {
    this.live();
    const { xs, ys, rows } = evaluateData(x, y, this.arch, this.memoryLimit);
    return this.evaluateFlat(xs, ys, rows);
  }

  getWeights(): LayerWeights[] {
    this.live();
    return this.shapes.map((shape, l) => {
      const { W, b } = this.model.readParams(l);
      return { W: nestedWeights(W, shape.W), b: Array.from(b) };
    });
  }

  /** Replaces all weights; checked in full first, so a rejected call changes nothing. */
  setWeights(ws: (LayerWeights | Conv2dWeights)[]): void {
    this.live();
    flattenWeights(ws, this.shapes, this.arch.dtype, 'setWeights').forEach(({ W, b }, l) =>
      this.model.writeParams(l, W, b),
    );
  }

  private snapshot(training: boolean): ModelData {
    this.live();
    return snapshotOf(this.model, this.arch, this.shapes.length, this.state, training);
  }

  /** The model (architecture and weights) as JSON; Network.fromJSON reads it back bit-exactly. */
  toJSON(): ModelJSON {
    return encodeJsonModel(this.snapshot(false));
  }

  /**
   * Everything needed to resume training: weights, optimizer state and step count, the shuffle
   * generator and the epochs trained. Resume with Network.fromJSON, then fit with initialEpoch.
   */
  checkpoint(): CheckpointJSON {
    return encodeJsonModel(this.snapshot(true)) as CheckpointJSON;
  }

  /** The compact binary form (checksummed); with { training: true }, a checkpoint. */
  toBytes(options?: { training?: boolean }): Uint8Array {
    const { training = false } = checkOptions(options, ['training'], 'toBytes');
    check(typeof training === 'boolean', `toBytes training must be true or false; got ${shown(training)}`);
    return encodeBinaryModel(this.snapshot(training));
  }

  /**
   * Frees the network's memory; any later use throws a DisposedError. Safe at any moment: called
   * from a training callback, it stops the training at once (fit throws a DisposedError). A network
   * dropped without dispose() is freed when the garbage collector reclaims it.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    finalizer?.unregister(this);
    this.model.dispose();
    this.impl.dispose?.();
  }

  /** `using net = await Network.create(…)` disposes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
