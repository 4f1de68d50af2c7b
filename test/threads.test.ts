// Threaded networks: products split by output row tiles over a worker pool on one shared memory
// give bit-identical results for any thread count; options are validated; idle workers never keep
// the process alive.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Network, ValidationError, type NetworkOptions, type OptimizerName } from 'backprop-wasm';
import { OPTIMIZER_NAMES } from '../dist/src/ops/optimizers.js';
import { getBackend } from '../dist/src/backends/index.js';
import type { Backend } from '../dist/src/backends/backend.js';
import type { GemmForm } from '../dist/src/backends/backend.js';
import { Rng } from '../dist/src/util/rng.js';
import { DTYPES, randomArray } from './helpers.js';

async function trained(
  dtype: 'float32' | 'float64',
  threads: number,
  arch: Partial<NetworkOptions> = {},
  optimizer: OptimizerName = 'adam',
): Promise<{ loss: number[]; weights: string; outputs: number[] }> {
  const rng = new Rng(3);
  const rows = 300,
    inputs = 90,
    classes = 10;
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => rng.next() * 2 - 1));
  const y = x.map((r) =>
    Array.from({ length: classes }, (_, j) => (j === Math.floor(Math.abs(r[0]! * 10)) % classes ? 1 : 0)),
  );
  const net = await Network.create({
    layers: [inputs, 130, 70, classes],
    activation: 'tanh',
    output: 'softmax',
    loss: 'crossEntropy',
    dtype,
    seed: 5,
    threads,
    ...arch,
  });
  expect(net.threads).toBe(threads);
  const history = net.fit(x, y, { epochs: 4, batchSize: 100, optimizer, learningRate: 0.01 });
  const outputs = (net.predict(x.slice(0, 50)) as number[][]).flat();
  const weights = JSON.stringify(net.getWeights());
  net.dispose();
  return { loss: history.loss, weights, outputs };
}

describe('threads: bit-identical for any thread count', () => {
  it.each(DTYPES)('%s training (fit, then predict) with 1, 2 and 3 threads', async (dtype) => {
    const one = await trained(dtype, 1);
    expect(one.loss.every(Number.isFinite)).toBe(true);
    for (const threads of [2, 3]) {
      const many = await trained(dtype, threads);
      expect(many.loss, `${threads} threads: losses`).toEqual(one.loss);
      expect(many.weights === one.weights, `${threads} threads: weights`).toBe(true);
      expect(many.outputs, `${threads} threads: predictions`).toEqual(one.outputs);
    }
  });

  it('an update that would not stay finite is refused on threads as on one (the split check pass), leaving the same weights', async () => {
    // 200 x 100 + 100 x 1 weights: past the 2^14 parameters from which the optimizer passes run on the threads.
    const rng = new Rng(9);
    const x = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: 200 }, () => (rng.next() * 2 - 1) * (i === 13 ? 1e30 : 1)),
    );
    const y = x.map((r) => [r[0]! > 0 ? 1 : 0]);
    const run = async (threads: number, rows: number) => {
      const net = await Network.create({
        layers: [200, 100, 1],
        activation: 'linear',
        output: 'linear',
        dtype: 'float32',
        seed: 4,
        threads,
      });
      let error: unknown = null;
      try {
        net.fit(x.slice(0, rows), y.slice(0, rows), {
          epochs: 1,
          batchSize: 4,
          learningRate: 1e-3,
          shuffle: false,
          optimizer: 'adam',
        });
      } catch (e) {
        error = e;
      }
      const weights = JSON.stringify(net.getWeights());
      net.dispose();
      return { error: error as { message: string; epoch: number; batch: number } | null, weights };
    };
    const before = await run(1, 12); // the three batches before the one holding row 13
    expect(before.error).toBeNull();
    for (const threads of [1, 2, 3]) {
      const r = await run(threads, 24);
      expect(r.error?.message, `${threads} threads`).toMatch(
        /the update would make weights or optimizer state non-finite/,
      );
      expect([r.error?.epoch, r.error?.batch], `${threads} threads`).toEqual([0, 3]);
      expect(r.weights === before.weights, `${threads} threads: the weights from before the batch`).toBe(true);
    }
  });

  it('a checkpoint resumes on threads (fromJSON and fromBytes take threads) bit-identically to one thread', async () => {
    const rng = new Rng(4);
    const x = Float32Array.from({ length: 64 * 40 }, () => rng.next() * 2 - 1),
      y = Float32Array.from({ length: 64 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    const first = await Network.create({
      layers: [40, 300, 3],
      activation: 'relu',
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 2,
    });
    first.fit(x, y, { epochs: 2, batchSize: 32 });
    const resumed = await Network.fromJSON(first.checkpoint(), { threads: 2 }),
      bytes = await Network.fromBytes(first.toBytes({ training: true }), { threads: 2 });
    expect([resumed.threads, bytes.threads]).toEqual([2, 2]);
    for (const n of [first, resumed, bytes]) n.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 32 });
    expect(resumed.getWeights()).toEqual(first.getWeights());
    expect(bytes.getWeights()).toEqual(first.getWeights());
    await expect(Network.fromJSON(first.toJSON(), { threads: 2, backend: 'js' })).rejects.toThrow(
      /needs backend 'wasm'/,
    );
    for (const n of [first, resumed, bytes]) n.dispose();
  });

  it.each(OPTIMIZER_NAMES)(
    'other architectures and every optimizer (%s): 1 and 2 threads agree bit for bit',
    async (optimizer) => {
      // Relu and dropout, a wide first layer, a regression head; float32 with this optimizer.
      const arch: Partial<NetworkOptions> = {
        layers: [90, 257, 33, 10],
        activation: ['relu', 'leakyRelu'],
        output: 'linear',
        loss: 'mse',
        dropout: [0.2, 0],
        dtype: 'float32',
      };
      const one = await trained('float32', 1, arch, optimizer),
        two = await trained('float32', 2, arch, optimizer);
      expect(two.loss).toEqual(one.loss);
      expect(two.weights === one.weights).toBe(true);
      expect(two.outputs).toEqual(one.outputs);
    },
  );

  it.each(DTYPES)(
    '%s batches at the split edges (1 row, fewer rows than threads, rows that are no multiple of the tile or the thread count, a short last batch): 1, 2 and 3 threads agree bit for bit',
    async (dtype) => {
      // 400 x 400: even a one-row batch's kernel gradient (400 x 400 x 1) and the optimizer's passes
      // (160,405 parameters) run on the threads; 13 rows make 4 row tiles, one of them partial.
      const rng = new Rng(12);
      const rows = 37,
        inputs = 400;
      const x = Float32Array.from({ length: rows * inputs }, () => rng.next() * 2 - 1);
      const y = Float32Array.from({ length: rows * 5 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0));
      for (const batchSize of [1, 2, 13]) {
        const run = async (threads: number) => {
          const net = await Network.create({
            layers: [inputs, 400, 5],
            activation: 'tanh',
            output: 'softmax',
            loss: 'crossEntropy',
            dtype,
            seed: 8,
            threads,
          });
          const history = net.fit(x, y, { epochs: 2, batchSize, optimizer: 'adam', learningRate: 1e-3 });
          const out = Array.from(net.predict(x.subarray(0, 3 * inputs)) as ArrayLike<number>);
          const weights = JSON.stringify(net.getWeights());
          net.dispose();
          return { loss: history.loss, weights, out };
        };
        const one = await run(1);
        expect(one.loss.every(Number.isFinite)).toBe(true);
        for (const threads of [2, 3]) {
          const many = await run(threads);
          expect(many.loss, `batch ${batchSize}, ${threads} threads: losses`).toEqual(one.loss);
          expect(many.weights === one.weights, `batch ${batchSize}, ${threads} threads: weights`).toBe(true);
          expect(many.out, `batch ${batchSize}, ${threads} threads: predictions`).toEqual(one.out);
        }
      }
    },
  );

  it.each(DTYPES)(
    '%s gemm in all three forms and the fused epilogues, on shapes that split unevenly',
    async (dtype) => {
      const backends: Backend[] = [
        await getBackend('wasm', dtype, 1),
        await getBackend('wasm', dtype, 2),
        await getBackend('wasm', dtype, 3),
      ];
      const rng = new Rng(9);
      for (const [m, n, k] of [
        [130, 70, 90],
        [257, 33, 300],
        [64, 128, 784],
        [9, 1000, 100],
        [784, 128, 64],
      ] as const) {
        const a = randomArray(rng, m * k),
          b = randomArray(rng, k * n),
          aux = randomArray(rng, m * n, 0.01, 0.99);
        const results = backends.map((be) => {
          const buf = (v: Float64Array | number) => {
            const x = be.alloc(typeof v === 'number' ? v : v.length);
            if (typeof v !== 'number') x.view().set(v);
            return x;
          };
          const out: number[][] = [];
          for (const form of ['nn', 'tn', 'nt'] as GemmForm[]) {
            const [A, B, C] = [buf(a), buf(b), buf(m * n)];
            be.kernels.gemm(form, m, n, k, A, form === 'tn' ? m : k, B, form === 'nt' ? k : n, C, n, false);
            out.push(Array.from(C.view()));
            [A, B, C].forEach((x) => x.free());
          }
          const [A, B, C, X] = [buf(a), buf(b), buf(m * n), buf(aux)];
          be.kernels.gemmBiasActivation(m, n, k, A, k, B, n, C, n, X, 'tanh');
          out.push(Array.from(C.view()));
          be.kernels.gemmActivationBackward(m, n, k, A, k, B, k, C, n, X, 'sigmoid');
          out.push(Array.from(C.view()));
          [A, B, C, X].forEach((x) => x.free());
          return out;
        });
        for (const t of [1, 2]) expect(results[t], `${t + 1} threads, ${m}x${n}x${k}`).toEqual(results[0]);
      }
      backends.forEach((be) => be.dispose?.());
    },
  );
});

describe('threads option', () => {
  it("'auto' takes the cores here (Node, shared memory) for a network with a layer of 2^14 weights, one thread for smaller ones; the js backend runs on one thread", async () => {
    const { availableParallelism } = await import('node:os');
    const net = await Network.create({ layers: [4, 128, 128, 2], threads: 'auto' }); // 128 x 128 = 2^14 weights
    expect(net.threads).toBe(Math.min(availableParallelism(), 64));
    const loaded = await Network.fromJSON(net.toJSON(), { threads: 'auto' });
    expect(loaded.threads).toBe(net.threads);
    net.dispose();
    loaded.dispose();
    for (const layers of [
      [4, 3, 2],
      [4, 127, 128, 2],
    ]) {
      const small = await Network.create({ layers, threads: 'auto' });
      expect(small.threads, layers.join('-')).toBe(1);
      expect((await Network.fromJSON(small.toJSON(), { threads: 'auto' })).threads, `${layers.join('-')} loaded`).toBe(
        1,
      );
      small.dispose();
    }
    const js = await Network.create({ layers: [4, 3, 2], threads: 'auto', backend: 'js' });
    expect(js.threads).toBe(1);
    expect((await Network.create({ layers: [4, 3, 2] })).threads).toBe(1);
  });

  it('bad values are a ValidationError that says what to use', async () => {
    for (const [threads, message] of [
      [0, /threads must be 'auto' or an integer from 1 to 64; got 0/],
      [2.5, /got 2\.5/],
      ['all', /got "all"/],
      [65, /got 65/],
      [null, /got null/],
    ] as const) {
      await expect(Network.create({ layers: [2, 1], threads: threads as never })).rejects.toThrow(ValidationError);
      await expect(Network.create({ layers: [2, 1], threads: threads as never })).rejects.toThrow(message);
    }
    await expect(Network.create({ layers: [2, 1], threads: 2, backend: 'js' })).rejects.toThrow(
      /threads: 2 needs backend 'wasm'/,
    );
  });

  it("a script that trains on threads and never disposes exits by itself (idle workers are unref'd)", () => {
    const script = `
      import { Network } from 'backprop-wasm';
      const net = await Network.create({ layers: [200, 256, 10], threads: 3 });
      const x = new Float32Array(256 * 200).fill(0.1), y = new Float32Array(256 * 10).fill(0.1);
      net.fit(x, y, { epochs: 2, batchSize: 128 });
      const other = await Network.create({ layers: [200, 256, 10], threads: 2 });
      other.fit(x, y, { epochs: 1, batchSize: 128 });
      other.dispose();
      console.log('trained', net.threads);`;
    // A worker that kept the process alive would hold it until execFileSync's timeout kills it (and throws).
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.trim()).toBe('trained 3');
  });

  it("a trap inside a worker's share surfaces as an error on the calling side, and the process still exits", () => {
    // Rows of A past the 8th lie beyond memory: thread 0 (rows 0-7) is fine, thread 1 (rows 8-15) traps.
    const script = `
      import '../dist/src/index.node.js';
      import { getBackend } from '../dist/src/backends/index.js';
      const be = await getBackend('wasm', 'float32', 2);
      const A = be.alloc(64), B = be.alloc(64 * 128), C = be.alloc(16 * 128);
      const top = A.view().buffer.byteLength, lda = Math.floor((top - A.ptr) / 4 / 7.5);
      const out = [];
      for (let i = 0; i < 2; i++) {
        try { be.kernels.gemm('nn', 16, 128, 64, A, lda, B, 128, C, 128, false); out.push('no error'); }
        catch (e) { out.push(e instanceof Error ? e.constructor.name : typeof e); }
      }
      // A network on the same runtime says what happened, in words.
      const model = be.createModel({ loss: 'mse', metric: 'mae', dropoutSeed: 1, layers: [{ inputs: 64, outputs: 128, activation: 'linear', dropout: 0 }] });
      model.reserve(16); // 16 x 128 x 64 multiply-adds: a product split across the threads
      try { model.forwardRows(new Float32Array(16 * 64), null, 0, 16, new Float32Array(16 * 128)); out.push('no error'); } catch (e) { out.push(e.message); }
      be.dispose?.();
      console.log(out.join(' | '));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('.', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    // Every later call fails too, rather than computing with a dead thread; the network's message says what to do.
    expect(out.trim()).toMatch(
      /^RuntimeError \| RuntimeError \| backprop-wasm: a thread of this network failed .*dispose it and create or load a new one$/,
    );
  });

  it('a worker of the pool that ends (terminated) makes the next product fail with that message, not wait forever', () => {
    // The package's workers are not reachable from outside: Worker is wrapped (synced into the ESM
    // binding) before the package loads, to keep each one it starts. (The old code waited forever
    // for the dead worker's share: the spawn's timeout killed the child.)
    const script = `
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      const wt = createRequire(import.meta.url)('node:worker_threads');
      const started = [];
      wt.Worker = class extends wt.Worker { constructor(...a) { super(...a); started.push(this); } };
      syncBuiltinESMExports();
      const { Network } = await import('../dist/src/index.node.js');
      const net = await Network.create({ layers: [200, 256, 10], threads: 3, seed: 1 });
      const x = new Float32Array(256 * 200).fill(0.1), y = new Float32Array(256 * 10).fill(0.1);
      net.fit(x, y, { epochs: 1, batchSize: 128 });
      const out = [started.length];
      await started[1].terminate();
      try { net.fit(x, y, { epochs: 1, batchSize: 128 }); out.push('trained'); } catch (e) { out.push(e.message); }
      try { net.predict(x); out.push('predicted'); } catch (e) { out.push(e.message); }
      net.dispose();
      console.log(out.join(' | '));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('.', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    const failed =
      'backprop-wasm: a thread of this network failed (its share of a product trapped, or its worker ended); the network cannot compute any more: dispose it and create or load a new one';
    expect(out.trim()).toBe(`2 | ${failed} | ${failed}`);
  });
});
