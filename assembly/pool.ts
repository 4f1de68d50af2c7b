// Max and average pooling over channels-last batches, as the reference (src/layers/max-pooling2d.ts,
// average-pooling2d.ts): each window clipped to the image (padding never counts), max keeps the first
// largest input's index, average divides by the inputs under the window. Per output the same
// operations in the same order as the reference, so float64 and float32 results are bit-identical.
import { stageField, S_HEIGHT, S_WIDTH, S_CHANNELS, S_KH, S_KW, S_SH, S_SW, S_TOP, S_LEFT, S_OH, S_OW } from "./layout";

const MAX: i32 = 0;
const AVERAGE: i32 = 1;
const AVERAGE_BACKWARD: i32 = 2;

// One walk over the windows for the three passes: for each output pixel (all channels at once), each
// input pixel under its window in window order.
@inline function pool<T>(mode: i32, net: usize, s: i32, rows: i32, x: usize, y: usize, argmax: usize): void {
  const sz = <usize>sizeof<T>();
  const h = stageField(net, s, S_HEIGHT), w = stageField(net, s, S_WIDTH), c = stageField(net, s, S_CHANNELS);
  const kh = stageField(net, s, S_KH), kw = stageField(net, s, S_KW), sh = stageField(net, s, S_SH), sw = stageField(net, s, S_SW);
  const top = stageField(net, s, S_TOP), left = stageField(net, s, S_LEFT), oh = stageField(net, s, S_OH), ow = stageField(net, s, S_OW);
  let o = 0;
  for (let n = 0; n < rows; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const y0 = max(oy * sh - top, 0), y1 = min(oy * sh - top + kh, h);
        const x0 = max(ox * sw - left, 0), x1 = min(ox * sw - left + kw, w);
        const out = y + <usize>o * sz;
        if (mode == AVERAGE) memory.fill(out, 0, <usize>c * sz);
        const count = <T>((y1 - y0) * (x1 - x0));
        let first = true;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const i = ((n * h + iy) * w + ix) * c;
            const src = x + <usize>i * sz;
            if (mode == MAX) {
              const arg = argmax + (<usize>o << 2);
              for (let ch = 0; ch < c; ch++) {
                const v = load<T>(src + <usize>ch * sz);
                if (first || v > load<T>(out + <usize>ch * sz)) {
                  store<T>(out + <usize>ch * sz, v);
                  store<i32>(arg + (<usize>ch << 2), i + ch);
                }
              }
              first = false;
            } else if (mode == AVERAGE) {
              for (let ch = 0; ch < c; ch++) store<T>(out + <usize>ch * sz, load<T>(out + <usize>ch * sz) + load<T>(src + <usize>ch * sz));
            } else {
              // x is dx here, y is dy: each input under the window gets dy / count.
              for (let ch = 0; ch < c; ch++) store<T>(src + <usize>ch * sz, load<T>(src + <usize>ch * sz) + load<T>(out + <usize>ch * sz) / count);
            }
          }
        }
        if (mode == AVERAGE) for (let ch = 0; ch < c; ch++) store<T>(out + <usize>ch * sz, load<T>(out + <usize>ch * sz) / count);
        o += c;
      }
    }
  }
}

/** y = the window maxima of `rows` images at x; argmax (i32) = the index (within the batch) each came from. */
export function maxPoolForward<T>(net: usize, s: i32, rows: i32, x: usize, y: usize, argmax: usize): void { pool<T>(MAX, net, s, rows, x, y, argmax); }

/** dx (overwritten) from dy: each output's gradient added to its argmax. */
export function maxPoolBackward<T>(net: usize, s: i32, rows: i32, argmax: usize, dy: usize, dx: usize): void {
  const sz = <usize>sizeof<T>();
  const inputs = rows * stageField(net, s, S_HEIGHT) * stageField(net, s, S_WIDTH) * stageField(net, s, S_CHANNELS);
  memory.fill(dx, 0, <usize>inputs * sz);
  const outputs = rows * stageField(net, s, S_OH) * stageField(net, s, S_OW) * stageField(net, s, S_CHANNELS);
  for (let o = 0; o < outputs; o++) {
    const d = dx + <usize>load<i32>(argmax + (<usize>o << 2)) * sz;
    store<T>(d, load<T>(d) + load<T>(dy + <usize>o * sz));
  }
}

/** y = the window means of `rows` images at x. */
export function averagePoolForward<T>(net: usize, s: i32, rows: i32, x: usize, y: usize): void { pool<T>(AVERAGE, net, s, rows, x, y, 0); }

/** dx (overwritten) from dy: each output's gradient shared equally by its window's inputs. */
export function averagePoolBackward<T>(net: usize, s: i32, rows: i32, dy: usize, dx: usize): void {
  const sz = <usize>sizeof<T>();
  memory.fill(dx, 0, <usize>(rows * stageField(net, s, S_HEIGHT) * stageField(net, s, S_WIDTH) * stageField(net, s, S_CHANNELS)) * sz);
  pool<T>(AVERAGE_BACKWARD, net, s, rows, dx, dy, 0);
}
