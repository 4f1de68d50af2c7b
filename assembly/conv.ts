// conv2d's data movement around the packed gemm: im2col gathers every output position's window of a
// channels-last batch into one row ([rows·oh·ow, kh·kw·c], padding as zeros), so z = cols·W is the
// channels-last output; col2im scatter-adds such rows back (the input's gradient). Both run on the
// calling thread, in a fixed order: results never depend on the thread count.
import { stageField, S_HEIGHT, S_WIDTH, S_CHANNELS, S_KH, S_KW, S_SH, S_SW, S_TOP, S_LEFT, S_OH, S_OW } from "./layout";

/** cols = the windows of stage s over `rows` images at x (zeros where the window hangs over the edge). */
export function im2col<T>(net: usize, s: i32, x: usize, rows: i32, cols: usize): void {
  const sz = <usize>sizeof<T>();
  const h = stageField(net, s, S_HEIGHT), w = stageField(net, s, S_WIDTH), c = stageField(net, s, S_CHANNELS);
  const kh = stageField(net, s, S_KH), kw = stageField(net, s, S_KW), sh = stageField(net, s, S_SH), sw = stageField(net, s, S_SW);
  const top = stageField(net, s, S_TOP), left = stageField(net, s, S_LEFT), oh = stageField(net, s, S_OH), ow = stageField(net, s, S_OW);
  const run = <usize>(kw * c) * sz; // one kernel row: kw pixels of c channels, contiguous in the input
  let dst = cols;
  for (let n = 0; n < rows; n++) {
    const image = x + <usize>(n * h * w * c) * sz;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          if (iy < 0 || iy >= h) {
            memory.fill(dst, 0, run);
          } else if (inside) {
            memory.copy(dst, image + <usize>((iy * w + x0) * c) * sz, run);
          } else {
            for (let kx = 0; kx < kw; kx++) {
              const ix = x0 + kx, d = dst + <usize>(kx * c) * sz;
              if (ix < 0 || ix >= w) memory.fill(d, 0, <usize>c * sz);
              else memory.copy(d, image + <usize>((iy * w + ix) * c) * sz, <usize>c * sz);
            }
          }
          dst += run;
        }
      }
    }
  }
}

// dst[i] += src[i] over n elements.
@inline function addInto<T>(dst: usize, src: usize, n: i32): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    v128.store(dst + o, v128.add<T>(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(dst + o, load<T>(dst + o) + load<T>(src + o));
  }
}

/** dx (overwritten, rows images of stage s's input) = the sum of the cols rows over the windows they came from. */
export function col2im<T>(net: usize, s: i32, cols: usize, rows: i32, dx: usize): void {
  const sz = <usize>sizeof<T>();
  const h = stageField(net, s, S_HEIGHT), w = stageField(net, s, S_WIDTH), c = stageField(net, s, S_CHANNELS);
  const kh = stageField(net, s, S_KH), kw = stageField(net, s, S_KW), sh = stageField(net, s, S_SH), sw = stageField(net, s, S_SW);
  const top = stageField(net, s, S_TOP), left = stageField(net, s, S_LEFT), oh = stageField(net, s, S_OH), ow = stageField(net, s, S_OW);
  memory.fill(dx, 0, <usize>(rows * h * w * c) * sz);
  let src = cols;
  for (let n = 0; n < rows; n++) {
    const image = dx + <usize>(n * h * w * c) * sz;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const inside = x0 >= 0 && x0 + kw <= w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          if (iy >= 0 && iy < h) {
            if (inside) {
              addInto<T>(image + <usize>((iy * w + x0) * c) * sz, src, kw * c);
            } else {
              for (let kx = 0; kx < kw; kx++) {
                const ix = x0 + kx;
                if (ix >= 0 && ix < w) addInto<T>(image + <usize>((iy * w + ix) * c) * sz, src + <usize>(kx * c) * sz, c);
              }
            }
          }
          src += <usize>(kw * c) * sz;
        }
      }
    }
  }
}
