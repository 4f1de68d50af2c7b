// The image layers of a network as the WebAssembly loop's stages (assembly/image.ts): one per conv2d
// or pooling layer, with its window (Keras' padding rule, from src/layers/), its parameter sizes and
// the batch buffers of the buffer plan. Flatten has no stage: channels-last rows are flat already.
import type { ModelSpec } from '../backend.js';
import { imageBuffers } from '../buffer-plan.js';
import { activationOp } from '../../ops/activations.js';
import { convWindow } from '../../layers/conv2d.js';
import { poolWindow } from '../../layers/pooling.js';
import { spatialShapes } from '../../layers/spatial.js';
import type { SpatialConfig } from '../../layers/kind.js';
import type { Window } from '../../layers/window.js';
import { STAGE_TYPES, type StageFields } from './layout.js';

export type StageBuffer = 'A' | 'D' | 'Z' | 'argmax';

export interface Stage {
  readonly config: Exclude<SpatialConfig, { type: 'flatten' }>;
  readonly win: Window;
  /** Output channels (conv: filters; pooling: the input's). */
  readonly filters: number;
  /** Elements of one row's output. */
  readonly elements: number;
  /** Whether it has parameters (a conv layer: backends/buffer-plan.ts sizes them). */
  readonly params: boolean;
  /** The buffer plan's batch buffers of this layer. */
  readonly buffers: readonly StageBuffer[];
}

export function stagesOf(spec: ModelSpec): Stage[] {
  if (!spec.image) return [];
  const shapes = spatialShapes(spec.image.inputShape, spec.image.layers),
    plan = imageBuffers(spec.image);
  return spec.image.layers.flatMap((config, i): Stage[] => {
    if (config.type === 'flatten') return [];
    const input = shapes[i]!.input;
    const win = config.type === 'conv2d' ? convWindow(config, input) : poolWindow(config, input);
    const filters = config.type === 'conv2d' ? config.filters : win.c;
    return [
      {
        config,
        win,
        filters,
        elements: plan[i]!.elements,
        buffers: plan[i]!.buffers,
        params: config.type === 'conv2d',
      },
    ];
  });
}

/** Where a stage's regions are (0: none). */
export interface StageRegions {
  W: number;
  b: number;
  dW: number;
  db: number;
  A: number;
  D: number;
  Z: number;
  argmax: number;
  state: number[];
}

/** The stage's record in the layer table. */
export function stageFields(s: Stage, r: StageRegions): StageFields {
  const { h, w, c, kh, kw, sh, sw, top, left, oh, ow } = s.win,
    conv = s.config.type === 'conv2d' ? s.config : null;
  return {
    type: STAGE_TYPES[s.config.type],
    height: h,
    width: w,
    channels: c,
    kh,
    kw,
    sh,
    sw,
    top,
    left,
    oh,
    ow,
    filters: s.filters,
    act: conv ? activationOp(conv.activation).code : 0,
    useBias: conv?.useBias ? 1 : 0,
    W: r.W,
    b: r.b,
    dW: r.dW,
    db: r.db,
    A: r.A,
    D: r.D,
    Z: r.Z,
    argmax: r.argmax,
    s1W: r.state[0] ?? 0,
    s1b: r.state[1] ?? 0,
    s2W: r.state[2] ?? 0,
    s2b: r.state[3] ?? 0,
  };
}
