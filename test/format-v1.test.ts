// Model files written by format version 1 (test/fixtures/format-v1/, made by
// scripts/format_v1_fixtures.mjs from that version's build) still load on either backend: they predict
// what they predicted then, and a checkpoint resumes to the same weights: bit for bit on the wasm
// backend that wrote them, to float32 rounding on the js one (its float32 sums round differently).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';

const dir = new URL('./fixtures/format-v1/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const expected = JSON.parse(text('expected.json')) as {
  predict: number[];
  resumedWeights: [number[][], number[]][];
  predict64: number[];
};
const flat = (layers: [number[][], number[]][]) => layers.flatMap(([W, b]) => [...W.flat(), ...b]);
const x = new Float32Array(40).map((_, i) => Math.sin(i * 0.37));
const y = new Float32Array(30).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
const xs = new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]);

/** Equal on wasm; within 1e-5 on js. */
function same(backend: 'wasm' | 'js', actual: number[], wanted: number[]): void {
  if (backend === 'wasm') return void expect(actual).toEqual(wanted);
  expect(actual.length).toBe(wanted.length);
  actual.forEach((v, i) => expect(Math.abs(v - wanted[i]!)).toBeLessThan(1e-5));
}

describe.each(['wasm', 'js'] as const)('format version 1 files (%s)', (backend) => {
  const loaders = {
    json: (name: string) => Network.fromJSON(text(`${name}.json`), { backend }),
    binary: (name: string) => Network.fromBytes(bytes(`${name}.bin`), { backend }),
  };
  it.each(['json', 'binary'] as const)('%s model and checkpoint predict as before', async (form) => {
    for (const name of ['model', 'checkpoint']) {
      const net = await loaders[form](name);
      same(backend, Array.from(net.predict(xs)), expected.predict);
      expect(net.sizes).toEqual([4, 6, 5, 3]);
      expect(net.activations).toEqual(['relu', 'tanh', 'softmax']);
      expect(net.dropout).toEqual([0.25, 0]);
    }
    const d64 = await loaders[form]('regression64');
    same(backend, Array.from(d64.predict(new Float64Array([0.5, -0.5]))), expected.predict64);
  });

  it.each(['json', 'binary'] as const)('a %s checkpoint resumes to the same weights', async (form) => {
    const net = await loaders[form]('checkpoint');
    net.fit(x, y, { epochs: 4, batchSize: 4, initialEpoch: 3, optimizer: 'adam' });
    same(
      backend,
      net.getWeights().flatMap(({ W, b }) => [...W.flat(), ...b]),
      flat(expected.resumedWeights),
    );
  });
});
