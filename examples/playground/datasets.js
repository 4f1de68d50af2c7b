// 2-D classification data sets for the playground and the browser tests: seeded, with noise.
// Each returns { x: Float32Array (n x 2, in [-1, 1]), y: Float32Array (n, labels 0/1) }.

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function gaussian(r) {
  const u = Math.max(r(), 1e-12),
    v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function build(n, seed, noise, point) {
  const r = rng(seed),
    x = new Float32Array(n * 2),
    y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, label] = point(i, r);
    x[2 * i] = a + noise * gaussian(r);
    x[2 * i + 1] = b + noise * gaussian(r);
    y[i] = label;
  }
  return { x, y };
}

export const DATASETS = {
  xor: (n = 200, noise = 0.05, seed = 1) =>
    build(n, seed, noise, (_, r) => {
      const a = r() * 2 - 1,
        b = r() * 2 - 1;
      return [a, b, a * b > 0 ? 0 : 1];
    }),
  circles: (n = 200, noise = 0.05, seed = 2) =>
    build(n, seed, noise, (i, r) => {
      const inner = i % 2 === 0,
        angle = r() * 2 * Math.PI,
        radius = inner ? r() * 0.4 : 0.6 + r() * 0.35;
      return [radius * Math.cos(angle), radius * Math.sin(angle), inner ? 1 : 0];
    }),
  spirals: (n = 200, noise = 0.02, seed = 3) =>
    build(n, seed, noise, (i) => {
      const k = Math.floor(i / 2),
        turns = (k / (n / 2)) * 1.75 * 2 * Math.PI,
        radius = 0.1 + 0.85 * (k / (n / 2));
      const sign = i % 2 === 0 ? 1 : -1;
      return [sign * radius * Math.cos(turns), sign * radius * Math.sin(turns), i % 2];
    }),
  clusters: (n = 200, noise = 0.12, seed = 4) =>
    build(n, seed, noise, (i) => {
      const c = i % 4,
        centers = [
          [-0.5, -0.5],
          [0.5, 0.5],
          [-0.5, 0.5],
          [0.5, -0.5],
        ];
      return [centers[c][0], centers[c][1], c < 2 ? 0 : 1];
    }),
};
