// The reference training loop: forward, output delta, backward and update, one readable step at a time.
import type { DataSet, EpochsResult, FailureKind, Model, ModelSpec, StepConfig } from '../backend.js';
import { DisposedError } from '../../errors.js';
import { activationBackward, biasActivation, derivativeFromInput } from '../../ops/activations.js';
import { batchBuffers, parameterBuffers, parameterSizes, stateBuffers } from '../buffer-plan.js';
import { dropoutBackward, dropoutForward, dropoutThreshold } from '../../ops/dropout.js';
import { lossOp } from '../../ops/losses.js';
import { optimizerOp, type OptimizerName } from '../../ops/optimizers.js';
import { absErrorSum, correctCount } from '../../ops/accuracy.js';
import { allocFloat, copyRows, type DType, type FloatArray } from '../../util/float-array.js';
import { columnSums } from './column-sums.js';
import { gemm } from './gemm.js';
import { ImageStack, type ConvParams } from './image-stack.js';

interface Layer {
  inputs: number;
  outputs: number;
  W: FloatArray;
  b: FloatArray;
  dW: FloatArray;
  db: FloatArray;
  A: FloatArray;
  D: FloatArray; // activations and deltas, capacity x outputs
  Z: FloatArray | null; // z + b, where backends/buffer-plan.ts keeps it (the logits a loss needs, or a derivative's input)
  threshold: number; // dropout rate in units of 2^-24 (0: none)
  mask: FloatArray | null; // dropout's mask and A ⊙ mask of the last training batch
  dropped: FloatArray | null;
  state: FloatArray[]; // [s1W, s1b, s2W, s2b] or [] for sgd
}

class JsDataSet implements DataSet {
  readonly perms: Int32Array | null;
  readonly losses: Float64Array;
  readonly scores: Float64Array;
  constructor(
    readonly x: FloatArray,
    readonly y: FloatArray,
    readonly rows: number,
    readonly epochsPerCall: number,
    shuffle: boolean,
  ) {
    this.perms = shuffle ? new Int32Array(rows * epochsPerCall) : null;
    this.losses = new Float64Array(epochsPerCall);
    this.scores = new Float64Array(epochsPerCall);
  }
  release(): void {}
}

export class JsModel implements Model {
  private readonly layers: Layer[];
  capacity = 0;
  /** A kept z already holds its bias: its activation then adds these zeros (as wide as the widest layer). */
  private readonly zeroBias: FloatArray;
  private disposed = false;
  private optimizer: OptimizerName = 'sgd';
  private xBatch: FloatArray;
  private yBatch: FloatArray;
  /** The image layers before the dense ones, or null; their conv layers' parameters are params 0.. in readParams. */
  private readonly image: ImageStack | null;
  /** Elements of one input row (the image's, when image layers come first). */
  private readonly inW: number;
  /** Every layer with parameters, conv layers first: what readParams, the updates and the optimizer state go over. */
  private readonly all: (Layer | ConvParams)[];
  /** Per entry of `all`, the state arrays of W (s1W, s2W) and of b (s1b, s2b): set when the optimizer is. */
  private wState: FloatArray[][] = [];
  private bState: FloatArray[][] = [];

  constructor(
    readonly spec: ModelSpec,
    readonly dtype: DType,
  ) {
    // Parameters and gradients as backends/buffer-plan.ts sizes them: conv layers first, then the dense layers.
    const sizes = parameterSizes(spec),
      convs = sizes.length - spec.layers.length;
    const params = sizes.map((size) => {
      const [W, b, dW, db] = parameterBuffers(size).map((n) => allocFloat(dtype, n)) as [
        FloatArray,
        FloatArray,
        FloatArray,
        FloatArray,
      ];
      return { W, b, dW, db };
    });
    this.layers = spec.layers.map(({ inputs, outputs }, i) => ({
      inputs,
      outputs,
      ...params[convs + i]!,
      A: allocFloat(dtype, 0),
      D: allocFloat(dtype, 0),
      Z: null,
      state: [],
      threshold: dropoutThreshold(spec.layers[i]!.dropout),
      mask: null,
      dropped: null,
    }));
    this.zeroBias = allocFloat(dtype, Math.max(...spec.layers.map((l) => l.outputs)));
    this.xBatch = allocFloat(dtype, 0);
    this.yBatch = allocFloat(dtype, 0);
    const image = spec.image
      ? new ImageStack(spec.image.inputShape, spec.image.layers, dtype, params.slice(0, convs))
      : null;
    this.image = image?.empty ? null : image;
    this.inW = spec.image ? spec.image.inputShape.reduce((a, b) => a * b, 1) : spec.layers[0]!.inputs;
    this.all = [...(this.image?.params ?? []), ...this.layers];
  }

  // The steady state (capacity already there) stays out of prepare: a predict must allocate nothing.
  reserve(rows: number): void {
    if (rows > this.capacity) this.prepare(rows, this.optimizer);
  }

  /** Batch buffers for at least `rows` rows and the optimizer `name` (state zeroed when it changes, or restored from `state`). */
  prepare(rows: number, name: OptimizerName, state?: FloatArray[][]): void {
    this.live();
    const grow = rows > this.capacity,
      switching = name !== this.optimizer || state !== undefined;
    // Everything new is made before anything replaces the old, as on the WASM backend.
    const plan = batchBuffers(this.spec);
    const buffers = grow ? this.layers.map((l, i) => plan[i]!.map(() => allocFloat(this.dtype, rows * l.outputs))) : [];
    const batch = grow
      ? [
          allocFloat(this.dtype, rows * this.inW),
          allocFloat(this.dtype, rows * this.layers[this.layers.length - 1]!.outputs),
        ]
      : [];
    // Each slot has one array for W and one for b.
    const fresh = switching
      ? this.all.map((l) => stateBuffers({ W: l.W.length, b: l.b.length }, name).map((n) => allocFloat(this.dtype, n)))
      : [];
    if (grow) {
      this.layers.forEach((l, i) =>
        plan[i]!.forEach((buffer, k) => {
          l[buffer] = buffers[i]![k]!;
        }),
      );
      [this.xBatch, this.yBatch] = batch as [FloatArray, FloatArray];
      this.image?.reserve(rows);
      this.capacity = rows;
    }
    if (switching) {
      this.all.forEach((l, i) => {
        l.state = fresh[i]!;
        state?.[i]?.forEach((src, k) => l.state[k]?.set(src));
      });
      this.wState = this.all.map((l) => l.state.filter((_, k) => k % 2 === 0));
      this.bState = this.all.map((l) => l.state.filter((_, k) => k % 2 === 1));
      this.optimizer = name;
    }
  }

  private layer(i: number): Layer | ConvParams {
    const l = this.all[i];
    if (!l) throw new RangeError(`layer ${i} does not exist`);
    return l;
  }

  readParams(i: number): { W: FloatArray; b: FloatArray } {
    this.live();
    const l = this.layer(i);
    return { W: l.W.slice(), b: l.b.slice() };
  }

  writeParams(i: number, W: ArrayLike<number>, b: ArrayLike<number>): void {
    this.live();
    const l = this.layer(i);
    l.W.set(W);
    l.b.set(b);
  }

  readOptimizerState(): FloatArray[][] {
    this.live();
    return this.all.map((l) => l.state.map((s) => s.slice()));
  }

  loadData(x: FloatArray, y: FloatArray, rows: number, epochsPerCall: number, shuffle: boolean): DataSet {
    this.live();
    return new JsDataSet(x.slice(), y.slice(), rows, epochsPerCall, shuffle); // the one copy per fit, as in linear memory
  }

  // In training (at optimizer step `step`), a layer with dropout passes A ⊙ mask to the next layer.
  private forward(x: FloatArray, rows: number, step: number | null = null): FloatArray {
    let input = this.image ? this.image.forward(x, rows) : x;
    this.layers.forEach((l, i) => {
      const act = this.spec.layers[i]!.activation;
      if (l.Z) {
        // Z = x·W + b is kept (for the loss, or for f'(Z)), and A = f(Z) computed from a copy.
        gemm('nn', rows, l.outputs, l.inputs, input, l.inputs, l.W, l.outputs, l.Z, l.outputs, false);
        for (let r = 0; r < rows; r++)
          for (let j = 0; j < l.outputs; j++) l.Z[r * l.outputs + j] = l.Z[r * l.outputs + j]! + l.b[j]!;
        l.A.set(l.Z.subarray(0, rows * l.outputs));
        biasActivation(act, rows, l.outputs, l.A, this.zeroBias);
      } else {
        gemm('nn', rows, l.outputs, l.inputs, input, l.inputs, l.W, l.outputs, l.A, l.outputs, false);
        biasActivation(act, rows, l.outputs, l.A, l.b);
      }
      if (step !== null && l.threshold) {
        dropoutForward(rows * l.outputs, l.A, l.mask!, l.dropped!, this.spec.dropoutSeed, i, step, l.threshold);
        input = l.dropped!;
      } else {
        input = l.A;
      }
    });
    return input;
  }

  // Applies (commit) or checks (returns whether every new value is finite) the optimizer's update.
  private update(
    w: FloatArray,
    g: FloatArray,
    state: FloatArray[],
    step: StepConfig,
    t: number,
    weights: boolean,
    commit: boolean,
  ): boolean {
    const o = step.optimizer;
    return optimizerOp(o.name).update(w.length, w, g, state, step.learningRate, o.hyperParams, t, weights, commit);
  }

  /** One step: forward, backward for every layer, then the updates; a failure changes nothing. */
  private trainBatch(
    x: FloatArray,
    y: FloatArray,
    rows: number,
    step: StepConfig,
    t: number,
  ): { loss: number; failure: FailureKind | null } {
    const L = this.layers.length;
    const out = this.forward(x, rows, t);
    const last = this.layers[L - 1]!;
    const scale = step.reduction === 'mean' ? 1 / rows : 1;
    const loss = lossOp(this.spec.loss).reference(
      this.spec.layers[L - 1]!.activation,
      rows,
      last.outputs,
      out,
      last.Z,
      y,
      last.D,
      scale,
    );
    if (!Number.isFinite(loss)) return { loss, failure: 'loss' };
    for (let i = L - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const before = this.layers[i - 1];
      const input = !before ? (this.image?.output ?? x) : before.threshold ? before.dropped! : before.A; // what this layer saw
      gemm('tn', l.inputs, l.outputs, rows, input, l.inputs, l.D, l.outputs, l.dW, l.outputs, false);
      columnSums(rows, l.outputs, l.D, l.db);
      if (i > 0) {
        const prev = this.layers[i - 1]!;
        gemm('nt', rows, l.inputs, l.outputs, l.D, l.outputs, l.W, l.outputs, prev.D, l.inputs, false);
        const act = this.spec.layers[i - 1]!.activation;
        activationBackward(act, rows * l.inputs, derivativeFromInput(act) ? prev.Z! : prev.A, prev.D);
        if (prev.threshold) dropoutBackward(rows * l.inputs, prev.mask!, prev.D);
      } else if (this.image) {
        gemm('nt', rows, l.inputs, l.outputs, l.D, l.outputs, l.W, l.outputs, this.image.outputDelta, l.inputs, false);
        this.image.backward(x, rows);
      }
    }
    const { all, wState, bState } = this;
    const ok = all.every(
      (l, i) =>
        this.update(l.W, l.dW, wState[i]!, step, t, true, false) &&
        this.update(l.b, l.db, bState[i]!, step, t, false, false),
    );
    if (!ok) return { loss: NaN, failure: 'update' };
    all.forEach((l, i) => {
      this.update(l.W, l.dW, wState[i]!, step, t, true, true);
      this.update(l.b, l.db, bState[i]!, step, t, false, true);
    });
    return { loss, failure: null };
  }

  trainEpochs(data: DataSet, epochs: number, batchSize: number, step: StepConfig, t0: number): EpochsResult {
    this.live();
    const d = data as JsDataSet;
    const batches = Math.ceil(d.rows / batchSize);
    for (let e = 0; e < epochs; e++) {
      const perm = d.perms ? d.perms.subarray(e * d.rows, (e + 1) * d.rows) : null;
      const r = this.trainEpoch(d, perm, batchSize, step, t0 + e * batches);
      d.losses[e] = r.loss;
      d.scores[e] = r.score;
      if (r.failure)
        return { losses: d.losses, scores: d.scores, completed: e, failedBatch: r.failedBatch, failure: r.failure };
    }
    return { losses: d.losses, scores: d.scores, completed: epochs, failedBatch: -1, failure: null };
  }

  private trainEpoch(
    data: JsDataSet,
    perm: Int32Array | null,
    batchSize: number,
    step: StepConfig,
    t0: number,
  ): { loss: number; score: number; failedBatch: number; failure: FailureKind | null } {
    const { x, y, rows: n } = data;
    const inW = this.inW,
      outW = this.layers[this.layers.length - 1]!.outputs;
    this.reserve(Math.min(batchSize, n));
    const outputs = this.layers[this.layers.length - 1]!;
    let total = 0,
      score = 0;
    for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
      const rows = Math.min(batchSize, n - start);
      let bx = x.subarray(start * inW, (start + rows) * inW);
      let by = y.subarray(start * outW, (start + rows) * outW);
      if (perm) {
        for (let r = 0; r < rows; r++) {
          const src = perm[start + r]!;
          this.xBatch.set(x.subarray(src * inW, (src + 1) * inW), r * inW);
          this.yBatch.set(y.subarray(src * outW, (src + 1) * outW), r * outW);
        }
        bx = this.xBatch;
        by = this.yBatch;
      }
      const r = this.trainBatch(bx, by, rows, step, t0 + batch + 1);
      if (r.failure) return { loss: r.loss, score, failedBatch: batch, failure: r.failure };
      total += r.loss;
      // The batch's outputs, from before the update: correct predictions, or the absolute error for regression.
      score +=
        this.spec.metric === 'mae' ? absErrorSum(outputs.A, by, rows * outW) : correctCount(outputs.A, by, rows, outW);
    }
    return { loss: total, score, failedBatch: -1, failure: null };
  }

  bytesInUse(): number {
    const arrays = this.layers
      .flatMap((l) => [
        l.W,
        l.b,
        l.dW,
        l.db,
        l.A,
        l.D,
        ...[l.Z, l.mask, l.dropped].filter((a) => a !== null),
        ...l.state,
      ])
      .concat(
        this.xBatch,
        this.yBatch,
        ...(this.image?.params ?? []).flatMap((p) => [p.W, p.b, p.dW, p.db, ...p.state]),
        ...(this.image?.buffers() ?? []),
      );
    return arrays.reduce((n, a) => n + a.byteLength, 0);
  }

  forwardRows(x: FloatArray, y: FloatArray | null, start: number, rows: number, out: FloatArray): number {
    this.live();
    const inW = this.inW,
      outW = this.layers[this.layers.length - 1]!.outputs;
    const pred = this.forward(start === 0 ? x : x.subarray(start * inW, (start + rows) * inW), rows);
    const loss = y
      ? lossOp(this.spec.loss).reference(
          this.spec.layers[this.layers.length - 1]!.activation,
          rows,
          outW,
          pred,
          this.layers[this.layers.length - 1]!.Z,
          start === 0 ? y : y.subarray(start * outW, (start + rows) * outW),
          null,
          1,
        )
      : 0;
    copyRows(pred, 0, out, start * outW, rows * outW);
    return loss;
  }

  dispose(): void {
    this.disposed = true;
    this.capacity = 0;
  }

  // As on the WASM backend, a disposed model refuses every call.
  private live(): void {
    if (this.disposed) throw new DisposedError('this network was disposed; its memory is freed');
  }
}
