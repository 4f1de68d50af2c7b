// The C1 rows of npm run bench: the FLOP count per image from the layers' shapes (against the products
// counted by hand), and the targets against PyTorch read from bench/peers/results.json.
import { describe, expect, it } from 'vitest';
import { C1_FLOPS, productsOf } from '../dist/bench/c1.js';
import { checks, type PeerResults } from '../dist/bench/report.js';
import { resolveLayer } from '../dist/src/layers/index.js';

describe('C1 FLOPs per image', () => {
  it('conv m = outH·outW, k = kh·kw·inChannels, n = filters; dense m = 1', () => {
    const layers = [
      { type: 'conv2d', filters: 8, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' },
      { type: 'maxPooling2d' },
      { type: 'flatten' },
      { type: 'dense', units: 5 },
    ].map((l, i) => resolveLayer(l, `layers[${i}]`));
    // 9×7×2 'same' with strides 2: 5×4 positions; pooled 2×2×8 = 32 inputs to the dense layer.
    expect(productsOf([9, 7, 2], layers)).toEqual([
      { type: 'conv2d', m: 20, n: 8, k: 12 },
      { type: 'dense', m: 1, n: 5, k: 32 },
    ]);
  });

  it("C1's: 26·26·32·9 + 11·11·64·288 + 1600·128 + 128·10 multiply-adds forward; training adds two backward products but conv 1's input gradient", () => {
    const forward = 2 * (26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 128 + 128 * 10);
    expect(C1_FLOPS).toEqual({ predict: forward, train: 3 * forward - 2 * 26 * 26 * 32 * 9 });
  });
});

describe('C1 targets against PyTorch (bench/peers/results.json)', () => {
  const row = (name: string, warm: number) => ({ id: 'C1', name, metric: 'samples/s', warm });
  const rows = [
    row('C1 train batch 64 float32 wasm', 3000),
    row('C1 train 2 threads batch 64 float32 wasm', 5000),
    {
      id: 'C1',
      name: 'C1 conv gemm ÷ gemm_f32_nn 512x512x512 wasm',
      metric: 'ratio',
      warm: 0.65,
      note: 'conv 26.0 vs dense 40.0 GFLOP/s; m x n x k: …',
    },
  ];
  const torch = (who: string, value: number | null, threads: number) => ({
    workload: 'C1 train',
    who,
    value,
    unit: 'samples/s',
    note: '',
    threads,
  });
  const peers: PeerResults = {
    date: '2026-12-03',
    results: [
      torch('PyTorch 1 thread, default', 4000, 1),
      torch('PyTorch 1 thread, tuned', 4800, 1),
      torch('PyTorch 2 threads, tuned', 5200, 2),
      torch('PyTorch 2 threads, failed', null, 2),
      {
        workload: 'C1 train',
        who: 'backprop-wasm float32 2 threads',
        value: 9e9,
        unit: 'samples/s',
        note: '',
        threads: 2,
      },
    ],
  };
  const c1 = (p: PeerResults | null) => checks(rows, 1000, p).filter((c) => c.target.startsWith('C1'));

  it("1 thread over PyTorch's faster 1-thread row, 2 threads over its best row; conv products over the dense gemm", () => {
    const [one, two, gemm] = c1(peers);
    expect(one).toMatchObject({ target: 'C1: 1 thread >= 0.6x PyTorch on 1 thread', met: true });
    expect(one!.measured).toMatch(/^0\.63x \(3,000 vs 4,800 samples\/s/);
    expect(two).toMatchObject({ met: false });
    expect(two!.measured).toMatch(/^0\.96x \(5,000 vs 5,200/);
    expect(gemm).toMatchObject({ met: false, measured: '65% (conv 26.0 vs dense 40.0 GFLOP/s)' });
  });

  it('without the peers file: not met, and says how to measure PyTorch', () => {
    const [one, two] = c1(null);
    for (const c of [one, two])
      expect(c).toMatchObject({ met: false, measured: 'PyTorch not measured (npm run bench:peers)' });
  });
});
