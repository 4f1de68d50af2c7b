// Linear memory: networks held across growth keep working; dispose returns memory for reuse;
// create/fit/dispose churn keeps memory flat; networks sharing the module do not interfere.
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { init } from '../dist/src/backends/wasm/runtime.js';
import { Arena } from '../dist/src/backends/wasm/arena.js';
import { Rng } from './helpers.js';

const rng = new Rng(31);
const X = Array.from({ length: 40 }, () => [rng.next(), rng.next(), rng.next()]);
const Y = X.map(([a, b, c]) => [a! + b! > c! ? 1 : 0, a! > 0.5 ? 1 : 0]);
const options = { layers: [3, 16, 2], activation: 'tanh' as const, seed: 2 };

describe('WASM linear memory', () => {
  it('a network created before memory grows predicts and trains identically after it', async () => {
    const rt = await init();
    const held = await Network.create(options);
    const twin = await Network.create(options);
    const grows = rt.arena.stats.grows;
    const big = await Network.create({ layers: [4096, 4096, 10] }); // 128 MiB of parameters and gradients
    expect(rt.arena.stats.grows).toBeGreaterThan(grows);
    const reference = await Network.create({ ...options, backend: 'js', dtype: 'float32' });
    expect(held.predict(X)).toEqual(twin.predict(X));
    held.fit(X, Y, { epochs: 5, batchSize: 8 });
    twin.fit(X, Y, { epochs: 5, batchSize: 8 });
    reference.fit(X, Y, { epochs: 5, batchSize: 8 });
    expect(held.getWeights()).toEqual(twin.getWeights());
    (held.predict(X) as number[][])
      .flat()
      .forEach((v, i) => expect(v).toBeCloseTo((reference.predict(X) as number[][]).flat()[i]!, 5));
    for (const n of [held, twin, big]) n.dispose();
  });

  it('dispose returns every byte; 10,000 create/fit/dispose cycles keep memory flat', async () => {
    const rt = await init();
    const baseline = rt.arena.bytesInUse;
    const warm = await Network.create(options);
    warm.fit(X, Y, { epochs: 1 });
    warm.dispose();
    expect(rt.arena.bytesInUse).toBe(baseline);
    const size = rt.raw.memory.buffer.byteLength;
    for (let i = 0; i < 10_000; i++) {
      const net = await Network.create({ ...options, seed: i });
      net.fit(X.slice(0, 8), Y.slice(0, 8), { epochs: 1 });
      net.dispose();
    }
    expect(rt.arena.bytesInUse).toBe(baseline);
    expect(rt.raw.memory.buffer.byteLength).toBe(size);
  });

  it('networks sharing the module do not interfere', async () => {
    const a = await Network.create(options),
      b = await Network.create({ ...options, seed: 8 });
    const aAlone = await Network.create(options);
    for (let e = 0; e < 3; e++) {
      a.fit(X, Y, { epochs: 1, batchSize: 4 });
      b.fit(X.slice(5), Y.slice(5), { epochs: 2, batchSize: 3, optimizer: 'adam' });
      aAlone.fit(X, Y, { epochs: 1, batchSize: 4 });
    }
    expect(a.getWeights()).toEqual(aAlone.getWeights());
  });

  it('freed regions are reused and coalesced; growth is counted', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }), 40);
    const p1 = arena.alloc(1000),
      p2 = arena.alloc(1000),
      p3 = arena.alloc(1000);
    expect(p1 % 16).toBe(0);
    expect(p1).toBe(48);
    arena.free(p1);
    arena.free(p2);
    const p4 = arena.alloc(2000); // fits only in the coalesced p1+p2 block
    expect(p4).toBe(p1);
    arena.free(p4);
    arena.free(p3);
    expect(arena.bytesInUse).toBe(0);
    expect(() => arena.free(p3)).toThrow(/not allocated/);
    const big = arena.alloc(200_000);
    expect(arena.stats.grows).toBe(1);
    expect(big).toBe(48); // everything was coalesced back to the start
  });
});
