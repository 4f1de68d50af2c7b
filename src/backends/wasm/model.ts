// A network in linear memory: parameters, gradients, optimizer state, work buffers and the layer
// table, trained by one exported call per epoch (or per many epochs when no callback runs between).
import type { DataSet, EpochsResult, Model, ModelSpec, StepConfig } from '../backend.js';
import {
  batchBuffers,
  imageScratchPerRow,
  inputWidth,
  parameterBuffers,
  parameterSizes,
  stateBuffers,
} from '../buffer-plan.js';
import { DisposedError } from '../../errors.js';
import { activationOp } from '../../ops/activations.js';
import { lossOp } from '../../ops/losses.js';
import { dropoutThreshold } from '../../ops/dropout.js';
import { optimizerOp, packHyperParams, type OptimizerName } from '../../ops/optimizers.js';
import { bytesPer, copyRows, RangeViews, type DType, type FloatArray } from '../../util/float-array.js';
import { ArenaView } from './arena.js';
import type { DTypeExports } from './exports.js';
import { descriptorWords, FAILURE_KINDS, METRICS, readHeader, writeDescriptor, type LayerFields } from './layout.js';
import { stageFields, stagesOf, type Stage, type StageRegions } from './stages.js';
import type { WasmRuntime } from './runtime.js';
import { WasmDataSet } from './data-set.js';

// A, D, Z, mask, dropped: the batch buffers of backends/buffer-plan.ts (0 where the plan has none).
interface LayerRegions {
  W: number;
  b: number;
  dW: number;
  db: number;
  A: number;
  D: number;
  Z: number;
  mask: number;
  dropped: number;
  state: number[];
}
/** A layer with parameters (a conv stage's or a dense layer's): its regions and the lengths of W and b. */
interface ParamRegions {
  regions: { W: number; b: number; dW: number; db: number; state: number[] };
  nW: number;
  nB: number;
}

export class WasmModel implements Model {
  private readonly k: DTypeExports;
  private readonly size: number;
  private readonly net: number;
  private readonly layers: LayerRegions[];
  /** The image layers' stages (assembly/image.ts), before the dense layers. */
  private readonly stages: Stage[];
  private readonly stageRegions: StageRegions[];
  /** Conv stages then dense layers: what readParams, writeParams and the optimizer state go over. */
  private readonly all: ParamRegions[];
  /** The im2col scratch (0 without conv layers). */
  private cols = 0;
  capacity = 0;
  private xBatch = 0;
  private yBatch = 0;
  private optimizer: OptimizerName = 'sgd';
  private disposed = false;
  // Views of the batch buffers and the output activations, rebuilt only when memory grows.
  private xView!: ArenaView;
  private yView!: ArenaView;
  private outView!: ArenaView;
  /** Views of the chunks of predict's and evaluate's inputs, for TypedArray.set. */
  private readonly ranges = new RangeViews();

  constructor(
    private readonly rt: WasmRuntime,
    readonly spec: ModelSpec,
    readonly dtype: DType,
  ) {
    this.k = dtype === 'float32' ? rt.f32 : rt.f64;
    this.size = bytesPer(dtype);
    this.stages = stagesOf(spec);
    // All or nothing: if memory runs out part way, what was allocated is freed before the error propagates.
    const shapes = parameterSizes(spec);
    const p = rt.arena.allocAll([
      descriptorWords(spec.layers.length, this.stages.length) * 4,
      ...shapes.flatMap((sizes) => parameterBuffers(sizes).map((n) => n * this.size)),
    ]);
    this.net = p[0]!;
    const params = shapes.map((_, i) => ({
      W: p[1 + 4 * i]!,
      b: p[2 + 4 * i]!,
      dW: p[3 + 4 * i]!,
      db: p[4 + 4 * i]!,
      state: [] as number[],
    }));
    let next = 0;
    this.stageRegions = this.stages.map((s) => ({
      ...(s.params ? params[next++]! : { W: 0, b: 0, dW: 0, db: 0, state: [] }),
      A: 0,
      D: 0,
      Z: 0,
      argmax: 0,
    }));
    this.layers = spec.layers.map(() => ({ ...params[next++]!, A: 0, D: 0, Z: 0, mask: 0, dropped: 0 }));
    const convs = this.stageRegions.filter((_, i) => this.stages[i]!.params);
    this.all = [...convs, ...this.layers].map((regions, i) => ({ regions, nW: shapes[i]!.W, nB: shapes[i]!.b }));
    try {
      this.prepare(1, 'sgd');
    } catch (e) {
      for (const q of p) rt.arena.free(q);
      throw e;
    }
  }

  private get inputs(): number {
    return inputWidth(this.spec);
  }
  private get outputs(): number {
    return this.spec.layers[this.spec.layers.length - 1]!.outputs;
  }

  // A threaded network whose worker trapped can compute nothing more: say so, instead of the engine's
  // "unreachable". (A try/catch at each call site, not a closure: predict must allocate nothing.)
  private failure(e: unknown): unknown {
    if (e instanceof WebAssembly.RuntimeError && this.rt.threadFailed?.()) {
      return new Error(
        'backprop-wasm: a thread of this network failed (its share of a product trapped, or its worker ended); the network cannot compute any more: dispose it and create or load a new one',
        { cause: e },
      );
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
        in: s.inputs,
        out: s.outputs,
        act: activationOp(s.activation).code,
        W: r.W,
        b: r.b,
        dW: r.dW,
        db: r.db,
        A: r.A,
        D: r.D,
        Z: r.Z,
        mask: r.mask,
        dropped: r.dropped,
        dropThreshold: dropoutThreshold(s.dropout),
        s1W: r.state[0] ?? 0,
        s1b: r.state[1] ?? 0,
        s2W: r.state[2] ?? 0,
        s2b: r.state[3] ?? 0,
      };
    });
    writeDescriptor(
      this.rt.raw.memory,
      this.net,
      {
        layers: layers.length,
        loss: lossOp(this.spec.loss).code,
        optimizer: optimizerOp(this.optimizer).code,
        workspace: this.rt.workspace,
        maxRows: this.capacity,
        xBatch: this.xBatch,
        yBatch: this.yBatch,
        failedBatch: -1,
        failedKind: 0,
        metric: METRICS[this.spec.metric],
        dropoutSeed: this.spec.dropoutSeed | 0,
        stages: this.stages.length,
        cols: this.cols,
        inputWidth: this.inputs,
      },
      layers,
      this.stages.map((s, i) => stageFields(s, this.stageRegions[i]!)),
    );
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
    const grow = rows > this.capacity,
      switching = name !== this.optimizer || state !== undefined;
    const plan = batchBuffers(this.spec);
    const scratch = imageScratchPerRow(this.spec);
    // An argmax is i32: never more bytes than a float.
    const batchSizes = grow
      ? this.spec.layers
          .flatMap((s, i) => plan[i]!.map(() => rows * s.outputs))
          .concat(
            this.stages.flatMap((s) => s.buffers.map(() => rows * s.elements)),
            scratch ? [rows * scratch] : [],
            rows * this.inputs,
            rows * this.outputs,
          )
      : [];
    const stateLengths = switching ? this.all.map(({ nW, nB }) => stateBuffers({ W: nW, b: nB }, name)) : [];
    const a = this.rt.arena;
    const p = a.allocAll([...batchSizes, ...stateLengths.flat()].map((n) => n * this.size));
    let k = 0;
    if (grow) {
      for (const q of this.batchRegions()) a.free(q);
      this.layers.forEach((r, i) => {
        r.Z = r.mask = r.dropped = 0;
        for (const buffer of plan[i]!) r[buffer] = p[k++]!;
      });
      this.stageRegions.forEach((r, i) => {
        for (const buffer of this.stages[i]!.buffers) r[buffer] = p[k++]!;
      });
      this.cols = scratch ? p[k++]! : 0;
      this.xBatch = p[k++]!;
      this.yBatch = p[k++]!;
      this.capacity = rows;
      this.xView = new ArenaView(a, this.dtype, this.xBatch, rows * this.inputs);
      this.yView = new ArenaView(a, this.dtype, this.yBatch, rows * this.outputs);
      this.outView = new ArenaView(a, this.dtype, this.layers[this.layers.length - 1]!.A, rows * this.outputs);
    }
    if (switching) {
      for (const { regions: r } of this.all) for (const q of r.state) a.free(q);
      this.all.forEach(({ regions: r }, i) => {
        r.state = stateLengths[i]!.map(() => p[k++]!);
        state?.[i]?.forEach((src, j) => {
          if (r.state[j] !== undefined) this.floats(r.state[j]!, src.length).set(src);
        });
      });
      this.optimizer = name;
    }
    if (grow || switching) this.writeTable();
  }

  // Conv stages first, then the dense layers (as the JS backend's readParams).
  private param(i: number): ParamRegions {
    const l = this.all[i];
    if (!l) throw new RangeError(`layer ${i} does not exist`);
    return l;
  }

  readParams(i: number): { W: FloatArray; b: FloatArray } {
    this.live();
    const { regions: r, nW, nB } = this.param(i);
    return { W: this.floats(r.W, nW).slice(), b: this.floats(r.b, nB).slice() };
  }

  writeParams(i: number, W: ArrayLike<number>, b: ArrayLike<number>): void {
    this.live();
    const { regions: r, nW, nB } = this.param(i);
    this.floats(r.W, nW).set(W);
    this.floats(r.b, nB).set(b);
  }

  readOptimizerState(): FloatArray[][] {
    this.live();
    return this.all.map(({ regions: r, nW, nB }) => {
      const lengths = stateBuffers({ W: nW, b: nB }, this.optimizer);
      return r.state.map((p, k) => this.floats(p, lengths[k]!).slice());
    });
  }

  /** The batch buffers (rows x something each): the layers', the stages', the scratch and the gathered rows. */
  private batchRegions(): number[] {
    return [
      ...this.layers.flatMap((r) => [r.A, r.D, r.Z, r.mask, r.dropped]),
      ...this.stageRegions.flatMap((r) => [r.A, r.D, r.Z, r.argmax]),
      this.cols,
      this.xBatch,
      this.yBatch,
    ].filter((q) => q !== 0);
  }

  /** Every region of the model. */
  private regions(): number[] {
    return [
      ...this.all.flatMap(({ regions: r }) => [r.W, r.b, r.dW, r.db, ...r.state]),
      ...this.batchRegions(),
      this.net,
    ];
  }

  loadData(x: FloatArray, y: FloatArray, rows: number, epochsPerCall: number, shuffle: boolean): DataSet {
    this.live();
    // Permutations only when shuffling: in-order epochs need none, however many there are.
    const [xp, yp, statsPtr, permPtr] = this.rt.arena.allocAll([
      x.length * this.size,
      y.length * this.size,
      epochsPerCall * 16,
      ...(shuffle ? [rows * epochsPerCall * 4] : []),
    ]);
    this.floats(xp!, x.length).set(x);
    this.floats(yp!, y.length).set(y);
    return new WasmDataSet(this.rt, xp!, yp!, permPtr ?? 0, statsPtr!, rows, epochsPerCall);
  }

  trainEpochs(data: DataSet, epochs: number, batchSize: number, step: StepConfig, t0: number): EpochsResult {
    this.live();
    const d = data as WasmDataSet;
    this.reserve(Math.min(batchSize, d.rows));
    this.rt.writeHyperParams(packHyperParams(step.optimizer.name, step.optimizer.hyperParams));
    let completed: number;
    try {
      completed = this.k.train_epochs(
        this.net,
        d.x,
        d.y,
        d.permPtr,
        d.rows,
        batchSize,
        epochs,
        step.learningRate,
        step.reduction === 'mean' ? 1 : 0,
        this.rt.hyperBlock,
        t0,
        d.statsPtr,
      );
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

  bytesInUse(): number {
    return this.regions().reduce((n, p) => n + this.rt.arena.sizeOf(p), 0);
  }

  // Rows go in with TypedArray.set over cached views (an element loop took a third of a 1,024-row
  // predict of 784-128-10), and out by a loop (outputs are few): once the buffers have the capacity
  // and the same arrays come again, a call allocates nothing in the JS heap.
  forwardRows(x: FloatArray, y: FloatArray | null, start: number, rows: number, out: FloatArray): number {
    const inW = this.inputs,
      outW = this.outputs;
    // Views first: nothing of the caller's can run between the liveness check and the kernel.
    const xs = this.ranges.of(x, start * inW, (start + rows) * inW),
      ys = y && this.ranges.of(y, start * outW, (start + rows) * outW);
    this.live();
    if (xs) this.xView.get().set(xs);
    else copyRows(x, start * inW, this.xView.get(), 0, rows * inW);
    let result: number;
    try {
      result = this.k.forward(this.net, this.xBatch, rows);
    } catch (e) {
      throw this.failure(e);
    }
    let loss = 0;
    if (y) {
      if (ys) this.yView.get().set(ys);
      else copyRows(y, start * outW, this.yView.get(), 0, rows * outW);
      const act = activationOp(this.spec.layers[this.spec.layers.length - 1]!.activation).code;
      loss = this.k.output_delta(
        lossOp(this.spec.loss).code,
        act,
        rows,
        outW,
        result,
        this.layers[this.layers.length - 1]!.Z,
        this.yBatch,
        0,
        1,
      );
    }
    copyRows(this.outView.get(), 0, out, start * outW, rows * outW);
    return loss;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.regions()) this.rt.arena.free(p);
  }
}
