// What max and average pooling share: options (poolSize, strides = poolSize when null, padding, as
// Keras' MaxPooling2D/AveragePooling2D), shapes, and the window of an input.
import { check, shown } from '../errors.js';
import type { Pooling2dConfig, LayerKind } from './kind.js';
import { checkPadding, checkWindow, pairOf, windowOf, type Window } from './window.js';

export function poolingKind<C extends Pooling2dConfig>(type: C['type']): LayerKind<C> {
  return {
    type,
    defaults: { poolSize: 2, strides: null, padding: 'valid' } as LayerKind<C>['defaults'],
    check(c, where) {
      pairOf(c.poolSize, `${where}: poolSize`);
      check(
        c.strides === null || pairOf(c.strides, `${where}: strides`) !== null,
        `${where}: strides ${shown(c.strides)}`,
      );
      checkPadding(c.padding, where);
    },
    outputShape(c, input, where) {
      const win = checkWindow(input, c.poolSize, c.strides ?? c.poolSize, c.padding, 'pool', where);
      return [win.oh, win.ow, win.c];
    },
    params: () => null,
    lower(c, records) {
      records.spatial.push(c);
    },
  };
}

export const poolWindow = (c: Pooling2dConfig, input: readonly number[]): Window =>
  windowOf(input, c.poolSize, c.strides ?? c.poolSize, c.padding);

/** Calls visit(output index, input index) for each input element under each output's window (padding excluded), in window order. */
export function eachWindow(
  win: Window,
  rows: number,
  start: (o: number) => void,
  visit: (o: number, i: number) => void,
  end: (o: number, count: number) => void,
): void {
  const { h, w, c, kh, kw, sh, sw, top, left, oh, ow } = win;
  for (let n = 0; n < rows; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const y0 = Math.max(oy * sh - top, 0),
          y1 = Math.min(oy * sh - top + kh, h);
        const x0 = Math.max(ox * sw - left, 0),
          x1 = Math.min(ox * sw - left + kw, w);
        for (let ch = 0; ch < c; ch++) {
          const o = ((n * oh + oy) * ow + ox) * c + ch;
          start(o);
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) visit(o, ((n * h + iy) * w + ix) * c + ch);
          end(o, (y1 - y0) * (x1 - x0));
        }
      }
    }
  }
}
