// Activations, deltas, column sums and optimizer updates: WASM vs the JS reference, both dtypes,
// on tile-edge sizes; plus a few hand-computed values so the reference itself is anchored.
import { describe, expect, it } from 'vitest';
import { EDGE_SIZES } from '../dist/src/backends/kernel-registry.js';
import { backendPair, bufferOf, DTYPES, expectClose, randomArray, Rng, type Backend, type DType } from './helpers.js';
import { ACTIVATIONS } from '../dist/src/ops/activations.js';
import { LOSSES } from '../dist/src/ops/losses.js';
import { OPTIMIZERS } from '../dist/src/ops/optimizers.js';
import type { LossName, ActivationName } from '../dist/src/types.js';

// Every operation of every descriptor list: a new activation or optimizer is covered without editing this file.
const ACTS: ActivationName[] = ACTIVATIONS.map((a) => a.name);
const ROWS = [1, 3, 4, 5, 17];
const COLS = EDGE_SIZES.filter((s) => s >= 2);
const tol = (dtype: DType) => (dtype === 'float32' ? { rtol: 4e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-300 });

/** Runs fn on both backends over buffers holding `inputs`; returns each buffer's final contents. */
function both(
  pair: { wasm: Backend; js: Backend },
  inputs: ArrayLike<number>[],
  fn: (b: Backend, bufs: ReturnType<Backend['alloc']>[]) => unknown,
): { wasm: Float64Array[]; js: Float64Array[]; ret: [unknown, unknown] } {
  const out = {
    wasm: [] as Float64Array[],
    js: [] as Float64Array[],
    ret: [undefined, undefined] as [unknown, unknown],
  };
  (['wasm', 'js'] as const).forEach((name, i) => {
    const b = pair[name];
    const bufs = inputs.map((v) => bufferOf(b, v));
    out.ret[i] = fn(b, bufs);
    out[name] = bufs.map((x) => Float64Array.from(x.view()));
    bufs.forEach((x) => x.free());
  });
  return out;
}

describe.each(DTYPES)('elementwise kernels %s: WASM vs JS reference', (dtype) => {
  const { rtol, atol } = tol(dtype);

  it.each(ACTS)('bias_activation %s', async (act) => {
    const pair = await backendPair(dtype);
    const rng = new Rng(3);
    for (const rows of ROWS)
      for (const cols of COLS) {
        const r = both(pair, [randomArray(rng, rows * cols, -8, 8), randomArray(rng, cols)], (b, [z, bias]) =>
          b.kernels.biasActivation(act, rows, cols, z!, bias!),
        );
        expectClose(r.wasm[0]!, r.js[0]!, rtol, atol, `bias_activation ${act} ${rows}x${cols}`);
      }
  });

  it.each(ACTIVATIONS.filter((a) => a.kind === 'elementwise').map((a) => a.name))(
    'activation_backward %s',
    async (act) => {
      const pair = await backendPair(dtype);
      const rng = new Rng(4);
      for (const n of EDGE_SIZES) {
        const a = act === 'sigmoid' ? randomArray(rng, n, 0, 1) : randomArray(rng, n, -2, 2);
        const r = both(pair, [a, randomArray(rng, n)], (b, [av, d]) => b.kernels.activationBackward(act, n, av!, d!));
        expectClose(r.wasm[1]!, r.js[1]!, rtol, atol, `activation_backward ${act} n=${n}`);
      }
    },
  );

  // Every loss with every output it is defined for.
  const PAIRS: [LossName, ActivationName][] = LOSSES.flatMap((l) =>
    (l.outputs ?? ACTS).map((a) => [l.name, a] as [LossName, ActivationName]),
  );
  it.each(PAIRS)('output_delta %s with %s output (value and delta)', async (loss, act) => {
    const pair = await backendPair(dtype);
    const rng = new Rng(5);
    for (const rows of ROWS)
      for (const cols of [2, 3, 4, 5, 8, 9, 17, 33]) {
        // Logits, and the outputs they give (some strongly saturated: |z| up to 40).
        const z = randomArray(rng, rows * cols, -40, 40);
        const a = z.map((v) => 1 / (1 + Math.exp(-v)));
        if (act === 'softmax') {
          for (let r = 0; r < rows; r++) {
            let m = -Infinity;
            for (let j = 0; j < cols; j++) m = Math.max(m, z[r * cols + j]!);
            let s = 0;
            for (let j = 0; j < cols; j++) s += Math.exp(z[r * cols + j]! - m);
            for (let j = 0; j < cols; j++) a[r * cols + j] = Math.exp(z[r * cols + j]! - m) / s;
          }
        }
        const y = randomArray(rng, rows * cols, 0, 1).map((v) => (loss !== 'mse' ? Math.round(v) : v)); // 0/1 targets for the probability losses
        const scale = 1 / rows;
        const r = both(pair, [a, y, new Float64Array(rows * cols), z], (b, [av, yv, d, zv]) =>
          b.kernels.outputDelta(loss, act, rows, cols, av!, zv!, yv!, d!, scale),
        );
        expectClose(r.wasm[2]!, r.js[2]!, rtol, atol, `output_delta ${loss}/${act} ${rows}x${cols} delta`);
        expectClose(
          [r.ret[0] as number],
          [r.ret[1] as number],
          rtol * 10,
          atol,
          `output_delta ${loss}/${act} ${rows}x${cols} loss`,
        );
      }
  });

  it('column_sums on tile-edge shapes', async () => {
    const pair = await backendPair(dtype);
    const rng = new Rng(6);
    for (const rows of EDGE_SIZES)
      for (const cols of [1, 3, 4, 7, 8, 9, 17, 129]) {
        const r = both(pair, [randomArray(rng, rows * cols), new Float64Array(cols)], (b, [m, out]) =>
          b.kernels.columnSums(rows, cols, m!, out!),
        );
        expectClose(
          r.wasm[1]!,
          r.js[1]!,
          rtol * 10,
          1e-6 * (dtype === 'float32' ? 1 : 0),
          `column_sums ${rows}x${cols}`,
        );
      }
  });

  it.each(OPTIMIZERS.map((o) => o.name))('update %s', async (name) => {
    const op = OPTIMIZERS.find((o) => o.name === name)!;
    const pair = await backendPair(dtype);
    const rng = new Rng(7);
    // Non-default hyper-parameters, so a kernel that ignored its block would be caught.
    const params = Object.fromEntries(
      op.hyperParams.map((p) => [
        p.name,
        p.range === 'unit' ? p.default * 0.97 : p.range === 'positive' ? p.default * 3 : p.default + 0.05,
      ]),
    );
    for (const n of EDGE_SIZES) {
      const w = randomArray(rng, n),
        g = randomArray(rng, n);
      const state = Array.from({ length: op.stateArrays }, (_, k) => randomArray(rng, n, k === 1 ? 0 : -1, 1));
      for (const t of [1, 2, 10, 1000])
        for (const weights of [true, false]) {
          // biases (weights false) take no decay
          const r = both(pair, [w, g, ...state], (b, [wv, gv, ...sv]) =>
            b.kernels.update(name, n, wv!, gv!, sv, 0.01, params, t, weights),
          );
          for (const i of [0, ...state.map((_, k) => 2 + k)]) {
            expectClose(
              r.wasm[i]!,
              r.js[i]!,
              rtol * 10,
              atol,
              `${name} ${weights ? 'weights' : 'biases'} ${i === 0 ? 'w' : `state ${i - 2}`} n=${n} t=${t}`,
            );
          }
          if (op.hyperParams.length === 0 && t > 1) break; // the step number matters only to optimizers that use it
        }
    }
  });
});

describe('reference values (hand-computed)', () => {
  it('cross-entropy is computed from the logits, never clamped: a true-class probability below 1e-12 reports its log-sum-exp', async () => {
    for (const dtype of DTYPES) {
      const { wasm, js } = await backendPair(dtype);
      const z = [0, 40, -5],
        y = [1, 0, 0]; // p(true class) = e^0 / (e^0 + e^40 + e^-5) ≈ 4.2e-18
      const lse = 40 + Math.log(Math.exp(-40) + 1 + Math.exp(-45));
      for (const b of [wasm, js]) {
        const a = bufferOf(b, [0, 1, 0]),
          d = b.alloc(3);
        const loss = b.kernels.outputDelta('crossEntropy', 'softmax', 1, 3, a, bufferOf(b, z), bufferOf(b, y), d, 1);
        expect(loss, `${b.name} ${dtype}`).toBeCloseTo(lse - 0, 12); // ≈ 40, where a clamp at 1e-12 reported 27.6
        const sig = b.kernels.outputDelta(
          'crossEntropy',
          'sigmoid',
          1,
          1,
          bufferOf(b, [1]),
          bufferOf(b, [-60]),
          bufferOf(b, [1]),
          null,
          1,
        );
        expect(sig, `${b.name} ${dtype} sigmoid`).toBeCloseTo(60 + Math.log1p(Math.exp(-60)), 12); // −log σ(−60)
      }
    }
  });

  it('sigmoid, tanh, relu, leakyRelu, softmax of known inputs', async () => {
    for (const dtype of DTYPES) {
      const { wasm, js } = await backendPair(dtype);
      for (const b of [wasm, js]) {
        const z = bufferOf(b, [0, 2, -3]),
          bias = bufferOf(b, [0, 0, 0]);
        b.kernels.biasActivation('sigmoid', 1, 3, z, bias);
        expectClose(z.view(), [0.5, 0.8807970779778823, 0.04742587317756678], 1e-7, 0, `${b.name} ${dtype} sigmoid`);
        const s = bufferOf(b, [1, 2, 3]);
        b.kernels.biasActivation('softmax', 1, 3, s, bufferOf(b, [0, 0, 0]));
        expectClose(
          s.view(),
          [0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
          1e-7,
          0,
          `${b.name} ${dtype} softmax`,
        );
        const l = bufferOf(b, [-2, 3]);
        b.kernels.biasActivation('leakyRelu', 1, 2, l, bufferOf(b, [0.5, 0]));
        expectClose(l.view(), [-0.015, 3], 1e-7, 0, `${b.name} ${dtype} leakyRelu`);
        const t = bufferOf(b, [0.5]);
        b.kernels.biasActivation('tanh', 1, 1, t, bufferOf(b, [0]));
        expectClose(t.view(), [0.46211715726000974], 1e-7, 0, `${b.name} ${dtype} tanh`);
      }
    }
  });

  it('mse loss and delta of the seed formula', async () => {
    const { wasm, js } = await backendPair('float64');
    for (const b of [wasm, js]) {
      const a = bufferOf(b, [0.7, 0.4]),
        y = bufferOf(b, [0, 1]),
        d = b.alloc(2);
      const loss = b.kernels.outputDelta('mse', 'sigmoid', 1, 2, a, null, y, d, 1);
      expect(loss).toBeCloseTo(0.5 * (0.49 + 0.36), 15);
      expectClose(d.view(), [0.7 * 0.7 * 0.3, -0.6 * 0.4 * 0.6], 1e-15, 0, `${b.name} delta`);
    }
  });
});
