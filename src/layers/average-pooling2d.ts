// The averagePooling2d layer kind: each output the mean of the inputs under its window, padding not
// counted (as TensorFlow's 'same' average pooling).
import type { FloatArray } from '../util/float-array.js';
import { eachWindow, poolingKind } from './pooling.js';
import type { Window } from './window.js';
import type { AveragePooling2dConfig } from './kind.js';

export const averagePooling2d = poolingKind<AveragePooling2dConfig>('averagePooling2d');

export function averagePoolForward(win: Window, rows: number, x: ArrayLike<number>, y: FloatArray): void {
  eachWindow(
    win,
    rows,
    (o) => {
      y[o] = 0;
    },
    (o, i) => {
      y[o] = y[o]! + x[i]!;
    },
    (o, count) => {
      y[o] = y[o]! / count;
    },
  );
}

/** dx (overwritten) from dy: each output's gradient shared equally by its window's inputs. */
export function averagePoolBackward(win: Window, rows: number, dy: ArrayLike<number>, dx: FloatArray): void {
  dx.fill(0, 0, rows * win.h * win.w * win.c);
  const idx: number[] = [];
  eachWindow(
    win,
    rows,
    () => {
      idx.length = 0;
    },
    (_o, i) => {
      idx.push(i);
    },
    (o, count) => {
      for (const i of idx) dx[i] = dx[i]! + dy[o]! / count;
    },
  );
}
