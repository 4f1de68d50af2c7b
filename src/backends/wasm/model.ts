// A network in linear memory: parameters, gradients, optimizer state, work buffers and the layer
// table, trained by one exported call per epoch (or per many epochs when no callback runs between).
import type { DataSet, EpochsResult, Model, ModelSpec, StepConfig } from '../backend.js';
import { batchBuffers } from '../buffer-plan.js';
import { DisposedError, ValidationError } from '../../errors.js';
import { activationOp } from '../../ops/activations.js';
import { lossOp } from '../../ops/losses.js';
import { dropoutThreshold } from '../../ops/dropout.js';
import { optimizerOp, packParams, stateSlots, type OptimizerName } from '../../ops/optimizers.js';
import { bytesPer, copyRows, type DType, type FloatArray } from '../../util/float-array.js';
import { ArenaView } from './arena.js';
import type { DTypeExports } from './exports.js';
import { descriptorWords, FAILURE_KINDS, METRICS, readHeader, writeDescriptor, type LayerFields } from './layout.js';
import type { WasmRuntime } from './runtime.js';


// A, D, Z, mask, dropped: the batch buffers of backends/buffer-plan.ts (0 where the plan has none).
interface LayerRegions { W: number; b: number; dW: number; db: number; A: number; D: number; Z: number; mask: number; dropped: number; state: number[] }

class WasmDataSet implements DataSet {
  constructor(private readonly rt: WasmRuntime, readonly x: number, readonly y: number,
    /** Permutations of one call (i32, epochsPerCall x rows), or 0 when rows are taken in order. */
    readonly permPtr: number,
    /** Per epoch of a call: (loss sum, score) as f64 pairs. */
    readonly statsPtr: number,
    readonly rows: number, readonly epochsPerCall: number) {}

  /** A view of the permutation buffer (rebuilt per access: memory may have grown since). */
  get perms(): Int32Array | null {
    if (!this.permPtr) return null;
    return new Int32Array(this.rt.raw.memory.buffer, this.permPtr, this.rows * this.epochsPerCall);
  }

  /** Loss sums and scores of the first `epochs` epochs of the last call. */
  stats(epochs: number): { losses: Float64Array; scores: Float64Array } {
    const pairs = new Float64Array(this.rt.raw.memory.buffer, this.statsPtr, 2 * epochs);
    const losses = new Float64Array(epochs), scores = new Float64Array(epochs);
    for (let e = 0; e < epochs; e++) { losses[e] = pairs[2 * e]!; scores[e] = pairs[2 * e + 1]!; }
    return { losses, scores };
  }

  release(): void {
    for (const p of [this.x, this.y, this.permPtr, this.statsPtr]) if (p) this.rt.arena.free(p);
  }
}

export class WasmModel implements Model {
  private readonly k: DTypeExports;
  private readonly size: number;
  private readonly net: number;
  private readonly layers: LayerRegions[];
  capacity = 0;
  private xBatch = 0;
  private yBatch = 0;
  private optimizer: OptimizerName = 'sgd';
  private disposed = false;
  // Views of the batch buffers and the output activations, rebuilt only when memory grows.
  private xView!: ArenaView;
  private yView!: ArenaView;
  private outView!: ArenaView;

  constructor(private readonly rt: WasmRuntime, readonly spec: ModelSpec, readonly dtype: DType) {
    if (spec.image?.layers.length) {
      const i = spec.image.layers.findIndex((l) => l.type !== 'flatten');
      throw new ValidationError(`layers[${Math.max(i, 0)}] (${spec.image.layers[Math.max(i, 0)]!.type}): image layers run on backend 'js' in this version (the WebAssembly kernels take dense layers only); create the network with backend: 'js'`);
    }
    this.k = dtype === 'float32' ? rt.f32 : rt.f64;
    this.size = bytesPer(dtype);
    // All or nothing: if memory runs out part way, what was allocated is freed before the error propagates.
    const sizes = [descriptorWords(spec.layers.length) * 4];
    for (const { inputs, outputs } of spec.layers) sizes.push(...[inputs * outputs, outputs, inputs * outputs, outputs].map((n) => n * this.size));
    const p = rt.arena.allocAll(sizes);
    this.net = p[0]!;
    this.layers = spec.layers.map((_, i) => ({ W: p[1 + 4 * i]!, b: p[2 + 4 * i]!, dW: p[3 + 4 * i]!, db: p[4 + 4 * i]!, A: 0, D: 0, Z: 0, mask: 0, dropped: 0, state: [] }));
    try {
      this.prepare(1, 'sgd');
    } catch (e) {
      for (const q of p) rt.arena.free(q);
      throw e;
    }
  }

  private get inputs(): number { return this.spec.layers[0]!.inputs; }
  private get outputs(): number { return this.spec.layers[this.spec.layers.length - 1]!.outputs; }

  // A threaded network whose worker trapped can compute nothing more: say so, instead of the engine's
  // "unreachable". (A try/catch at each call site, not a closure: predict must allocate nothing.)
  private failure(e: unknown): unknown {
    if (e instanceof WebAssembly.RuntimeError && this.rt.threadFailed?.()) {
      return new Error('backprop-wasm: a thread of this network failed (its share of a product trapped, or its worker ended); the network cannot compute any more: dispose it and create or load a new one', { cause: e });
    }
    return e;
  }

  // No kernel may run on freed memory: every entry point checks first.
  private live(): void {
    if (this.disposed) throw new DisposedError('this network was disposed; its memory is freed');
  }

  private floats(ptr: number, length: number): FloatArray {
    return this.rt.arena.floats(this.dtype, ptr, length);
  }

  private writeTable(): void {
    const layers: LayerFields[] = this.spec.layers.map((s, i) => {
      const r = this.layers[i]!;
      return {
        in: s.inputs, out: s.outputs, act: activationOp(s.activation).code,
        W: r.W, b: r.b, dW: r.dW, db: r.db, A: r.A, D: r.D, Z: r.Z, mask: r.mask, dropped: r.dropped, dropThreshold: dropoutThreshold(s.dropout),
        s1W: r.state[0] ?? 0, s1b: r.state[1] ?? 0, s2W: r.state[2] ?? 0, s2b: r.state[3] ?? 0,
      };
    });
    writeDescriptor(this.rt.raw.memory, this.net, {
      layers: layers.length, loss: lossOp(this.spec.loss).code, optimizer: optimizerOp(this.optimizer).code,
      workspace: this.rt.workspace, maxRows: this.capacity, xBatch: this.xBatch, yBatch: this.yBatch, failedBatch: -1, failedKind: 0, metric: METRICS[this.spec.metric], dropoutSeed: this.spec.dropoutSeed | 0,
    }, layers);
  }

  // The steady state (capacity already there) stays out of prepare: a predict must allocate nothing.
  reserve(rows: number): void {
    if (rows > this.capacity) this.prepare(rows, this.optimizer);
  }

  /**
   * All or nothing: batch buffers for at least `rows` rows, and the optimizer `name` with its state
   * zeroed when it changes (or restored from `state`). Every new region is had before any old one
   * is freed, so a failure leaves the model as it was.
   */
  prepare(rows: number, name: OptimizerName, state?: FloatArray[][]): void {
    this.live();
    const grow = rows > this.capacity, switching = name !== this.optimizer || state !== undefined;
    const plan = batchBuffers(this.spec);
    const batchSizes = grow ? this.spec.layers.flatMap((s, i) => plan[i]!.map(() => rows * s.outputs)).concat(rows * this.inputs, rows * this.outputs) : [];
    const stateLengths = switching ? this.layers.map((_, i) => this.stateLengths(i).slice(0, stateSlots(name))) : [];
    const a = this.rt.arena;
    const p = a.allocAll([...batchSizes, ...stateLengths.flat()].map((n) => n * this.size));
    let k = 0;
    if (grow) {
      for (const r of this.layers) for (const q of [r.A, r.D, r.Z, r.mask, r.dropped]) if (q) a.free(q);
      if (this.xBatch) { a.free(this.xBatch); a.free(this.yBatch); }
      this.layers.forEach((r, i) => {
        r.Z = r.mask = r.dropped = 0;
        for (const buffer of plan[i]!) r[buffer] = p[k++]!;
      });
      this.xBatch = p[k++]!;
      this.yBatch = p[k++]!;
      this.capacity = rows;
      this.xView = new ArenaView(a, this.dtype, this.xBatch, rows * this.inputs);
      this.yView = new ArenaView(a, this.dtype, this.yBatch, rows * this.outputs);
      this.outView = new ArenaView(a, this.dtype, this.layers[this.layers.length - 1]!.A, rows * this.outputs);
    }
    if (switching) {
      for (const r of this.layers) for (const q of r.state) a.free(q);
      this.layers.forEach((r, i) => {
        r.state = stateLengths[i]!.map(() => p[k++]!);
        state?.[i]?.forEach((src, j) => { if (r.state[j] !== undefined) this.floats(r.state[j]!, src.length).set(src); });
      });
      this.optimizer = name;
    }
    if (grow || switching) this.writeTable();
  }

  readParams(i: number): { W: FloatArray; b: FloatArray } {
    this.live();
    const s = this.spec.layers[i]!, r = this.layers[i]!;
    return { W: this.floats(r.W, s.inputs * s.outputs).slice(), b: this.floats(r.b, s.outputs).slice() };
  }

  writeParams(i: number, W: ArrayLike<number>, b: ArrayLike<number>): void {
    this.live();
    const s = this.spec.layers[i]!, r = this.layers[i]!;
    this.floats(r.W, s.inputs * s.outputs).set(W);
    this.floats(r.b, s.outputs).set(b);
  }

  private stateLengths(i: number): number[] {
    const s = this.spec.layers[i]!;
    return [s.inputs * s.outputs, s.outputs, s.inputs * s.outputs, s.outputs];
  }

  readOptimizerState(): FloatArray[][] {
    this.live();
    return this.layers.map((r, i) => r.state.map((p, k) => this.floats(p, this.stateLengths(i)[k]!).slice()));
  }

  loadData(x: FloatArray, y: FloatArray, rows: number, epochsPerCall: number, shuffle: boolean): DataSet {
    this.live();
    // Permutations only when shuffling: in-order epochs need none, however many there are.
    const [xp, yp, statsPtr, permPtr] = this.rt.arena.allocAll([x.length * this.size, y.length * this.size,
      epochsPerCall * 16, ...(shuffle ? [rows * epochsPerCall * 4] : [])]);
    this.floats(xp!, x.length).set(x);
    this.floats(yp!, y.length).set(y);
    return new WasmDataSet(this.rt, xp!, yp!, permPtr ?? 0, statsPtr!, rows, epochsPerCall);
  }

  trainEpochs(data: DataSet, epochs: number, batchSize: number, step: StepConfig, t0: number): EpochsResult {
    this.live();
    const d = data as WasmDataSet;
    this.reserve(Math.min(batchSize, d.rows));
    this.rt.writeParams(packParams(step.optimizer.name, step.optimizer.params));
    let completed: number;
    try {
      completed = this.k.train_epochs(this.net, d.x, d.y, d.permPtr, d.rows, batchSize, epochs,
        step.learningRate, step.reduction === 'mean' ? 1 : 0, this.rt.params, t0, d.statsPtr);
    } catch (e) {
      throw this.failure(e);
    }
    const failed = completed < epochs;
    const memory = this.rt.raw.memory;
    return {
      ...d.stats(Math.min(completed + 1, epochs)),
      completed,
      failedBatch: failed ? readHeader(memory, this.net, 'failedBatch') : -1,
      failure: failed ? FAILURE_KINDS[readHeader(memory, this.net, 'failedKind') as keyof typeof FAILURE_KINDS] : null,
    };
  }

  // Copies rows in and out by loops over cached views: once the buffers have the capacity, a call
  // allocates nothing in the JS heap.
  bytesInUse(): number {
    const regions = this.layers.flatMap((r) => [r.W, r.b, r.dW, r.db, r.A, r.D, ...[r.Z, r.mask, r.dropped].filter((q) => q !== 0), ...r.state]).concat(this.net, this.xBatch, this.yBatch);
    return regions.reduce((n, p) => n + this.rt.arena.sizeOf(p), 0);
  }

  forwardRows(x: FloatArray, y: FloatArray | null, start: number, rows: number, out: FloatArray): number {
    this.live();
    const inW = this.inputs, outW = this.outputs;
    copyRows(x, start * inW, this.xView.get(), 0, rows * inW);
    let result: number;
    try {
      result = this.k.forward(this.net, this.xBatch, rows);
    } catch (e) {
      throw this.failure(e);
    }
    let loss = 0;
    if (y) {
      copyRows(y, start * outW, this.yView.get(), 0, rows * outW);
      const act = activationOp(this.spec.layers[this.spec.layers.length - 1]!.activation).code;
      loss = this.k.output_delta(lossOp(this.spec.loss).code, act, rows, outW, result, this.layers[this.layers.length - 1]!.Z, this.yBatch, 0, 1);
    }
    copyRows(this.outView.get(), 0, out, start * outW, rows * outW);
    return loss;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const a = this.rt.arena;
    for (const r of this.layers) {
      for (const p of [r.W, r.b, r.dW, r.db, r.A, r.D, ...[r.Z, r.mask, r.dropped].filter((q) => q !== 0), ...r.state]) a.free(p);
    }
    a.free(this.xBatch);
    a.free(this.yBatch);
    a.free(this.net);
  }
}
