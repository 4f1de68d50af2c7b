// The public training API (docs/api-guide.md, "Using it"), written once over the Backend interface.
import type { Backend, Model } from '../backends/backend.js';
import { getBackend } from '../backends/index.js';
import { decodeBinaryModel, encodeBinaryModel } from '../format/binary.js';
import { asFlat, isDTypeArray, toNested } from '../checks/data.js';
import { allocFloat } from '../util/float-array.js';
import { AbortError, check, DisposedError, shown, ValidationError } from '../errors.js';
import { callEpochs, emptyHistory, now, runEpochs, type Counters } from '../train/fit-loop.js';
import { FIT_KEYS } from '../train/fit-options.js';
import { checkFitData } from '../train/fit-data.js';
import { fitStart, undoFit } from '../train/undo.js';
import { initialWeights } from './initial-weights.js';
import { metricOf } from '../ops/activations.js';
import { checkFitSize, checkMemoryLimit, checkNetworkSize } from '../checks/limits.js';
import { chunkRows, forwardAll } from './inference.js';
import { finalizer, nextMacrotask, predictOptions, YIELD_AFTER_MS } from './lifecycle.js';
import { imageRows, summary } from './summary.js';
import { classification, regression } from '../train/metrics.js';
import type { ModelData } from '../format/model-data.js';
import { BACKENDS, checkName, checkOptions, layerConfigs, parameterShapesOf, resolveArchitecture, sizedLayers, type Architecture } from '../checks/options.js';
import { Rng } from '../util/rng.js';
import type { LayerConfig, Shape } from '../layers/index.js';
import { decodeJsonModel, encodeJsonModel, type CheckpointJSON, type ModelJSON, type ModelJSONv1 } from '../format/json.js';
import type { BackendName, Conv2dWeights, DType, Evaluation, FitOptions, FloatArray, FloatArrayOf, History, LayerWeights, Matrix, NetworkOptions, OptimizerName, OutputActivation, Targets } from '../types.js';
import { checkTargets } from '../checks/targets.js';
import { expandLabels } from '../checks/labels.js';
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
  /** Optimizer steps taken (Adam's t) and epochs trained, advanced as each epoch completes. */
  private readonly counters: Counters = { steps: 0, epochs: 0 };
  /** The optimizer the steps were taken with. */
  private optimizer: OptimizerName | null = null;
  private readonly shuffleRng: Rng;
  private readonly frozenSizes: readonly number[]; private readonly frozenInputShape: readonly number[]; private readonly frozenLayers: readonly LayerConfig[];
  private readonly frozenActivations: readonly OutputActivation[]; private readonly frozenDropout: readonly number[];
  private readonly shapes: readonly { W: Shape; b: Shape }[]; // of each layer with parameters (conv layers first): getWeights' order

  private constructor(key: symbol, private readonly arch: Architecture, private readonly impl: Backend, private readonly model: Model,
    private readonly memoryLimit: number) {
    if (key !== CONSTRUCT) throw new ValidationError('use `await Network.create(options)`, `Network.fromJSON(json)` or `Network.fromBytes(bytes)`; `new Network()` is not supported');
    this.shuffleRng = new Rng(arch.seed ^ 0x5f3759df);
    [this.frozenSizes, this.frozenInputShape] = [Object.freeze([...arch.layers]), Object.freeze([...arch.inputShape])];
    this.frozenLayers = Object.freeze(layerConfigs(arch));
    this.shapes = parameterShapesOf(arch);
    this.frozenActivations = Object.freeze([...arch.activations]);
    this.frozenDropout = Object.freeze([...arch.dropout]);
    finalizer?.register(this, { model, backend: impl }, this);
  }

  /** Builds a network: seeded initial weights, or the `weights` given. */
  static async create<D extends DType = 'float32'>(options: NetworkOptions<D>): Promise<Network<D>> {
    // Everything the network keeps is checked and copied before the first await.
    const arch = resolveArchitecture(options);
    const limit = checkMemoryLimit(options.memoryLimit, arch.backend);
    checkNetworkSize(sizedLayers(arch), arch.dtype, limit, 'Network.create');
    const explicit = options.weights === undefined ? null : flattenWeights(options.weights, parameterShapesOf(arch), arch.dtype, 'weights');
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
      data.weights.forEach(({ W, b }, l) => net.model.writeParams(l, W, b));
      const t = data.training;
      if (t) {
        net.model.prepare(1, t.optimizer, t.state);
        net.optimizer = t.optimizer;
        net.counters.steps = t.steps;
        net.counters.epochs = t.epochs;
        net.shuffleRng.setState(t.shuffleState);
      }
    } catch (e) {
      net.dispose();
      throw e;
    }
    return net;
  }

  private static build(arch: Architecture, backend: Backend, limit: number): Network {
    let model: Model;
    try {
      model = backend.createModel({
        loss: arch.loss,
        metric: metricOf(arch.activations[arch.activations.length - 1]!),
        dropoutSeed: (arch.seed ^ 0x2545f491) >>> 0,
        layers: arch.activations.map((activation, l) => ({ inputs: arch.layers[l]!, outputs: arch.layers[l + 1]!, activation, dropout: arch.dropout[l] ?? 0 })),
        image: arch.spatial.length ? { inputShape: arch.inputShape, layers: arch.spatial } : null,
      });
    } catch (e) {
      backend.dispose?.(); // a threaded backend's workers
      throw e;
    }
    // Seeded, conv layers first (fan-in kh·kw·inChannels, fan-out kh·kw·filters, as Keras), then the dense layers.
    const rng = new Rng(arch.seed), convs = arch.spatial.filter((c) => c.type === 'conv2d');
    parameterShapesOf(arch).forEach(({ W, b }, l) => {
      const act = l < convs.length ? convs[l]!.activation : arch.activations[l - convs.length]!;
      const field = W.length === 4 ? W[0]! * W[1]! : 1, inputs = W.slice(0, -1).reduce((a, v) => a * v, 1);
      model.writeParams(l, initialWeights(rng, inputs, field * b[0]!, act, inputs * b[0]!), new Float64Array(b[0]!));
    });
    return new Network(CONSTRUCT, arch, backend, model, limit);
  }

  /** The seed of initialization and shuffling: the one given, or the one drawn at random when none was (stored in model files). */
  get seed(): number { return this.arch.seed; }

  /** A text table of the layers (shape, activation, dropout, parameters), the total, dtype, backend and memory in use. */
  summary(): string {
    this.live();
    return summary({
      layers: this.arch.layers, activations: this.arch.activations, dropout: this.arch.dropout, dtype: this.arch.dtype,
      backend: this.impl.name, bytesInUse: this.model.bytesInUse(), inputShape: this.arch.inputShape, image: imageRows(this.arch.inputShape, this.arch.spatial),
    });
  }

  /** The backend the network runs on. */
  get backend(): BackendName { return this.impl.name; }
  /** Threads its products run on (Network.create's `threads`, resolved). */
  get threads(): number { return this.impl.threads ?? 1; }
  /** The layers in the general form, every option stated (a frozen copy: changing it changes nothing). */
  get layers(): readonly LayerConfig[] { return this.frozenLayers; }
  /** The shape of one input row, and the layer sizes input first as the compact form gives them (what net.layers was before; frozen copies). */
  get inputShape(): readonly number[] { return this.frozenInputShape; }
  get sizes(): readonly number[] { return this.frozenSizes; }
  /** Activation of each layer of weights, the output's last (a frozen copy). */
  get activations(): readonly OutputActivation[] { return this.frozenActivations; }
  /** Dropout rate of each hidden layer, 0 where there is none (a frozen copy). */
  get dropout(): readonly number[] { return this.frozenDropout; }
  get dtype(): D { return this.arch.dtype as D; }
  private get inputs(): number { return this.arch.inputShape.reduce((a, b) => a * b, 1); } // elements of one input row
  private get outputs(): number { return this.arch.layers.at(-1)!; } private get outputActivation(): OutputActivation { return this.arch.activations.at(-1)!; }

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
    if (this.disposed) throw new DisposedError(`the Network was disposed during training, after epoch ${history.epoch.at(-1) ?? 'none'}; training stopped`);
  }

  // Checks everything, copies the data in and makes every buffer training needs (all or nothing),
  // then returns the epoch loop; the data's memory is released when the loop ends.
  private session(x: Matrix, y: Targets, options: FitOptions, yields: boolean): { steps: Generator<void, void, void>; history: History } {
    this.live();
    if (this.training) throw new ValidationError('fit: this network is already training (a fit or fitAsync is running)');
    const { dtype, loss } = this.arch;
    const { x: xs, y: ys, rows: xRows, options: o, firstRate, val } = checkFitData(x, y, options,
      { inputs: this.inputs, outputs: this.outputs, dtype, loss, output: this.outputActivation, metric: this.model.spec.metric, memoryLimit: this.memoryLimit });
    const perCall = callEpochs(o, xRows, yields);
    // Batch buffers for the batches, and for validation's forward passes, so training allocates nothing.
    const rows = Math.max(o.batchSize, val ? chunkRows(0, val.x.rows) : 0);
    checkFitSize(this.model.spec, dtype, xRows, rows, perCall, o.shuffle, this.memoryLimit);

    // The data goes in first, then the buffers and optimizer state: if memory runs out at either,
    // what was taken is given back and nothing about the network has changed.
    const next = o.step.optimizer.name, start = fitStart(this.model, this.shuffleRng, this.counters, this.optimizer, next);
    const data = this.model.loadData(xs, ys, xRows, perCall, o.shuffle);
    try {
      this.model.prepare(rows, next);
    } catch (e) {
      data.release();
      throw e;
    }
    if (next !== this.optimizer) { this.counters.steps = 0; this.optimizer = next; }
    const firstSteps = this.counters.steps;
    const history = emptyHistory(this.model.spec.metric, Boolean(val)), self = this;
    function* steps(): Generator<void, void, void> {
      try {
        if (yields) yield; // fitAsync returns before the first epoch: an abort right after the call stops it
        yield* runEpochs(self.model, data, o, self.shuffleRng, self.counters, history, {
          firstRate,
          validate: val && (() => self.evaluateFlat(val.x.data, val.y.data, val.x.rows)),
          saveWeights: () => self.shapes.map((_, l) => self.model.readParams(l)),
          restoreWeights: (saved) => (saved as { W: FloatArray; b: FloatArray }[]).forEach(({ W, b }, l) => self.model.writeParams(l, W, b)),
        });
      } finally {
        data.release();
        // No update applied (src/train/undo.ts): the network is as it was before the call.
        if (self.counters.steps === firstSteps && !self.disposed) { undoFit(self.model, self.shuffleRng, self.counters, start, next); self.optimizer = start.optimizer; }
      }
    }
    return { steps: steps(), history };
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
    if (given !== undefined) {
      if (!isDTypeArray(given, this.arch.dtype)) {
        throw new ValidationError(`predict out must be a ${this.arch.dtype === 'float32' ? 'Float32Array' : 'Float64Array'} (the network's dtype)`);
      }
      if (given.length !== rows * this.outputs) {
        throw new ValidationError(`predict out has length ${given.length}, expected ${rows} rows x ${this.outputs} outputs = ${rows * this.outputs}`);
      }
      if (given.buffer === data.buffer && given.byteOffset < data.byteOffset + data.byteLength && data.byteOffset < given.byteOffset + given.byteLength) {
        throw new ValidationError('predict out overlaps x: outputs would overwrite inputs still to be read; pass a separate array');
      }
    }
    const out = given ?? allocFloat(this.arch.dtype, rows * this.outputs);
    forwardAll(this.model, data, null, rows, out);
    return Array.isArray(x) && !given ? toNested(out, rows, this.outputs) : out;
  }

  private evaluateFlat(x: FloatArray, y: FloatArray, rows: number): Evaluation {
    const pred = allocFloat(this.arch.dtype, rows * this.outputs);
    const loss = forwardAll(this.model, x, y, rows, pred);
    const report = this.model.spec.metric === 'accuracy'
      ? classification(pred, y, rows, this.outputs, this.outputActivation === 'softmax')
      : regression(pred, y, rows, this.outputs);
    return { loss: loss / rows, ...report };
  }

  /**
   * Mean loss per sample on (x, y), and for sigmoid and softmax outputs the accuracy (softmax adds
   * macro precision, recall, F1 and the confusion matrix), for other outputs mae and rmse.
   */
  evaluate(x: Matrix, y: Targets): Evaluation {
    this.live();
    const xs = asFlat(x, this.inputs, this.arch.dtype, 'evaluate x'), rows = xs.length / this.inputs;
    const ys = asFlat(expandLabels(y, this.outputs, this.outputActivation, this.arch.dtype, 'evaluate y', rows, this.memoryLimit), this.outputs, this.arch.dtype, 'evaluate y');
    check(rows === ys.length / this.outputs, `evaluate: x has ${rows} rows but y has ${ys.length / this.outputs}`);
    checkTargets(ys, this.outputs, this.arch.loss, this.outputActivation, 'evaluate y');
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
    flattenWeights(ws, this.shapes, this.arch.dtype, 'setWeights').forEach(({ W, b }, l) => this.model.writeParams(l, W, b));
  }

  private snapshot(training: boolean): ModelData {
    this.live();
    const { backend: _b, ...arch } = this.arch;
    const weights = this.shapes.map((_, l) => this.model.readParams(l));
    if (!training) return { arch, weights };
    const optimizer = this.optimizer ?? 'sgd';
    return {
      arch, weights,
      training: {
        optimizer, steps: this.counters.steps, epochs: this.counters.epochs, shuffleState: this.shuffleRng.getState(),
        state: this.optimizer ? this.model.readOptimizerState() : weights.map(() => []),
      },
    };
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

