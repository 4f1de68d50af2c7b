// Channels-first (ONNX, PyTorch: [C, H, W] per row) to channels-last (this library: [H, W, C]) for
// the three things that carry a layout: a Conv kernel [F][C][kh][kw] to [kh][kw][C][F], the rows of
// the dense layer after a Flatten (its inputs in C·H·W order to H·W·C), and the input rows themselves.
import { ValidationError } from '../../index.js';
import { badValue, checkAttached, shown, shownText } from '../../internal.js';
import { need } from '../common.js';

/** Index in a channels-first [c, h, w] row of the value at (y, x, ch). */
export const chwIndex = (y: number, x: number, ch: number, h: number, w: number): number => (ch * h + y) * w + x;
/** Index in a channels-last [h, w, c] row of the value at (y, x, ch). */
export const hwcIndex = (y: number, x: number, ch: number, w: number, c: number): number => (y * w + x) * c + ch;
/** Index in a channels-first Conv weight [F, C, kh, kw] of the value at (f, c, y, x). */
export const fckkIndex = (f: number, c: number, y: number, x: number, C: number, kh: number, kw: number): number =>
  ((f * C + c) * kh + y) * kw + x;

/** A Conv weight [F, C, kh, kw] (flat, channels-first) as a conv2d kernel W[kh][kw][C][F]. */
export function convKernel(data: ArrayLike<number>, dims: readonly number[], what: string): number[][][][] {
  const [F, C, kh, kw] = dims as [number, number, number, number];
  return Array.from({ length: kh }, (_, y) =>
    Array.from({ length: kw }, (_, x) =>
      Array.from({ length: C }, (_, c) =>
        Array.from({ length: F }, (_, f) => {
          const v = data[fckkIndex(f, c, y, x, C, kh, kw)]!;
          if (!Number.isFinite(v)) need(false, what, `holds the non-finite value ${v} at [${f}, ${c}, ${y}, ${x}]`);
          return v;
        }),
      ),
    ),
  );
}

/**
 * A dense weight whose inputs are a flattened [c, h, w] image, reordered so that its inputs are the
 * [h, w, c] order of this library's flatten: for W [inputs, outputs] (or [outputs, inputs] when
 * transposed), input row i = (y·w + x)·c + ch takes the file's row (ch·h + y)·w + x.
 */
export function flattenedRows(
  data: ArrayLike<number>,
  [h, w, c]: readonly number[],
  outputs: number,
  transposed: boolean,
): Float64Array {
  const inputs = h! * w! * c!,
    out = new Float64Array(inputs * outputs);
  for (let y = 0; y < h!; y++)
    for (let x = 0; x < w!; x++)
      for (let ch = 0; ch < c!; ch++) {
        const to = hwcIndex(y, x, ch, w!, c!),
          from = chwIndex(y, x, ch, h!, w!);
        for (let j = 0; j < outputs; j++) {
          if (transposed) out[j * inputs + to] = data[j * inputs + from]!;
          else out[to * outputs + j] = data[from * outputs + j]!;
        }
      }
  return out;
}

type Rows = Float32Array | Float64Array | number[][];

/**
 * Rows of channels-first images (each row C·H·W values, as a PyTorch model's [N, C, H, W] input is
 * laid out in memory and fed to onnxruntime) as the channels-last rows (H·W·C) a network of this
 * library predicts on. `inputShape` is the network's [height, width, channels] (`net.inputShape`).
 * Takes flat typed arrays (n rows one after another) or arrays of rows; returns the same kind.
 */
export function toChannelsLast<R extends Rows>(rows: R, inputShape: readonly number[]): R {
  checkAttached(rows, 'toChannelsLast');
  // Read once: what is checked is what is used (a Proxy or a getter could answer differently later).
  const shape = Array.isArray(inputShape) ? Array.from(inputShape) : null;
  const ok = shape !== null && shape.length === 3 && shape.every((d) => Number.isInteger(d) && d > 0);
  // Each entry shown by itself: JSON would show NaN and Infinity as null.
  const given = shape ? shownText(`[${shape.map(shown).join(', ')}]`) : shown(inputShape);
  if (!ok)
    throw new ValidationError(
      `toChannelsLast: inputShape must be the network's [height, width, channels]; got ${given}`,
    );
  const [h, w, c] = shape as [number, number, number],
    size = h * w * c;
  const convert = (src: ArrayLike<number>, dst: { [i: number]: number }, at: number): void => {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) dst[at + hwcIndex(y, x, ch, w, c)] = src[at + chwIndex(y, x, ch, h, w)]!;
  };
  if (rows instanceof Float32Array || rows instanceof Float64Array) {
    if (rows.length % size !== 0)
      throw new ValidationError(`toChannelsLast: ${rows.length} values are not whole rows of ${h}·${w}·${c} = ${size}`);
    const out = new (rows.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows.length);
    for (let at = 0; at < rows.length; at += size) convert(rows, out, at);
    return out as R;
  }
  if (!Array.isArray(rows))
    throw new ValidationError(
      `toChannelsLast: rows must be a Float32Array, a Float64Array or an array of rows; got ${shown(rows)}`,
    );
  const list = rows as unknown[];
  return Array.from({ length: list.length }, (_, i) => {
    // Each row copied once, then checked and converted from the copy.
    const given = list[i];
    const row = Array.isArray(given) ? Array.from(given as unknown[]) : given;
    if (!Array.isArray(row) || row.length !== size)
      throw new ValidationError(
        `toChannelsLast: row ${i} must be an array of ${size} values (${h}·${w}·${c}); got ${shown(row)}`,
      );
    for (let j = 0; j < size; j++) {
      const why = badValue((row as unknown[])[j], 'float64', `row ${i}, column ${j}`);
      if (why !== null) throw new ValidationError(`toChannelsLast: ${why}`);
    }
    const out = new Array<number>(size);
    convert(row as number[], out, 0);
    return out;
  }) as R;
}
