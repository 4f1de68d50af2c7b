// The sliding-window arithmetic that conv2d and the poolings share, once: window sizes given as n
// or [h, w], and Keras' output size and padding rule ('valid': no padding; 'same': ceil(in / stride)
// outputs, the padding split with the odd element after, as TensorFlow pads).
import { check, shown } from '../errors.js';

/** The paddings a window takes (the CLI's --layers suffixes come from this list). */
export const PADDINGS = ['valid', 'same'] as const;
export type Padding = (typeof PADDINGS)[number];
export type Pair = number | readonly [number, number];

/** n or [h, w], each a positive integer: checked, as [h, w]. */
export function pairOf(v: unknown, what: string): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 65536;
  if (ok(v)) return [v, v];
  check(
    Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1]),
    `${what} must be a positive integer or [height, width] of them (at most 65536); got ${shown(v)}`,
  );
  return [v[0], v[1]];
}

export function checkPadding(p: unknown, where: string): void {
  check(
    (PADDINGS as readonly unknown[]).includes(p),
    `${where}: padding must be ${PADDINGS.map((v) => `'${v}'`).join(' or ')}; got ${shown(p)}`,
  );
}

/** Along one axis: the output size and the padding before the first window and after the last (the odd element after). */
export function axis(
  size: number,
  kernel: number,
  stride: number,
  padding: Padding,
): { out: number; before: number; after: number } {
  if (padding === 'valid')
    return { out: size < kernel ? 0 : Math.floor((size - kernel) / stride) + 1, before: 0, after: 0 };
  const out = Math.ceil(size / stride),
    total = Math.max((out - 1) * stride + kernel - size, 0),
    before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** A window over an [h, w, c] input: kernel, strides, padding and the output's height and width. */
export interface Window {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly top: number;
  readonly left: number;
  readonly oh: number;
  readonly ow: number;
  /** The padding after the last window (ONNX's pads end; the kernels need only top and left). */
  readonly bottom: number;
  readonly right: number;
}

export function windowOf(input: readonly number[], kernel: Pair, strides: Pair, padding: Padding): Window {
  const [kh, kw] = pairOf(kernel, 'kernel'),
    [sh, sw] = pairOf(strides, 'strides');
  const [h, w, c] = input as [number, number, number];
  const y = axis(h, kh, sh, padding),
    x = axis(w, kw, sw, padding);
  return {
    h,
    w,
    c,
    kh,
    kw,
    sh,
    sw,
    top: y.before,
    left: x.before,
    oh: y.out,
    ow: x.out,
    bottom: y.after,
    right: x.after,
  };
}

/** A ValidationError naming the layer and the shapes unless the input is [h, w, c] and the window fits it. */
export function checkWindow(
  input: readonly number[],
  kernel: Pair,
  strides: Pair,
  padding: Padding,
  noun: string,
  where: string,
): Window {
  check(
    input.length === 3,
    `${where}: takes an image [height, width, channels]; got the shape [${input.join(', ')}] (give inputShape as [h, w, c], and no flatten before it)`,
  );
  const win = windowOf(input, kernel, strides, padding);
  check(
    padding === 'same' || (win.kh <= win.h && win.kw <= win.w),
    `${where}: ${noun} ${win.kh}×${win.kw} is larger than its ${win.h}×${win.w} input with padding 'valid'`,
  );
  return win;
}
