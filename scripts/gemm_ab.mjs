// The gemm's speed against the machine's limit, and builds against each other, on a shared machine.
//
// node scripts/gemm_ab.mjs [--rounds N] [--dtype f32|f64] [--shapes a,b,…] [A.wasm B.wasm …]
//
// First the ceiling: a loop of 12 independent f32x4 multiply-adds (relaxed_madd when the engine
// accepts relaxed SIMD, and mul + add), compiled here from a few lines of AssemblyScript, in GFLOP/s
// of one core. Then each module's gemm (default: dist/backprop.wasm, plus dist/backprop-relaxed.wasm
// when the engine runs it) at n = 512 and at the training shapes: the dense layers of 784-128-10
// (batch 64) and 784-512-512-10 (batch 256), and the MNIST C1 network's conv layers as im2col products
// (batch 32). The modules take turns, N rounds (15), each round in a rotated order, and every product
// is timed by process CPU time, not wall time, so that other processes on the machine cost less than
// they would; the table gives the median GFLOP/s and [lower quartile - best]. Outputs are compared
// bit for bit with the first module's ('≠' marks a difference: expected between the plain and the
// relaxed build, never between two builds of the same kind). To compare kernels, build each variant
// with `asc assembly/index.ts --target relaxed -o /tmp/x.wasm` and pass the files.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const ROUNDS = Number(option('--rounds', '15'));
const T = option('--dtype', 'f32');
const SHAPES = {
  // name: [form, m, n, k, relu fused into the store]
  'n=512': ['nn', 512, 512, 512, false],
  'W1 forward 1': ['nn', 64, 128, 784, true],
  'W1 dW 1': ['tn', 784, 128, 64, false],
  'W1 dX 2': ['nt', 64, 128, 10, false],
  'W2 forward 1': ['nn', 256, 512, 784, true],
  'W2 forward 2': ['nn', 256, 512, 512, true],
  'W2 forward 3': ['nn', 256, 10, 512, false],
  'W2 dW 1': ['tn', 784, 512, 256, false],
  'W2 dX 2': ['nt', 256, 512, 512, false],
  'C1 conv 1': ['nn', 21632, 32, 9, true],
  'C1 conv 1 dW': ['tn', 9, 32, 21632, false],
  'C1 conv 2': ['nn', 3872, 64, 288, true],
  'C1 conv 2 dW': ['tn', 288, 64, 3872, false],
  'C1 conv 2 dX': ['nt', 3872, 288, 64, false],
  'C1 dense': ['nn', 32, 128, 1600, true],
};
const picked = option('--shapes', Object.keys(SHAPES).join(',')).split(',');
for (const s of picked)
  if (!SHAPES[s]) throw new Error(`unknown shape ${JSON.stringify(s)}; known: ${Object.keys(SHAPES).join(', ')}`);
if (T !== 'f32' && T !== 'f64') throw new Error(`--dtype is f32 or f64, got ${JSON.stringify(T)}`);

const CEILING = `
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
export function run(iters: i32, x: f32): f32 {
  const a = f32x4.splat(x), b = f32x4.splat(x);
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (let i = 0; i < iters; i++) {
    c0 = madd(a, b, c0); c1 = madd(a, b, c1); c2 = madd(a, b, c2); c3 = madd(a, b, c3);
    c4 = madd(a, b, c4); c5 = madd(a, b, c5); c6 = madd(a, b, c6); c7 = madd(a, b, c7);
    c8 = madd(a, b, c8); c9 = madd(a, b, c9); c10 = madd(a, b, c10); c11 = madd(a, b, c11);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))), 0);
}`;

const cpuMs = (f) => {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
};
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[s.length >> 2], s[s.length >> 1], s[s.length - 1]];
};
const cell = (xs) => {
  const [q1, med, best] = quartiles(xs);
  return `${med.toFixed(1)} [${q1.toFixed(0)}-${best.toFixed(0)}]`;
};

async function ceiling() {
  const { default: asc } = await import('assemblyscript/asc');
  for (const relaxed of [true, false]) {
    const { binary, error } = await asc.compileString(CEILING, {
      optimizeLevel: 3,
      runtime: 'stub',
      enable: relaxed ? ['simd', 'relaxed-simd'] : ['simd'],
    });
    if (error) throw error;
    if (!WebAssembly.validate(binary)) {
      console.log(`ceiling, ${relaxed ? 'relaxed_madd' : 'mul + add'}: this engine does not run it`);
      continue;
    }
    const { run } = new WebAssembly.Instance(new WebAssembly.Module(binary), {}).exports;
    const iters = 10_000_000,
      g = [];
    run(iters, 1e-7); // past the baseline tier
    for (let r = 0; r < ROUNDS; r++) g.push((iters * 12 * 8) / cpuMs(() => run(iters, 1e-7)) / 1e6);
    console.log(`ceiling, 12 chains of f32x4 ${relaxed ? 'relaxed_madd' : 'mul + add'}: ${cell(g)} GFLOP/s`);
  }
}

function load(file) {
  const bytes = readFileSync(file);
  if (!WebAssembly.validate(bytes)) return null;
  const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const size = T === 'f64' ? 8 : 4,
    align = (x) => Math.ceil(x / 64) * 64;
  const ws = align(e.heap_base()),
    base = ws + align(e.gemm_workspace_bytes());
  const largest = Math.max(
    ...picked.map((s) => {
      const [, m, n, k] = SHAPES[s];
      return m * k + k * n + m * n + n;
    }),
  );
  const need = base + size * largest + 4 * 64;
  if (e.memory.buffer.byteLength < need) e.memory.grow(Math.ceil((need - e.memory.buffer.byteLength) / 65536));
  return { file, e, ws, base, size };
}

function prepare(mod, [, m, n, k]) {
  const { e, base, size } = mod,
    Arr = size === 8 ? Float64Array : Float32Array;
  const a = base,
    b = a + size * m * k + 64,
    c = b + size * k * n + 64,
    bias = c + size * m * n + 64;
  const v = new Arr(e.memory.buffer);
  for (let i = 0; i < m * k; i++) v[a / size + i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  for (let i = 0; i < k * n; i++) v[b / size + i] = ((i * 40503 + 7) % 1000) / 1000 - 0.5;
  for (let i = 0; i < n; i++) v[bias / size + i] = 0.01 * (i % 7);
  const relu = e.ACT_RELU.value;
  return ([form, , , , fused]) => {
    if (fused) e[`gemm_bias_activation_${T}_nn`](m, n, k, a, k, b, n, c, n, bias, relu, mod.ws);
    else if (form === 'nn') e[`gemm_${T}_nn`](m, n, k, a, k, b, n, c, n, 0, mod.ws);
    else if (form === 'tn') e[`gemm_${T}_tn`](m, n, k, a, m, b, n, c, n, 0, mod.ws);
    else e[`gemm_${T}_nt`](m, n, k, a, k, b, k, c, n, 0, mod.ws);
    return new Uint8Array(e.memory.buffer, c, size * m * n);
  };
}

await ceiling();
const files =
  args.length > 0
    ? args
    : ['dist/backprop.wasm', 'dist/backprop-relaxed.wasm'].map((f) => `${ROOT}${f}`).filter(existsSync);
const mods = files.map(load).filter((m, i) => m !== null || console.log(`${files[i]}: this engine does not run it`));
console.log(`${process.version}, ${T}, ${ROUNDS} rounds; GFLOP/s, median [lower quartile - best] of CPU-timed runs`);
console.log(['shape'.padEnd(42), ...mods.map((m) => m.file.split('/').pop().padStart(24))].join(''));
for (const name of picked) {
  const shape = SHAPES[name],
    [form, m, n, k, fused] = shape,
    flops = 2 * m * n * k;
  const calls = mods.map((mod) => prepare(mod, shape));
  const first = calls.map((call) => call(shape).slice());
  const same = first.map((out) => out.every((x, i) => x === first[0][i]));
  const reps = Math.max(
    1,
    Math.round(
      15 /
        Math.max(
          cpuMs(() => calls[0](shape)),
          0.001,
        ),
    ),
  ); // about 15 ms a sample
  for (const call of calls) for (let w = 0; w < 3 * reps; w++) call(shape);
  const g = mods.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    for (let q = 0; q < mods.length; q++) {
      const i = (q + r) % mods.length;
      g[i].push(
        flops /
          (cpuMs(() => {
            for (let x = 0; x < reps; x++) calls[i](shape);
          }) /
            reps) /
          1e6,
      );
    }
  const label = `${name}: ${form} ${m}x${n}x${k}${fused ? ' +relu' : ''}`;
  console.log([label.padEnd(42), ...g.map((x, i) => `${cell(x)}${same[i] ? ' ' : '≠'}`.padStart(24))].join(''));
}
