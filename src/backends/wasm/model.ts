// A network in linear memory: parameters, gradients, optimizer state, work buffers and the layer
// table, trained by one exported call per epoch (or per many epochs when no callback runs between).
import type { DataSet, EpochsResult, Model, ModelSpec, StepConfig } from '../../backend.js';
import type { DType, FloatArray, OptimizerName } from '../../types.js';
import { ACTIVATION_CODES, LOSS_CODES, OPTIMIZER_CODES } from '../../codes.js';
import type { DTypeExports } from './exports.js';
import type { WasmRuntime } from './runtime.js';
import { descriptorWords, FAILURE_KINDS, readHeader, writeDescriptor, type LayerFields } from './layout.js';
import { ArenaView } from './arena.js';
import { copyRows } from '../../data.js';
import { stateSlots } from '../../model-data.js';

const PREDICT_ROWS = 256;

interface LayerRegions { W: number; b: number; dW: number; db: number; A: number; D: number; state: number[] }

class WasmDataSet implements DataSet {
  readonly permPtr: number;
  /** Per epoch of a call: (loss sum, correct count) as f64 pairs. */
  readonly statsPtr: number;

  constructor(private readonly rt: WasmRuntime, readonly x: number, readonly y: number,
    readonly rows: number, readonly epochsPerCall: number) {
    this.permPtr = rt.arena.alloc(rows * epochsPerCall * 4);
    this.statsPtr = rt.arena.alloc(epochsPerCall * 16);
  }

  /** A view of the permutation buffer (rebuilt per access: memory may have grown since). */
  get perms(): Int32Array {
    return new Int32Array(this.rt.raw.memory.buffer, this.permPtr, this.rows * this.epochsPerCall);
  }

  /** Loss sums and correct counts of the first `epochs` epochs of the last call. */
  stats(epochs: number): { losses: Float64Array; correct: Float64Array } {
    const pairs = new Float64Array(this.rt.raw.memory.buffer, this.statsPtr, 2 * epochs);
    const losses = new Float64Array(epochs), correct = new Float64Array(epochs);
    for (let e = 0; e < epochs; e++) { losses[e] = pairs[2 * e]!; correct[e] = pairs[2 * e + 1]!; }
    return { losses, correct };
  }

  release(): void {
    for (const p of [this.x, this.y, this.permPtr, this.statsPtr]) this.rt.arena.free(p);
  }
}

export class WasmModel implements Model {
  private readonly k: DTypeExports;
  private readonly size: number;
  private readonly net: number;
  private readonly layers: LayerRegions[];
  private capacity = 0;
  private xBatch = 0;
  private yBatch = 0;
  private optimizer: OptimizerName = 'sgd';
  // Views of the batch buffers and the output activations, rebuilt only when memory grows.
  private xView!: ArenaView;
  private yView!: ArenaView;
  private outView!: ArenaView;

  constructor(private readonly rt: WasmRuntime, readonly spec: ModelSpec, private readonly dtype: DType) {
    this.k = dtype === 'float32' ? rt.f32 : rt.f64;
    this.size = dtype === 'float32' ? 4 : 8;
    // If memory cannot grow part way through, what was allocated is freed before the error propagates.
    const taken: number[] = [];
    const alloc = (bytes: number): number => { const p = rt.arena.alloc(bytes); taken.push(p); return p; };
    try {
      this.net = alloc(descriptorWords(spec.layers.length) * 4);
      this.layers = spec.layers.map(({ inputs, outputs }) => ({
        W: alloc(inputs * outputs * this.size), b: alloc(outputs * this.size),
        dW: alloc(inputs * outputs * this.size), db: alloc(outputs * this.size),
        A: 0, D: 0, state: [],
      }));
      this.ensureRows(1);
    } catch (e) {
      for (const p of taken) rt.arena.free(p);
      throw e;
    }
  }

  private get inputs(): number { return this.spec.layers[0]!.inputs; }
  private get outputs(): number { return this.spec.layers[this.spec.layers.length - 1]!.outputs; }

  private floats(ptr: number, length: number): FloatArray {
    return this.rt.arena.floats(this.dtype, ptr, length);
  }

  private writeTable(): void {
    const layers: LayerFields[] = this.spec.layers.map((s, i) => {
      const r = this.layers[i]!;
      return {
        in: s.inputs, out: s.outputs, act: ACTIVATION_CODES[s.activation],
        W: r.W, b: r.b, dW: r.dW, db: r.db, A: r.A, D: r.D,
        s1W: r.state[0] ?? 0, s1b: r.state[1] ?? 0, s2W: r.state[2] ?? 0, s2b: r.state[3] ?? 0,
      };
    });
    writeDescriptor(this.rt.raw.memory, this.net, {
      layers: layers.length, loss: LOSS_CODES[this.spec.loss], optimizer: OPTIMIZER_CODES[this.optimizer],
      workspace: this.rt.workspace, maxRows: this.capacity, xBatch: this.xBatch, yBatch: this.yBatch, failedBatch: -1, failedKind: 0,
    }, layers);
  }

  private ensureRows(rows: number): void {
    if (rows <= this.capacity) return;
    const a = this.rt.arena;
    for (const [i, r] of this.layers.entries()) {
      const outputs = this.spec.layers[i]!.outputs;
      if (r.A) { a.free(r.A); a.free(r.D); }
      r.A = a.alloc(rows * outputs * this.size);
      r.D = a.alloc(rows * outputs * this.size);
    }
    if (this.xBatch) { a.free(this.xBatch); a.free(this.yBatch); }
    this.xBatch = a.alloc(rows * this.inputs * this.size);
    this.yBatch = a.alloc(rows * this.outputs * this.size);
    this.capacity = rows;
    this.xView = new ArenaView(a, this.dtype, this.xBatch, rows * this.inputs);
    this.yView = new ArenaView(a, this.dtype, this.yBatch, rows * this.outputs);
    this.outView = new ArenaView(a, this.dtype, this.layers[this.layers.length - 1]!.A, rows * this.outputs);
    this.writeTable();
  }

  readParams(i: number): { W: FloatArray; b: FloatArray } {
    const s = this.spec.layers[i]!, r = this.layers[i]!;
    return { W: this.floats(r.W, s.inputs * s.outputs).slice(), b: this.floats(r.b, s.outputs).slice() };
  }

  writeParams(i: number, W: ArrayLike<number>, b: ArrayLike<number>): void {
    const s = this.spec.layers[i]!, r = this.layers[i]!;
    this.floats(r.W, s.inputs * s.outputs).set(W);
    this.floats(r.b, s.outputs).set(b);
  }

  private stateLengths(i: number): number[] {
    const s = this.spec.layers[i]!;
    return [s.inputs * s.outputs, s.outputs, s.inputs * s.outputs, s.outputs];
  }

  readOptimizerState(): FloatArray[][] {
    return this.layers.map((r, i) => r.state.map((p, k) => this.floats(p, this.stateLengths(i)[k]!).slice()));
  }

  setOptimizer(name: OptimizerName, state?: FloatArray[][]): void {
    if (name !== this.optimizer || state) {
      const slots = stateSlots(name);
      this.layers.forEach((r, i) => {
        for (const p of r.state) this.rt.arena.free(p);
        r.state = this.stateLengths(i).slice(0, slots).map((n) => this.rt.arena.alloc(n * this.size));
      });
      this.layers.forEach((r, i) => state?.[i]?.forEach((src, k) => {
        if (r.state[k] !== undefined) this.floats(r.state[k]!, src.length).set(src);
      }));
    }
    this.optimizer = name;
    this.writeTable();
  }

  loadData(x: FloatArray, y: FloatArray, rows: number, epochsPerCall: number): DataSet {
    const a = this.rt.arena;
    const xp = a.alloc(x.length * this.size), yp = a.alloc(y.length * this.size);
    this.floats(xp, x.length).set(x);
    this.floats(yp, y.length).set(y);
    return new WasmDataSet(this.rt, xp, yp, rows, epochsPerCall);
  }

  trainEpochs(data: DataSet, epochs: number, shuffle: boolean, batchSize: number, step: StepConfig, t0: number): EpochsResult {
    const d = data as WasmDataSet;
    this.ensureRows(Math.min(batchSize, d.rows));
    const o = step.optimizer;
    const [p1, p2, p3] = o.name === 'adam' ? [o.beta1, o.beta2, o.epsilon] : [o.momentum, 0, 0];
    const completed = this.k.train_epochs(this.net, d.x, d.y, shuffle ? d.permPtr : 0, d.rows, batchSize, epochs,
      step.learningRate, step.reduction === 'mean' ? 1 : 0, p1, p2, p3, t0, d.statsPtr);
    const failed = completed < epochs;
    const memory = this.rt.raw.memory;
    return {
      ...d.stats(Math.min(completed + 1, epochs)),
      completed,
      failedBatch: failed ? readHeader(memory, this.net, 'failedBatch') : -1,
      failure: failed ? FAILURE_KINDS[readHeader(memory, this.net, 'failedKind') as keyof typeof FAILURE_KINDS] : null,
    };
  }

  predict(x: FloatArray, rows: number, out: FloatArray): void {
    this.run(x, null, rows, out);
  }

  evaluate(x: FloatArray, y: FloatArray, rows: number, out: FloatArray): number {
    return this.run(x, y, rows, out);
  }

  // Forward passes in chunks of the buffer capacity; the loss is summed when targets are given.
  // Nothing is allocated in the JS heap once the buffers have the capacity (cached views, loop copies).
  private run(x: FloatArray, y: FloatArray | null, rows: number, out: FloatArray): number {
    const chunk = Math.max(this.capacity, Math.min(rows, PREDICT_ROWS));
    this.ensureRows(chunk);
    const inW = this.inputs, outW = this.outputs;
    const act = ACTIVATION_CODES[this.spec.layers[this.spec.layers.length - 1]!.activation];
    let loss = 0;
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      copyRows(x, start * inW, this.xView.get(), 0, n * inW);
      const result = this.k.forward(this.net, this.xBatch, n);
      if (y) {
        copyRows(y, start * outW, this.yView.get(), 0, n * outW);
        loss += this.k.output_delta(LOSS_CODES[this.spec.loss], act, n, outW, result, this.yBatch, 0, 1);
      }
      copyRows(this.outView.get(), 0, out, start * outW, n * outW);
    }
    return loss;
  }

  dispose(): void {
    const a = this.rt.arena;
    for (const r of this.layers) {
      for (const p of [r.W, r.b, r.dW, r.db, r.A, r.D, ...r.state]) a.free(p);
    }
    a.free(this.xBatch);
    a.free(this.yBatch);
    a.free(this.net);
  }
}
