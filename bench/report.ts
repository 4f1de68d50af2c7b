// Targets, WASM ÷ JS ratios and the BENCHMARKS.md page, all computed from the rows of one run.
import type { Row } from './measure.js';

export interface Check {
  target: string;
  measured: string;
  met: boolean;
}
export interface Ratio {
  what: string;
  wasm: number;
  js: number;
  ratio: number;
  metric: string;
}

const find = (rows: Row[], name: string): Row | undefined => rows.find((r) => r.name === name);
const fmt = (v: number | undefined): string =>
  v === undefined ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);

export function ratios(rows: Row[]): Ratio[] {
  const out: Ratio[] = [];
  for (const w of rows.filter((r) => r.name.endsWith(' wasm'))) {
    const j = find(rows, w.name.replace(/ wasm$/, ' js'));
    if (!j) continue;
    const lowerIsBetter = w.metric.startsWith('µs');
    out.push({
      what: w.name.replace(/ wasm$/, ''),
      wasm: w.warm,
      js: j.warm,
      ratio: lowerIsBetter ? j.warm / w.warm : w.warm / j.warm,
      metric: w.metric,
    });
  }
  return out;
}

export interface Comparison {
  what: string;
  metric: string;
  a: number;
  b: number;
  ratio: number;
}

/** Ratios within the run: relaxed-SIMD ÷ plain gemm (each dtype), and primary ÷ secondary Node (W1, W2, gemm). */
export function comparisons(r: Results): Comparison[] {
  const out: Comparison[] = [];
  const pair = (what: string, a: Row | undefined, b: Row | undefined) => {
    if (a && b) out.push({ what, metric: a.metric, a: a.warm, b: b.warm, ratio: a.warm / b.warm });
  };
  for (const d of ['f32', 'f64']) {
    const name = `gemm_${d}_nn 512x512x512 wasm`;
    pair(
      `${name}: relaxed-simd ÷ simd128 (Node ${r.node})`,
      find(r.rows, `${name} relaxed-simd`),
      find(r.rows, `${name} simd128`),
    );
  }
  if (r.secondary) {
    const tag = ` node${r.secondary.node.replace(/^v/, '').split('.')[0]}`;
    const vs = `Node ${r.node} (${r.kernels}) ÷ Node ${r.secondary.node} (${r.secondary.kernels})`;
    for (const name of ['784-128-10 batch 64 float32 wasm', '784-512-512-10 batch 256 float32 wasm'])
      pair(`${name}: ${vs}`, find(r.rows, name), find(r.rows, name + tag));
    pair(
      `gemm_f32_nn 512x512x512 wasm, default build: ${vs}`,
      find(r.rows, `gemm_f32_nn 512x512x512 wasm ${r.kernels}`),
      find(r.rows, `gemm_f32_nn 512x512x512 wasm ${r.secondary.kernels}${tag}`),
    );
  }
  return out;
}

/**
 * C1 against PyTorch (issue 19): this run's C1 rows over the PyTorch rows of bench/peers/results.json
 * (workload 'C1 train', the faster of its malloc settings), and the conv products' share of gemm speed.
 */
function c1Checks(rows: Row[], peers: PeerResults | null): Check[] {
  const one = find(rows, 'C1 train batch 64 float32 wasm'),
    two = find(rows, 'C1 train 2 threads batch 64 float32 wasm');
  const torch = (peers?.results ?? []).filter((p) => p.workload === 'C1 train' && p.who.startsWith('PyTorch'));
  const best = (threads?: number) =>
    Math.max(0, ...torch.filter((p) => threads === undefined || p.threads === threads).map((p) => p.value ?? 0));
  const vs = (target: string, ours: Row | undefined, theirs: number, min: number): Check =>
    ours && theirs > 0
      ? {
          target,
          measured: `${(ours.warm / theirs).toFixed(2)}x (${fmt(ours.warm)} vs ${fmt(theirs)} samples/s; PyTorch from bench:peers ${peers!.date})`,
          met: ours.warm / theirs >= min,
        }
      : { target, measured: ours ? 'PyTorch not measured (npm run bench:peers)' : 'not measured', met: false };
  const gemm = find(rows, 'C1 conv gemm ÷ gemm_f32_nn 512x512x512 wasm');
  return [
    vs('C1: 1 thread >= 0.6x PyTorch on 1 thread', one, best(1), 0.6),
    vs("C1: 2 threads >= 1.0x PyTorch's best thread count", two, best(), 1),
    {
      target: "C1: conv products >= 70% of gemm n=512's GFLOP/s",
      measured: gemm ? `${(100 * gemm.warm).toFixed(0)}% (${gemm.note!.split(';')[0]})` : 'not measured',
      met: !!gemm && gemm.warm >= 0.7,
    },
  ];
}

export function checks(rows: Row[], wasmBytes: number, peers: PeerResults | null = null): Check[] {
  const out: Check[] = [];
  const atLeast = (target: string, row: Row | undefined, min: number, unit: string) =>
    out.push({ target, measured: row ? `${fmt(row.warm)} ${unit}` : 'not measured', met: !!row && row.warm >= min });
  const w0w = find(rows, 'seed 2-3-2 sgd 50001 epochs float64 wasm'),
    w0j = find(rows, 'seed 2-3-2 sgd 50001 epochs float64 js');
  if (w0w && w0j)
    out.push({
      target: 'W0: WASM float64 >= 3x the JS backend',
      measured: `${(w0j.warm / w0w.warm).toFixed(2)}x (${w0w.warm.toFixed(3)} vs ${w0j.warm.toFixed(3)} µs/epoch)`,
      met: w0j.warm / w0w.warm >= 3,
    });
  // The per-call cost of a tiny network: this row would have caught the +31% of issue 20.
  const w0w32 = find(rows, 'seed 2-3-2 sgd 50001 epochs float32 wasm'),
    w0j32 = find(rows, 'seed 2-3-2 sgd 50001 epochs float32 js');
  if (w0w32 && w0j32)
    out.push({
      target: 'W0: JS float32 >= 3.5x the WASM time per epoch',
      measured: `${(w0j32.warm / w0w32.warm).toFixed(2)}x (${w0w32.warm.toFixed(3)} vs ${w0j32.warm.toFixed(3)} µs/epoch)`,
      met: w0j32.warm / w0w32.warm >= 3.5,
    });
  // fit's time outside the backend call (per-epoch bookkeeping, and its one-off setup spread over the epochs):
  // the row that catches history or loop bookkeeping growing (issue 20).
  const w0o = find(rows, 'seed 2-3-2 fit outside the backend call float32 wasm');
  if (w0w32 && w0o)
    out.push({
      target: "W0: fit's work outside the WASM call <= 10% of the epoch (float32)",
      measured: `${((100 * w0o.warm) / w0w32.warm).toFixed(1)}% (${w0o.warm.toFixed(3)} of ${w0w32.warm.toFixed(3)} µs/epoch)`,
      met: w0o.warm <= 0.1 * w0w32.warm,
    });
  const w1 = find(rows, '784-128-10 batch 64 float32 wasm'),
    w1j = find(rows, '784-128-10 batch 64 float32 js');
  atLeast('W1: >= 120,000 samples/s', w1, 120000, 'samples/s');
  if (w1 && w1j)
    out.push({
      target: 'W1: >= 25x the JS backend',
      measured: `${(w1.warm / w1j.warm).toFixed(1)}x`,
      met: w1.warm / w1j.warm >= 25,
    });
  const w1t = find(rows, '784-128-10 2 threads batch 64 float32 wasm'),
    w2 = find(rows, '784-512-512-10 batch 256 float32 wasm');
  const w2t = find(rows, '784-512-512-10 2 threads batch 256 float32 wasm');
  if (w1 && w1t)
    out.push({
      target: 'W1: 2 threads >= 1.5x one thread',
      measured: `${(w1t.warm / w1.warm).toFixed(2)}x`,
      met: w1t.warm / w1.warm >= 1.5,
    });
  if (w2 && w2t)
    out.push({
      target: 'W2: 2 threads >= 1.8x one thread',
      measured: `${(w2t.warm / w2.warm).toFixed(2)}x`,
      met: w2t.warm / w2.warm >= 1.8,
    });
  const w1d = find(rows, '784-128-10 dropout 0.2 batch 64 float32 wasm');
  if (w1 && w1d)
    out.push({
      target: 'W1 with dropout 0.2: >= 85% of W1',
      measured: `${((100 * w1d.warm) / w1.warm).toFixed(1)}%`,
      met: w1d.warm / w1.warm >= 0.85,
    });
  atLeast('W2: >= 15,000 samples/s', find(rows, '784-512-512-10 batch 256 float32 wasm'), 15000, 'samples/s');
  for (const [n, min] of [
    [32, 25],
    [128, 50],
    [512, 55],
  ] as const) {
    for (const f of ['nn', 'tn', 'nt'])
      atLeast(
        `W3: gemm_f32_${f} n=${n} >= ${min} GFLOP/s`,
        find(rows, `gemm_f32_${f} ${n}x${n}x${n} wasm`),
        min,
        'GFLOP/s',
      );
  }
  atLeast(
    'W3: gemm_f32_nn n=512 relaxed-SIMD build >= 60 GFLOP/s',
    find(rows, 'gemm_f32_nn 512x512x512 wasm relaxed-simd'),
    60,
    'GFLOP/s',
  );
  for (const f of ['nn', 'tn', 'nt'])
    atLeast(`W3: gemm_f64_${f} n=512 >= 25 GFLOP/s`, find(rows, `gemm_f64_${f} 512x512x512 wasm`), 25, 'GFLOP/s');
  const w4 = find(rows, 'sigmoid_f32 1M wasm');
  atLeast('W4: >= 600 M sigmoids/s', w4, 600, 'M/s');
  const err = Number(/error ([0-9.e+-]+)/.exec(w4?.note ?? '')?.[1] ?? NaN);
  out.push({
    target: 'W4: max relative error <= 2e-7',
    measured: Number.isNaN(err) ? 'not measured' : err.toExponential(2),
    met: err <= 2e-7,
  });
  out.push(...c1Checks(rows, peers));
  out.push({
    target: 'each .wasm release build <= 80 KB (the budget of test/registry.test.ts)',
    measured: `${(wasmBytes / 1024).toFixed(1)} KB`,
    met: wasmBytes <= 80 * 1024,
  });
  return out;
}

export interface Results {
  date: string;
  /** The Node of the primary figures (Node 24 when the devDependency is installed). */
  node: string;
  /** The kernel build the primary WASM figures ran on. */
  kernels: string;
  /** The machine's other Node, when it differs: W1, W2 and gemm n=512 rows suffixed ` node<major>`. */
  secondary: { node: string; kernels: string } | null;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string };
  wasmBytes: number;
  rows: Row[];
}

export interface PeerResults {
  date: string;
  /** threads: PyTorch's torch.set_num_threads for its C1 rows. */
  results: { workload: string; who: string; value: number | null; unit: string; note: string; threads?: number }[];
}

/** ONNX Runtime Web's time ÷ ours for each predict row of bench:peers, against issue 20's targets (ORT on one thread, in the same page). */
export function peerChecks(p: PeerResults | null): Check[] {
  const out: Check[] = [];
  for (const ort of p?.results.filter(
    (x) => x.workload.startsWith('predict') && /^onnxruntime-web .* 1 thread /.test(x.who),
  ) ?? []) {
    const ours = p!.results.find(
      (x) => x.workload === ort.workload && x.who.startsWith('backprop-wasm') && x.who.includes('beside ORT 1 thread'),
    );
    if (!ours?.value || !ort.value) continue;
    const min = / 1 row /.test(ort.workload) ? 1 : 1.3,
      ratio = ort.value / ours.value;
    out.push({
      target: `${ort.workload}: >= ${min}x ${ort.who.replace(/ \(.*/, '')} (bench:peers, same page)`,
      measured: `${ratio.toFixed(2)}x (${fmt(ours.value)} vs ${fmt(ort.value)} µs)`,
      met: ratio >= min,
    });
  }
  return out;
}

function peerSection(p: PeerResults | null): string[] {
  if (!p)
    return [
      '## Peers',
      '',
      'Not measured in this run: `npm run bench:peers` (optional, its own install) writes bench/peers/results.json.',
      '',
    ];
  return [
    '## Peers (npm run bench:peers)',
    '',
    `Measured ${p.date} in one run with backprop-wasm (bench/peers/run.mjs): tfjs-wasm 4.22 as its users`,
    'call it (tf.matMul with transpose flags), tfjs-wasm with the transposes done by hand, and brain.js 1.6;',
    'predict beside ONNX Runtime Web (wasm execution provider, 1 and 2 threads) on our networks exported with',
    'toONNX, timed in alternation in one Chromium page (bench/peers/predict.mjs), and our Node figures.',
    "C1 on PyTorch (/usr/bin/python3, 1 and 2 threads, glibc's default mmap threshold and MALLOC_MMAP_THRESHOLD_ raised),",
    "tfjs 4.22's CPU backend (a bounded number of batches) and tfjs-wasm (which cannot train conv2d: its error).",
    '',
    '| workload | library | figure | note |',
    '|---|---|---|---|',
    ...p.results.map((x) => `| ${x.workload} | ${x.who} | ${fmt(x.value ?? undefined)} ${x.unit} | ${x.note} |`),
    '',
  ];
}

export function markdown(r: Results, peers: PeerResults | null = null): string {
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${r.date}; do not edit by hand. Machine: ${r.machine.cpu},`,
    `${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.platform}; Node ${r.node} with the ${r.kernels} kernels`,
    `(${r.secondary ? `and Node ${r.secondary.node} beside it for W1, W2 and gemm n=512` : 'no second Node'}); one thread. Workloads as in`,
    '`docs/workloads.md`. Warm figures are medians after warm-up (C1 training rows: the best of epochs 2 and 3); cold',
    'ones are the first epoch, fit or call',
    'in the process (the module is warmed up on small shapes at load). The machine is shared and noisy: compare',
    'figures of one run, as the ratios below do.',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...[...checks(r.rows, r.wasmBytes, peers), ...peerChecks(peers)].map(
      (c) => `| ${c.target} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## WASM ÷ JS backend (same run)',
    '',
    '| workload or kernel | metric | WASM | JS | WASM ÷ JS |',
    '|---|---|---|---|---|',
    ...ratios(r.rows).map(
      (x) => `| ${x.what} | ${x.metric} | ${fmt(x.wasm)} | ${fmt(x.js)} | ${x.ratio.toFixed(1)}x |`,
    ),
    '',
    '## Kernel builds and Node versions (same run)',
    '',
    '| comparison | metric | first | second | ratio |',
    '|---|---|---|---|---|',
    ...comparisons(r).map((c) => `| ${c.what} | ${c.metric} | ${fmt(c.a)} | ${fmt(c.b)} | ${c.ratio.toFixed(2)}x |`),
    '',
    ...peerSection(peers),
    '## All rows',
    '',
    '| id | name | metric | cold | warm | note |',
    '|---|---|---|---|---|---|',
    ...r.rows.map((x) => `| ${x.id} | ${x.name} | ${x.metric} | ${fmt(x.cold)} | ${fmt(x.warm)} | ${x.note ?? ''} |`),
    '',
  ];
  return lines.join('\n');
}
