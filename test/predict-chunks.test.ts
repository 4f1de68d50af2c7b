// predict in cache-sized chunks (src/network/inference.ts): rows at every chunk edge come out the
// same bits as in one pass, on one thread and split across the threads of a threaded network, in
// both dtypes; and they agree with the JS reference backend. (That a reused { out } and input
// allocate nothing, however many chunks the input takes: steady-state.test.ts.)
import { describe, expect, it } from 'vitest';
import { Network, type DType } from 'backprop-wasm';
import { bufferRows, chunkRows } from '../dist/src/network/inference.js';
import { DTYPES, maxRelDiff, Rng } from './helpers.js';

const LAYERS = [784, 48, 20];
const bits = (a: Float32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const inputs = (dtype: DType, rows: number) => {
  const rng = new Rng(11),
    x = dtype === 'float32' ? new Float32Array(784 * rows) : new Float64Array(784 * rows);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() * 2 - 1;
  return x;
};
const create = (dtype: DType, threads: number, backend: 'wasm' | 'js' = 'wasm') =>
  Network.create({
    layers: LAYERS,
    activation: 'sigmoid',
    output: 'softmax',
    loss: 'crossEntropy',
    dtype,
    seed: 9,
    threads,
    backend,
  });

describe('predict in chunks', () => {
  it('the chunk rule: 784-wide rows take 160 float32 or 80 float64 rows (512 KiB); buffers stay under two chunks', () => {
    const spec = {
      layers: [
        { inputs: 784, outputs: 128 },
        { inputs: 128, outputs: 10 },
      ],
    } as never;
    expect(chunkRows(spec, 'float32', 10_000)).toBe(160);
    expect(chunkRows(spec, 'float64', 10_000)).toBe(80);
    expect(chunkRows(spec, 'float32', 7)).toBe(7);
    expect(bufferRows(spec, 'float32', 10_000)).toBe(163);
    const narrow = {
      layers: [
        { inputs: 20, outputs: 30 },
        { inputs: 30, outputs: 3 },
      ],
    } as never;
    expect(chunkRows(narrow, 'float32', 10_000)).toBe(512);
    const wide = {
      layers: [
        { inputs: 100_000, outputs: 1 },
        { inputs: 1, outputs: 1 },
      ],
    } as never;
    expect(chunkRows(wide, 'float32', 10_000)).toBe(16); // at least a step, whatever the width
    expect(bufferRows(wide, 'float32', 10_000)).toBe(31); // a tail of one-multiply-add layers joins, within two chunks
  });

  it.each(DTYPES)(
    '%s: rows at chunk edges equal one pass over 1,027 rows, bit for bit, on 1 and 2 threads; near the JS backend',
    async (dtype) => {
      const one = await create(dtype, 1),
        two = await create(dtype, 2),
        js = await create(dtype, 1, 'js');
      expect(two.threads).toBe(2);
      const chunk = dtype === 'float32' ? 160 : 80,
        total = 1024 + 3;
      const x = inputs(dtype, total);
      const all = one.predict(x);
      expect(maxRelDiff(all, js.predict(x))).toBeLessThan(dtype === 'float32' ? 1e-4 : 1e-12);
      expect(bits(two.predict(x))).toEqual(bits(all));
      for (const rows of [1, 3, 4, 5, chunk - 1, chunk, chunk + 1, chunk + 3, chunk + 4, 2 * chunk + 5, total]) {
        const part = x.subarray(0, 784 * rows);
        const mine = one.predict(part),
          theirs = two.predict(part);
        expect(bits(theirs), `${rows} rows: 2 threads`).toEqual(bits(mine));
        // The direct paths of products under 4 rows (or 4096 multiply-adds: here, 4 rows' output layer) round otherwise.
        if (rows >= 5) expect(bits(mine), `${rows} rows: as in one pass`).toEqual(bits(all.subarray(0, 20 * rows)));
        else expect(maxRelDiff(mine, all.subarray(0, 20 * rows))).toBeLessThan(dtype === 'float32' ? 1e-5 : 1e-13);
      }
      for (const net of [one, two, js]) net.dispose();
    },
  );

  it("evaluate goes through the same chunks: its loss is the mean over the rows of predict's", async () => {
    const net = await create('float64', 1);
    const x = inputs('float64', 403),
      y = new Float64Array(403 * 20);
    for (let r = 0; r < 403; r++) y[r * 20 + (r % 20)] = 1;
    const p = net.predict(x);
    let want = 0;
    for (let r = 0; r < 403; r++) want -= Math.log(p[r * 20 + (r % 20)]!);
    expect(net.evaluate(x, y).loss).toBeCloseTo(want / 403, 9);
    net.dispose();
  });

  it('a Float32Array subclass whose species and buffer getters would dispose the network runs none of its code mid-predict', async () => {
    const net = await Network.create({ layers: [8, 16, 4], dtype: 'float32', seed: 1 });
    const calls: string[] = [];
    class Hostile extends Float32Array {
      static override get [Symbol.species]() {
        calls.push('species');
        net.dispose();
        return Float32Array;
      }
      override get buffer() {
        calls.push('buffer');
        net.dispose();
        return super.buffer;
      }
    }
    const rows = 600,
      plain = inputs('float32', rows).subarray(0, 8 * rows),
      x = new Hostile(plain);
    const want = net.predict(plain) as Float32Array;
    expect(chunkRows(net['model' as never].spec, 'float32', rows)).toBe(512); // two chunks: the second is a view
    expect(bits(net.predict(x) as Float32Array)).toEqual(bits(want));
    expect(calls).toEqual([]);
    expect(() => net.summary()).not.toThrow(); // still alive
    net.dispose();
  });
});
