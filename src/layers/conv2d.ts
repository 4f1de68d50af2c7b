// The conv2d layer kind (Keras' Conv2D): options, shapes, parameters (W [kh][kw][inChannels][filters],
// b [filters]), and its reference math over a batch of channels-last images: z = x ⊛ W + b (the
// activation is applied after, as for dense), and the gradients of x, W and b from dL/dz.
import { check, shown } from '../errors.js';
import { HIDDEN_ACTIVATIONS } from '../ops/activations.js';
import type { FloatArray } from '../util/float-array.js';
import type { Conv2dConfig, LayerKind } from './kind.js';
import { checkPadding, checkWindow, pairOf, windowOf, type Window } from './window.js';

export const conv2d: LayerKind<Conv2dConfig> = {
  type: 'conv2d',
  defaults: {
    filters: undefined,
    kernelSize: undefined,
    strides: 1,
    padding: 'valid',
    activation: 'linear',
    useBias: true,
  },
  check(c, where) {
    check(
      typeof c.filters === 'number' && Number.isInteger(c.filters) && c.filters > 0 && c.filters <= 65536,
      `${where}: filters must be a positive integer (at most 65536); got ${shown(c.filters)}`,
    );
    pairOf(c.kernelSize, `${where}: kernelSize`);
    pairOf(c.strides, `${where}: strides`);
    checkPadding(c.padding, where);
    check(
      (HIDDEN_ACTIVATIONS as readonly unknown[]).includes(c.activation),
      `${where}: activation ${shown(c.activation)} is not one of ${HIDDEN_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`,
    );
    check(typeof c.useBias === 'boolean', `${where}: useBias must be true or false; got ${shown(c.useBias)}`);
  },
  outputShape(c, input, where) {
    const win = checkWindow(input, c.kernelSize, c.strides, c.padding, 'kernel', where);
    return [win.oh, win.ow, c.filters];
  },
  params(c, input) {
    const [kh, kw] = pairOf(c.kernelSize, 'kernelSize');
    return { W: [kh, kw, input[2]!, c.filters], b: [c.filters] };
  },
  lower(c, records) {
    records.spatial.push(c);
  },
};

export const convWindow = (c: Conv2dConfig, input: readonly number[]): Window =>
  windowOf(input, c.kernelSize, c.strides, c.padding);

/** z[n][oy][ox][f] = b[f] + Σ x[n][oy·sh − top + ky][ox·sw − left + kx][ci] · W[ky][kx][ci][f] over the input (padding adds zeros). */
export function conv2dForward(
  win: Window,
  filters: number,
  rows: number,
  x: ArrayLike<number>,
  W: ArrayLike<number>,
  b: ArrayLike<number> | null,
  z: FloatArray,
): void {
  const { h, w, c, kh, kw, sh, sw, top, left, oh, ow } = win,
    F = filters;
  const acc = new Float64Array(F);
  for (let n = 0; n < rows; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let f = 0; f < F; f++) acc[f] = b ? b[f]! : 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - left + kx;
            if (ix < 0 || ix >= w) continue;
            for (let ci = 0; ci < c; ci++) {
              const v = x[((n * h + iy) * w + ix) * c + ci]!,
                o = ((ky * kw + kx) * c + ci) * F;
              for (let f = 0; f < F; f++) acc[f] = acc[f]! + v * W[o + f]!;
            }
          }
        }
        z.set(acc, ((n * oh + oy) * ow + ox) * F);
      }
    }
  }
}

/** From dz (rows × oh × ow × filters): dW and db (overwritten; db left alone when null), and dx (overwritten) unless null. */
export function conv2dBackward(
  win: Window,
  filters: number,
  rows: number,
  x: ArrayLike<number>,
  W: ArrayLike<number>,
  dz: ArrayLike<number>,
  dx: FloatArray | null,
  dW: FloatArray,
  db: FloatArray | null,
): void {
  const { h, w, c, kh, kw, sh, sw, top, left, oh, ow } = win,
    F = filters;
  dW.fill(0);
  db?.fill(0);
  dx?.fill(0, 0, rows * h * w * c);
  for (let n = 0; n < rows; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const g = ((n * oh + oy) * ow + ox) * F;
        if (db) for (let f = 0; f < F; f++) db[f] = db[f]! + dz[g + f]!;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - left + kx;
            if (ix < 0 || ix >= w) continue;
            for (let ci = 0; ci < c; ci++) {
              const xi = ((n * h + iy) * w + ix) * c + ci,
                o = ((ky * kw + kx) * c + ci) * F,
                v = x[xi]!;
              let s = 0;
              for (let f = 0; f < F; f++) {
                dW[o + f] = dW[o + f]! + v * dz[g + f]!;
                s += W[o + f]! * dz[g + f]!;
              }
              if (dx) dx[xi] = dx[xi]! + s;
            }
          }
        }
      }
    }
  }
}
