// Steady state: training does not grow linear memory or rebuild views from epoch to epoch, and
// predict with { out } on a held network allocates nothing in the JS heap (no GC over 300k calls),
// also when the input takes several chunks.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Network, ValidationError } from 'backprop-wasm';
import { init } from '../dist/src/backends/wasm/runtime.js';
import { chunkRows } from '../dist/src/network/inference.js';
import { Rng } from './helpers.js';

const rng = new Rng(41);
const X = Float32Array.from({ length: 300 * 20 }, () => rng.next());
const Y = Float32Array.from({ length: 300 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

describe('steady state', () => {
  it('linear memory and view rebuilds stay flat across epochs', async () => {
    const rt = await init();
    const net = await Network.create({ layers: [20, 32, 3], output: 'softmax', loss: 'crossEntropy' });
    const seen: { bytes: number; rebuilds: number; inUse: number }[] = [];
    net.fit(X, Y, {
      epochs: 12,
      batchSize: 16,
      optimizer: 'adam',
      validationData: [X, Y],
      onEpochEnd: () => {
        seen.push({
          bytes: rt.raw.memory.buffer.byteLength,
          rebuilds: rt.arena.stats.viewRebuilds,
          inUse: rt.arena.bytesInUse,
        });
      },
    });
    expect(seen).toHaveLength(12);
    for (const s of seen.slice(1)) expect(s).toEqual(seen[0]);
    net.dispose();
  });

  it('predict with { out } allocates nothing: no garbage collection over 300,000 calls', async () => {
    const net = await Network.create({ layers: [8, 16, 4], dtype: 'float32' });
    const x = new Float32Array(8 * 4).fill(0.25),
      out = new Float32Array(16),
      options = { out };
    expect(net.predict(x, options)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(net.predict(x) as Float32Array));
    const starts: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) starts.push(e.startTime);
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 1000; i++) net.predict(x, options);
    await settle();
    observer.observe({ entryTypes: ['gc'] });
    const from = performance.now();
    for (let i = 0; i < 300_000; i++) net.predict(x, options);
    const to = performance.now();
    await settle(); // entries arrive asynchronously; only collections during the loop count
    observer.disconnect();
    expect(starts.filter((t) => t >= from && t <= to)).toEqual([]);
    // The same loop without { out } does allocate, and collects: the measurement can see it.
    const before = starts.length;
    observer.observe({ entryTypes: ['gc'] });
    for (let i = 0; i < 300_000; i++) net.predict(x);
    // Entries arrive asynchronously, later on a loaded machine: wait for them (bounded), not a fixed time.
    for (let tries = 0; tries < 200 && starts.length === before; tries++) await settle();
    observer.disconnect();
    expect(starts.length).toBeGreaterThan(before);
  });

  it('a reused { out } and input of several chunks allocate nothing: no garbage collection over 60,000 calls', async () => {
    const net = await Network.create({ layers: [8, 16, 4], dtype: 'float32', seed: 1 });
    const rows = 600,
      x = new Float32Array(8 * rows).fill(0.25),
      out = new Float32Array(4 * rows),
      options = { out };
    expect(chunkRows(net['model' as never].spec, 'float32', rows)).toBe(512); // two chunks: 512 and 88 rows
    expect(net.predict(x, options)).toBe(out);
    expect(Array.from(out.subarray(4 * 590))).toEqual(Array.from(net.predict(x.subarray(8 * 590)) as Float32Array));
    // Scavenges only: allocation shows as those, where a major collection may come from the memory
    // reducer of earlier tests' garbage, at any time.
    const starts: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if ((e.detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
          starts.push(e.startTime);
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 5000; i++) net.predict(x, options); // until optimized, code may box numbers
    await settle();
    observer.observe({ entryTypes: ['gc'] });
    const from = performance.now();
    // A view per chunk per call (the subarray that TypedArray.set copies from) would be 120,000 objects: collections (the same loop with a fresh view per chunk collects).
    for (let i = 0; i < 60_000; i++) net.predict(x, options);
    const to = performance.now();
    await settle();
    observer.disconnect();
    expect(starts.filter((t) => t >= from && t <= to)).toEqual([]);
    net.dispose();
  });

  it('predict rejects an out of the wrong type or size', async () => {
    const net = await Network.create({ layers: [8, 16, 4], dtype: 'float32' });
    const x = new Float32Array(16);
    expect(() => net.predict(x, { out: new Float64Array(8) })).toThrow(ValidationError);
    expect(() => net.predict(x, { out: new Float32Array(7) })).toThrow(
      /out has length 7, expected 2 rows x 4 outputs = 8/,
    );
  });
});
