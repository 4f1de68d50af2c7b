// Inverted dropout. Each mask value is drawn from a counter-based hash of (seed, layer, step,
// index), so the JS backend draws the same masks and a resumed run continues exactly (the step
// count is checkpointed). A unit is kept when the top 24 bits of its hash reach `threshold`
// (the rate in units of 2^-24); kept units are scaled by 1 / (1 - rate).

// murmur3's 32-bit finalizer.
@inline function mix(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85ebca6b;
  h ^= h >>> 13; h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** mask[i] = keep ? scale : 0 and dropped[i] = a[i] · mask[i] over n values of layer `layer` at optimizer step `step`. */
export function dropoutForward<T>(n: i32, a: usize, mask: usize, dropped: usize, seed: u32, layer: i32, step: f64, threshold: u32): void {
  const sz = <usize>sizeof<T>();
  const scale = <T>(1.0 / (1.0 - <f64>threshold / 16777216.0));
  const base = mix(mix(seed ^ (<u32>(layer + 1) * 0x9e3779b9)) ^ <u32>step);
  for (let i = 0; i < n; i++) {
    const m: T = (mix(base + <u32>i * 0x9e3779b9) >>> 8) >= threshold ? scale : <T>0;
    const o = <usize>i * sz;
    store<T>(mask + o, m);
    store<T>(dropped + o, load<T>(a + o) * m);
  }
}

/** delta[i] *= mask[i] over n values: the gradient flows only through kept units, scaled as they were. */
export function dropoutBackward<T>(n: i32, mask: usize, delta: usize): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const o = <usize>i * sz;
    v128.store(delta + o, v128.mul<T>(v128.load(delta + o), v128.load(mask + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(delta + o, load<T>(delta + o) * load<T>(mask + o));
  }
}
