// The maxPooling2d layer kind: each output the largest input under its window (padding never
// wins), the index of the first largest kept, so the backward pass routes the gradient to it.
import type { FloatArray } from '../util/float-array.js';
import { eachWindow, poolingKind } from './pooling.js';
import type { Window } from './window.js';
import type { MaxPooling2dConfig } from './kind.js';

export const maxPooling2d = poolingKind<MaxPooling2dConfig>('maxPooling2d');

/** y = the window maxima; argmax[o] = the input index each came from. */
export function maxPoolForward(
  win: Window,
  rows: number,
  x: ArrayLike<number>,
  y: FloatArray,
  argmax: Int32Array,
): void {
  eachWindow(
    win,
    rows,
    (o) => {
      y[o] = -Infinity;
      argmax[o] = -1;
    },
    (o, i) => {
      if (argmax[o] === -1 || x[i]! > y[o]!) {
        y[o] = x[i]!;
        argmax[o] = i;
      }
    },
    () => {},
  );
}

/** dx (overwritten, rows × h × w × c) from dy: each output's gradient to its argmax. */
export function maxPoolBackward(
  win: Window,
  rows: number,
  argmax: Int32Array,
  dy: ArrayLike<number>,
  dx: FloatArray,
): void {
  dx.fill(0, 0, rows * win.h * win.w * win.c);
  const n = rows * win.oh * win.ow * win.c;
  for (let o = 0; o < n; o++) dx[argmax[o]!] = dx[argmax[o]!]! + dy[o]!;
}
