// The image layers before a network's dense layers on the reference backend, plainly: conv2d
// (z = x ⊛ W + b, then the activation), max and average pooling; flatten moves no data, so it is no stage. Forward
// over a batch of channels-last rows; backward from the gradient of the flattened output, giving
// each conv layer's dW and db (the input's gradient is not needed). Buffers are made by reserve().
import { activationBackward, biasActivation } from '../../ops/activations.js';
import { imageBuffers } from '../buffer-plan.js';
import { conv2dBackward, conv2dForward } from '../../layers/conv2d.js';
import { averagePoolBackward, averagePoolForward } from '../../layers/average-pooling2d.js';
import { maxPoolBackward, maxPoolForward } from '../../layers/max-pooling2d.js';
import { convWindow } from '../../layers/conv2d.js';
import { poolWindow } from '../../layers/pooling.js';
import { spatialShapes } from '../../layers/spatial.js';
import type { Shape, SpatialConfig } from '../../layers/kind.js';
import type { Window } from '../../layers/window.js';
import { allocFloat, type DType, type FloatArray } from '../../util/float-array.js';

/** The parameters of one conv layer, with their gradients and optimizer state (as a dense layer's). */
export interface ConvParams {
  W: FloatArray;
  b: FloatArray;
  dW: FloatArray;
  db: FloatArray;
  state: FloatArray[];
}

interface Stage {
  config: Exclude<SpatialConfig, { type: 'flatten' }>;
  win: Window;
  inSize: number;
  outSize: number;
  /** Its batch buffers in backends/buffer-plan.ts (elements per row, and which). */
  plan: ReturnType<typeof imageBuffers>[number];
  params: ConvParams | null;
  A: FloatArray;
  D: FloatArray;
  Z: FloatArray | null;
  argmax: Int32Array | null;
}

export class ImageStack {
  private readonly stages: Stage[];
  readonly params: ConvParams[];
  private zeroBias: FloatArray;

  /** `params`: the conv layers' parameters and gradients, in order, allocated by the model from backends/buffer-plan.ts. */
  constructor(
    inputShape: Shape,
    configs: readonly SpatialConfig[],
    private readonly dtype: DType,
    params: readonly Omit<ConvParams, 'state'>[],
  ) {
    const plan = imageBuffers({ inputShape, layers: configs });
    const shapes = spatialShapes(inputShape, configs);
    const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
    let next = 0;
    // Flatten is no stage: channels-last rows are flat already (no buffers, as on the WASM backend).
    this.stages = configs.flatMap((config, i): Stage[] => {
      if (config.type === 'flatten') return [];
      const { input, output } = shapes[i]!;
      const win = config.type === 'conv2d' ? convWindow(config, input) : poolWindow(config, input);
      const convParams = config.type === 'conv2d' ? { ...params[next++]!, state: [] } : null;
      return [
        {
          config,
          win,
          inSize: size(input),
          outSize: size(output),
          plan: plan[i]!,
          params: convParams,
          A: allocFloat(dtype, 0),
          D: allocFloat(dtype, 0),
          Z: null,
          argmax: null,
        },
      ];
    });
    this.params = this.stages.flatMap((s) => (s.params ? [s.params] : []));
    this.zeroBias = allocFloat(
      dtype,
      Math.max(0, ...this.stages.map((s) => (s.config.type === 'conv2d' ? s.config.filters : 0))),
    );
  }

  /** Buffers for `rows` rows, as backends/buffer-plan.ts lists them (A and D of each stage, z where the activation needs it, max pooling's argmax). */
  reserve(rows: number): void {
    for (const s of this.stages) {
      for (const b of s.plan.buffers) {
        if (b === 'argmax') s.argmax = new Int32Array(rows * s.plan.elements);
        else s[b] = allocFloat(this.dtype, rows * s.plan.elements);
      }
    }
  }

  /** Whether the layers move any data (flatten alone does not: the stack is then not needed). */
  get empty(): boolean {
    return this.stages.length === 0;
  }

  /** The flattened output of `rows` rows of x. */
  forward(x: FloatArray, rows: number): FloatArray {
    let input = x;
    for (const s of this.stages) {
      const c = s.config;
      if (c.type === 'conv2d') {
        conv2dForward(s.win!, c.filters, rows, input, s.params!.W, c.useBias ? s.params!.b : null, s.A);
        s.Z?.set(s.A.subarray(0, rows * s.outSize));
        biasActivation(c.activation, rows * s.win!.oh * s.win!.ow, c.filters, s.A, this.zeroBias);
      } else if (c.type === 'maxPooling2d') {
        maxPoolForward(s.win!, rows, input, s.A, s.argmax!);
      } else {
        averagePoolForward(s.win, rows, input, s.A);
      }
      input = s.A;
    }
    return input;
  }

  /** The flattened output of the last forward(). */
  get output(): FloatArray {
    return this.stages[this.stages.length - 1]!.A;
  }
  /** Where the gradient of the flattened output goes (rows × features). */
  get outputDelta(): FloatArray {
    return this.stages[this.stages.length - 1]!.D;
  }

  /** From outputDelta: every conv layer's dW and db (x: the rows forward() last saw). */
  backward(x: FloatArray, rows: number): void {
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const s = this.stages[i]!,
        c = s.config,
        input = i > 0 ? this.stages[i - 1]!.A : x;
      const dx = i > 0 ? this.stages[i - 1]!.D : null;
      if (c.type === 'conv2d') {
        activationBackward(c.activation, rows * s.outSize, s.Z ?? s.A, s.D);
        conv2dBackward(
          s.win!,
          c.filters,
          rows,
          input,
          s.params!.W,
          s.D,
          dx,
          s.params!.dW,
          c.useBias ? s.params!.db : null,
        );
      } else if (dx && c.type === 'maxPooling2d') {
        maxPoolBackward(s.win, rows, s.argmax!, s.D, dx);
      } else if (dx) {
        averagePoolBackward(s.win, rows, s.D, dx); // a pooling first needs no input gradient
      }
    }
  }

  buffers(): FloatArray[] {
    return this.stages.flatMap((s) => [s.A, s.D, ...(s.Z ? [s.Z] : [])]);
  }
}
