// Inverted dropout, the reference of assembly/dropout.ts: each mask value comes from a
// counter-based hash of (seed, layer, step, index), the same on both backends, so masks need no
// state beyond the checkpointed step count. A unit is kept when the top 24 bits of its hash reach
// the threshold (the rate in units of 2^-24); kept units are scaled by 1 / (1 - rate).
import type { FloatArray } from '../util/float-array.js';

/** The rate as the kernels use it: a 24-bit threshold (0: no dropout). */
export const dropoutThreshold = (rate: number): number => Math.round(rate * 2 ** 24);

// murmur3's 32-bit finalizer, on unsigned 32-bit values.
function mix(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** mask[i] = keep ? scale : 0 and dropped[i] = a[i] · mask[i] over n values of `layer` at optimizer `step`. */
export function dropoutForward(
  n: number,
  a: FloatArray,
  mask: FloatArray,
  dropped: FloatArray,
  seed: number,
  layer: number,
  step: number,
  threshold: number,
): void {
  const scale = 1 / (1 - threshold / 2 ** 24);
  const base = mix((mix((seed ^ Math.imul(layer + 1, 0x9e3779b9)) >>> 0) ^ (step >>> 0)) >>> 0);
  for (let i = 0; i < n; i++) {
    mask[i] = mix((base + Math.imul(i, 0x9e3779b9)) >>> 0) >>> 8 >= threshold ? scale : 0;
    dropped[i] = a[i]! * mask[i]!;
  }
}

/** delta[i] *= mask[i]: the gradient flows only through kept units, scaled as they were. */
export function dropoutBackward(n: number, mask: FloatArray, delta: FloatArray): void {
  for (let i = 0; i < n; i++) delta[i] = delta[i]! * mask[i]!;
}
