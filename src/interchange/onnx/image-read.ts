// Reads the image nodes of an ONNX graph (NCHW, as PyTorch's torch.onnx.export writes them) as this
// library's image layers: Conv (group 1, dilations 1) as conv2d, MaxPool as maxPooling2d, AveragePool
// (padding not counted) as averagePooling2d, Flatten at axis 1 as flatten; a Pad of zeros (PyTorch
// writes one before each AvgPool2d) and the int64 Constant holding its pads pass through. Padding
// maps only where it is exactly Keras' 'valid' or 'same' for the input's size; anything else is a
// ModelFormatError naming the node and the pads. The image may also come from [batch, features] rows:
// a Reshape to [N, C, H, W] (channels-first rows), or as toONNX writes it, a Reshape to [N, H, W, C]
// and a Transpose to NCHW (channels-last rows), with a Transpose back to NHWC before its Flatten. A
// Reshape of the image to [-1, C·H·W] (PyTorch's x.view(-1, C·H·W)) is a Flatten.
// Only the plan is built here: shapes are numbers.
import type { DType } from '../../index.js';
import { MAX_IMAGE_VALUES, shownText as nm, windowOf } from '../../internal.js';
import { fail, label, readAttributes, type Kind } from './attributes.js';
import type { AttributeP, NodeP, TensorP, ValueInfoP } from './proto.js';
import { int64s } from './tensors.js';

export type Image = [h: number, w: number, c: number];
type Padding = 'valid' | 'same';

/** A conv2d read from a Conv node: its options (the activation set by the node after it, if any) and its initializers. */
export interface ConvPlan {
  W: TensorP;
  b: TensorP | null;
}
export type ImageLayer =
  | {
      type: 'conv2d';
      filters: number;
      kernelSize: [number, number];
      strides: [number, number];
      padding: Padding;
      activation: string;
      useBias: boolean;
    }
  | {
      type: 'maxPooling2d' | 'averagePooling2d';
      poolSize: [number, number];
      strides: [number, number];
      padding: Padding;
    }
  | { type: 'flatten' };

export interface ImageState {
  /** [h, w, c] of a 4-D [N, C, H, W] graph input; null for [batch, features] rows. */
  inputShape: Image | null;
  /** The current value's [h, w, c] while it is an image; null once rows are 2-D. */
  shape: Image | null;
  layers: ImageLayer[];
  convs: ConvPlan[];
  /** The last conv2d while no other node has followed it (its activation may still come). */
  open: Extract<ImageLayer, { type: 'conv2d' }> | null;
  /**
   * The last MaxPool or AveragePool while no other node has followed it, with the conv2d before it
   * if that had no activation yet (a monotone activation after a MaxPool is that conv's: graph.ts).
   */
  pooled: { node: NodeP; avg: boolean; conv: Extract<ImageLayer, { type: 'conv2d' }> | null } | null;
  /** The image a Flatten turned into channels-first rows, until the first dense layer takes them. */
  flat: Image | null;
  /** int64 Constant nodes' values (a Pad's pads, a Reshape's shape), by output name. */
  constants: Map<string, number[]>;
  /** The [a, b, c] of a Reshape of the rows to [N, a, b, c], until the node after it says which layout it is. */
  reshaped: [number, number, number] | null;
  /** A Transpose of the image to NHWC was read: a Flatten must follow, and gives channels-last rows. */
  toNHWC: boolean;
}

export interface Context {
  cur: string;
  /** The graph input's width when the current value is it ([batch, features] rows; 0: unstated), else null. */
  rows: number | null;
  dtype: DType;
  inits: ReadonlyMap<string, TensorP>;
  weight: (n: NodeP, name: string | undefined, role: string, rank: number[]) => TensorP;
}

export const IMAGE_OPS = new Set(['Conv', 'MaxPool', 'AveragePool', 'Pad', 'Transpose']);

/** [h, w, c] of a 4-D graph input [N, C, H, W] with C, H and W stated, or null for any other rank. */
export function imageInput(v: ValueInfoP): Image | null {
  if (v.shape === null || v.shape.length !== 4) return null;
  const [c, h, w] = v.shape.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : 0)) as [number, number, number];
  if (!c || !h || !w) {
    const dims = v.shape
      .slice(1)
      .map((d, i) => `${'CHW'[i]} = ${typeof d === 'number' ? d : d === null ? 'unstated' : `'${nm(d)}'`}`)
      .join(', ');
    fail(
      `the graph input '${nm(v.name)}' has the shape [${v.shape.map((d) => d ?? '?').join(', ')}]; an image input [N, C, H, W] needs C, H and W as positive integers; got ${dims}`,
    );
  }
  if (c * h * w > MAX_IMAGE_VALUES)
    fail(
      `the graph input '${nm(v.name)}' [N, ${c}, ${h}, ${w}] holds ${c * h * w} values per row, more than the ${MAX_IMAGE_VALUES} an image layer takes`,
    );
  return [h, w, c];
}

/** A side of a window: an integer in 1..65536 (as the library's pairOf takes it). */
const side = (d: number): boolean => Number.isInteger(d) && d > 0 && d <= 65536;

/** A pair attribute (kernel_shape, strides, dilations) as [h, w]: two integers in 1..65536. */
function pair(n: NodeP, a: AttributeP | undefined, name: string, fallback: [number, number] | null): [number, number] {
  if (!a) return fallback ?? fail(`${label(n)} has no '${name}'`);
  const v = a.ints!;
  if (v.length !== 2 || !v.every(side))
    fail(`attribute '${name}' = [${v.join(', ')}] of ${label(n)} must be two integers from 1 to 65536 (a 2-D window)`);
  return [v[0]!, v[1]!];
}

/** The four pads [top, left, bottom, right] Keras' 'same' gives this window (the odd pixel after, as TensorFlow pads). */
function samePads(shape: Image, k: [number, number], s: [number, number]): number[] {
  const w = windowOf(shape, k, s, 'same');
  return [w.top, w.left, w.bottom, w.right];
}

/**
 * 'valid' or 'same' when the node's auto_pad or pads are exactly that padding for this input; else
 * a ModelFormatError naming the pads (no padding of this library computes the same values).
 */
function padding(
  n: NodeP,
  a: Map<string, AttributeP>,
  shape: Image,
  k: [number, number],
  s: [number, number],
): { padding: Padding; pads: number[] } {
  const auto = a.get('auto_pad')?.s ?? 'NOTSET',
    given = a.get('pads')?.ints;
  const same = samePads(shape, k, s);
  let pads: number[];
  if (auto === 'VALID') pads = [0, 0, 0, 0];
  else if (auto === 'SAME_UPPER') pads = same;
  else if (auto === 'SAME_LOWER') pads = [same[2]!, same[3]!, same[0]!, same[1]!];
  else if (auto === 'NOTSET') pads = given ?? [0, 0, 0, 0];
  else
    return fail(
      `attribute 'auto_pad' = '${nm(auto)}' of ${label(n)} is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`,
    );
  if (auto !== 'NOTSET' && given) fail(`${label(n)} gives both auto_pad '${nm(auto)}' and pads`);
  if (pads.length !== 4)
    fail(`attribute 'pads' = [${pads.join(', ')}] of ${label(n)} must hold 4 values [top, left, bottom, right]`);
  if (pads.every((p) => p === 0)) return { padding: 'valid', pads };
  if (pads.every((p, i) => p === same[i])) return { padding: 'same', pads };
  const why =
    auto === 'SAME_LOWER'
      ? `auto_pad SAME_LOWER puts the odd pixel before, giving pads [${pads.join(', ')}]`
      : `pads [${pads.join(', ')}] [top, left, bottom, right]`;
  return fail(
    `${label(n)}: ${why} on its ${shape[0]}×${shape[1]} input with a ${k[0]}×${k[1]} window and strides ${s[0]}×${s[1]} are neither none ('valid') nor [${same.join(', ')}], the 'same' padding of this library (Keras': ceil(size / stride) outputs, the odd pixel after); the model cannot be read without changing its math`,
  );
}

/** The window of a Conv, MaxPool or AveragePool and its output shape; refuses dilations, ceil_mode and windows larger than the input. */
function windowed(
  n: NodeP,
  a: Map<string, AttributeP>,
  shape: Image,
  k: [number, number],
  channels: number,
): { strides: [number, number]; padding: Padding; out: Image; pads: number[] } {
  const s = pair(n, a.get('strides'), 'strides', [1, 1]);
  const d = pair(n, a.get('dilations'), 'dilations', [1, 1]);
  if (d[0] !== 1 || d[1] !== 1)
    fail(
      `attribute 'dilations' = [${d.join(', ')}] of ${label(n)} is not supported (only 1: this library has no dilated windows)`,
    );
  const { padding: p, pads } = padding(n, a, shape, k, s);
  const w = windowOf(shape, k, s, p);
  if (w.oh <= 0 || w.ow <= 0)
    fail(`${label(n)}: its ${k[0]}×${k[1]} window is larger than its ${shape[0]}×${shape[1]} input`);
  const ceil = a.get('ceil_mode')?.i ?? 0;
  if (ceil !== 0 && ceil !== 1) fail(`attribute 'ceil_mode' = ${ceil} of ${label(n)} must be 0 or 1`);
  // ceil_mode 1 adds a partial window where the padded input does not divide by the stride; where it does, the output is the same.
  if (
    ceil === 1 &&
    ((shape[0] + pads[0]! + pads[2]! - k[0]) % s[0] !== 0 || (shape[1] + pads[1]! + pads[3]! - k[1]) % s[1] !== 0)
  ) {
    fail(
      `attribute 'ceil_mode' = 1 of ${label(n)} adds a partial window on its ${shape[0]}×${shape[1]} input, which this library's pooling does not (export with ceil_mode=False)`,
    );
  }
  return { strides: s, padding: p, out: [w.oh, w.ow, channels], pads };
}

/**
 * Reads n if it is an image node: 'next' when its output is the chain's new value, 'aside' for a
 * Constant (the chain stays), null for an op this reader does not handle.
 */
export function readImageNode(n: NodeP, st: ImageState, ctx: Context): 'next' | 'aside' | null {
  const attrs = (allowed: Record<string, Kind>): Map<string, AttributeP> => readAttributes(n, allowed);
  if (n.opType === 'Constant') {
    const v = attrs({ value: 't' }).get('value');
    if (n.inputs.length !== 0 || !v)
      fail(`${label(n)} is supported only as an int64 'value' list (a Pad's pads, a Reshape's shape)`);
    st.constants.set(n.outputs[0]!, int64s(v!.t!, n));
    return 'aside';
  }
  if (n.opType === 'Reshape' && ctx.rows !== null) return reshape(n, st, ctx);
  const shape = st.shape,
    wasOpen = st.open,
    wasPooled = st.pooled,
    reshaped = st.reshaped;
  if (!IMAGE_OPS.has(n.opType) && !((n.opType === 'Flatten' || n.opType === 'Reshape') && shape)) return null;
  st.open = null;
  st.pooled = null;
  st.reshaped = null;
  if (st.toNHWC && n.opType !== 'Flatten') fail(`${label(n)} follows a Transpose to NHWC; only a Flatten may`);
  if (!shape)
    fail(
      `${label(n)} takes an image [N, C, H, W], but it follows ${st.layers.length ? 'a Flatten' : "the graph's 2-D input"}: image layers must come first`,
    );
  if (n.inputs[0] !== ctx.cur) fail(`${label(n)} must take '${nm(ctx.cur)}' first`);
  const [h, w, c] = shape!;
  switch (n.opType) {
    case 'Conv': {
      const a = attrs({
        auto_pad: 's',
        dilations: 'ints',
        group: 'i',
        kernel_shape: 'ints',
        pads: 'ints',
        strides: 'ints',
      });
      const group = a.get('group')?.i ?? 1;
      if (group !== 1)
        fail(
          `attribute 'group' = ${group} of ${label(n)} is not supported (only 1: no grouped or depthwise convolutions)`,
        );
      if (n.inputs.length < 2 || n.inputs.length > 3)
        fail(`${label(n)} must take '${nm(ctx.cur)}', a weight and an optional bias`);
      const W = ctx.weight(n, n.inputs[1], 'weight', [4]);
      const [F, C, kh, kw] = W.dims as [number, number, number, number];
      if (C !== c)
        fail(
          `${label(n)}: weight '${nm(W.name)}' has dims [${W.dims.join(', ')}]: ${C} input channels, but its input has ${c}`,
        );
      if (!side(kh) || !side(kw))
        fail(
          `${label(n)}: weight '${nm(W.name)}' has dims [${W.dims.join(', ')}]: its ${kh}×${kw} kernel must be from 1 to 65536 on each side (a 2-D window)`,
        );
      const k = pair(n, a.get('kernel_shape'), 'kernel_shape', [kh, kw]);
      if (k[0] !== kh || k[1] !== kw)
        fail(`attribute 'kernel_shape' = [${k.join(', ')}] of ${label(n)} differs from its weight's [${kh}, ${kw}]`);
      const b = n.inputs[2] ? ctx.weight(n, n.inputs[2], 'bias', [1]) : null;
      if (b && b.dims[0] !== F)
        fail(`${label(n)}: bias '${nm(b.name)}' has dims [${b.dims.join(', ')}], expected [${F}]`);
      const win = windowed(n, a, shape!, k, F);
      const layer = {
        type: 'conv2d' as const,
        filters: F,
        kernelSize: k,
        strides: win.strides,
        padding: win.padding,
        activation: 'linear',
        useBias: b !== null,
      };
      st.layers.push(layer);
      st.convs.push({ W, b });
      st.open = layer;
      st.shape = win.out;
      return 'next';
    }
    case 'MaxPool':
    case 'AveragePool': {
      const avg = n.opType === 'AveragePool';
      const a = attrs({
        auto_pad: 's',
        ceil_mode: 'i',
        dilations: 'ints',
        kernel_shape: 'ints',
        pads: 'ints',
        strides: 'ints',
        ...(avg ? { count_include_pad: 'i' as const } : { storage_order: 'i' as const }),
      });
      if (n.inputs.length !== 1) fail(`${label(n)} must take the single input '${nm(ctx.cur)}'`);
      const k = pair(n, a.get('kernel_shape'), 'kernel_shape', null);
      const win = windowed(n, a, shape!, k, c);
      const counted = a.get('count_include_pad')?.i ?? 0;
      if (avg && counted !== 0 && win.pads.some((p) => p !== 0)) {
        fail(
          `${label(n)} counts its padding [${win.pads.join(', ')}] in each average (count_include_pad = ${counted}); this library's averagePooling2d does not (in PyTorch: AvgPool2d(count_include_pad=False))`,
        );
      }
      st.layers.push({
        type: avg ? 'averagePooling2d' : 'maxPooling2d',
        poolSize: k,
        strides: win.strides,
        padding: win.padding,
      });
      st.pooled = { node: n, avg, conv: wasOpen };
      st.shape = win.out;
      return 'next';
    }
    case 'Pad': {
      const mode = attrs({ mode: 's' }).get('mode')?.s ?? 'constant';
      if (n.inputs.length < 2 || n.inputs.length > 3)
        fail(`${label(n)} must take '${nm(ctx.cur)}', its pads and an optional value (no axes)`);
      const name = n.inputs[1]!,
        init = ctx.inits.get(name);
      const pads =
        st.constants.get(name) ??
        (init
          ? int64s(init, n)
          : fail(`${label(n)} takes its pads from '${nm(name)}', which is neither a Constant nor an initializer`));
      if (pads.length !== 8) fail(`${label(n)} has ${pads.length} pads; an image [N, C, H, W] has 8`);
      if (pads.some((p) => p !== 0)) {
        fail(
          `${label(n)} pads its input by [${pads.join(', ')}] (mode '${nm(mode)}'); only a Pad of zeros is read: padding counted by a pooling is not this library's (in PyTorch: AvgPool2d(count_include_pad=False), or the padding given to the Conv)`,
        );
      }
      // All zeros: the identity, whatever the mode and value.
      st.open = wasOpen;
      st.pooled = wasPooled;
      return 'next';
    }
    case 'Transpose': {
      const perm = attrs({ perm: 'ints' }).get('perm')?.ints ?? [];
      if (n.inputs.length !== 1) fail(`${label(n)} must take the single input '${nm(ctx.cur)}'`);
      const is = (p: number[]): boolean => perm.length === 4 && perm.every((v, i) => v === p[i]);
      if (reshaped && is([0, 3, 1, 2])) {
        // toONNX's input: channels-last rows reshaped to [N, H, W, C], then NCHW.
        st.shape = st.inputShape = reshaped;
      } else if (is([0, 2, 3, 1])) st.toNHWC = true;
      else
        fail(
          `attribute 'perm' = [${perm.join(', ')}] of ${label(n)} is not supported (only [0, 3, 1, 2] after a Reshape of the input rows to [N, H, W, C], and [0, 2, 3, 1] before a Flatten)`,
        );
      return 'next';
    }
    default: {
      // Flatten of an image, or a Reshape to [-1, C·H·W] (PyTorch's x.view(-1, C·H·W))
      if (n.opType === 'Reshape') {
        const to = reshapeTarget(n, st, ctx);
        if (
          to.length !== 2 ||
          (to[0] !== -1 && to[0] !== 0) ||
          (to[1] !== h * w * c && !(to[1] === -1 && to[0] === 0))
        ) {
          fail(
            `${label(n)} reshapes its [N, ${c}, ${h}, ${w}] image to [${to.join(', ')}]; only a flatten, [-1, ${c * h * w}] or [0, -1], is supported`,
          );
        }
      } else {
        const axis = attrs({ axis: 'i' }).get('axis')?.i ?? 1;
        if (axis !== 1 && axis !== -3)
          fail(`attribute 'axis' = ${axis} of ${label(n)} is not supported (an image [N, C, H, W] flattens at axis 1)`);
        if (n.inputs.length !== 1) fail(`${label(n)} must take the single input '${nm(ctx.cur)}'`);
      }
      st.layers.push({ type: 'flatten' });
      // After a Transpose to NHWC the flattened rows are channels-last already.
      st.flat = st.toNHWC ? null : [h, w, c];
      st.toNHWC = false;
      st.shape = null;
      return 'next';
    }
  }
}

/** The shape a Reshape of the chain's value takes, from a Constant or an initializer. */
function reshapeTarget(n: NodeP, st: ImageState, ctx: Context): number[] {
  const allowzero = readAttributes(n, { allowzero: 'i' }).get('allowzero')?.i ?? 0;
  if (allowzero !== 0) fail(`attribute 'allowzero' = ${allowzero} of ${label(n)} is not supported (only 0)`);
  if (n.inputs.length !== 2 || n.inputs[0] !== ctx.cur) fail(`${label(n)} must take '${nm(ctx.cur)}' and a shape`);
  const name = n.inputs[1]!,
    init = ctx.inits.get(name);
  return (
    st.constants.get(name) ??
    (init
      ? int64s(init, n)
      : fail(`${label(n)} takes its shape from '${nm(name)}', which is neither a Constant nor an initializer`))
  );
}

/** A Reshape of the graph's [batch, features] rows to an image [N, a, b, c] (NCHW unless a Transpose to it follows). */
function reshape(n: NodeP, st: ImageState, ctx: Context): 'next' {
  const to = reshapeTarget(n, st, ctx);
  const [a, b, c] = to.slice(1) as [number, number, number];
  if (to.length !== 4 || (to[0] !== -1 && to[0] !== 0) || ![a, b, c].every((d) => Number.isInteger(d) && d > 0)) {
    fail(
      `${label(n)} reshapes the graph's input rows to [${to.join(', ')}]; only [-1, C, H, W] (an image per row) is supported`,
    );
  }
  if (a * b * c > MAX_IMAGE_VALUES)
    fail(
      `${label(n)}: [${to.join(', ')}] holds ${a * b * c} values per row, more than the ${MAX_IMAGE_VALUES} an image layer takes`,
    );
  if (ctx.rows !== 0 && ctx.rows !== a * b * c)
    fail(`${label(n)} reshapes rows of ${ctx.rows} values to [${to.join(', ')}] (${a * b * c} values)`);
  st.shape = st.inputShape = [b, c, a];
  st.reshaped = [a, b, c];
  return 'next';
}
