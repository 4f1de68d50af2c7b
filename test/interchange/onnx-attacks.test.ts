// fromONNX on hostile bytes: varint overflow, lengths past the end, huge repeated fields, deep
// nesting, negative or overflowing dims, every truncation, and 300 seeded random corruptions. Each
// must give a ModelFormatError (never a crash, hang or unbounded allocation) or a load that agrees
// with onnxruntime on the same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, Network } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { Writer } from '../../dist/src/interchange/onnx/wire.js';
import { inputs, loadOrRefuse, network } from './helpers.js';
import { runOrt } from './ort.js';

async function refused(bytes: Uint8Array, message?: RegExp): Promise<void> {
  const error = await fromONNX(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'loaded').toBeInstanceOf(ModelFormatError);
  if (message) expect((error as Error).message).toMatch(message);
}

/** A model around one Gemm whose weight initializer is `weight` (a TensorProto writer). */
function gemmModel(weight: Writer): Uint8Array {
  const info = (name: string, n: number): Writer =>
    new Writer()
      .string(1, name)
      .message(
        2,
        new Writer().message(
          1,
          new Writer()
            .int(1, 1)
            .message(2, new Writer().message(1, new Writer().string(2, 'N')).message(1, new Writer().int(1, n))),
        ),
      );
  const graph = new Writer()
    .message(1, new Writer().string(1, 'x').string(1, 'W').string(2, 'y').string(3, 'gemm').string(4, 'Gemm'))
    .message(5, weight.string(8, 'W'))
    .message(11, info('x', 2))
    .message(12, info('y', 2));
  return new Writer().int(1, 8).message(7, graph).message(8, new Writer().string(1, '').int(2, 17)).finish();
}
const dims = (ds: number[], raw: number): Writer => {
  const t = new Writer();
  for (const d of ds) t.int(1, d);
  return t.int(2, 1).bytes(9, new Uint8Array(raw));
};

describe('fromONNX refuses hostile bytes with a ModelFormatError', () => {
  it('varints: more than 10 bytes, more than 64 bits, beyond 2^53; lengths past the end', async () => {
    await refused(Uint8Array.from([0x08, ...Array(10).fill(0xff), 0x01]), /varint/);
    await refused(Uint8Array.from([0x08, ...Array(9).fill(0xff), 0x7f]), /64 bits/);
    await refused(Uint8Array.from([0x3a, ...Array(8).fill(0xff), 0x01]), /2\^53/);
    await refused(Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]), /runs past the end/);
    await refused(Uint8Array.from([0x08]), /ends inside a varint/);
  });

  it('groups, invalid wire types, field 0, empty input and random bytes', async () => {
    await refused(Uint8Array.from([0x0b]), /group/);
    await refused(Uint8Array.from([0x0e]), /wire type/);
    await refused(Uint8Array.from([0x00]), /field number 0/);
    await refused(new Uint8Array(0), /ir_version 0/);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), (b) => refused(b)),
      { seed: 7, numRuns: 100 },
    );
  });

  it('huge repeated fields are capped; deep nesting of unknown fields is skipped flat', async () => {
    const many = new Writer();
    for (let i = 0; i < 10_001; i++) many.message(1, new Writer());
    await refused(new Writer().message(7, many).finish(), /more than 10000 nodes/);
    await refused(gemmModel(new Writer().packed(1, Array(100_000).fill(1))), /more than 8 tensor dims/);
    let nested = new Writer().int(1, 1);
    for (let i = 0; i < 2000; i++) nested = new Writer().message(99, nested);
    await refused(nested.finish(), /ir_version 0/);
  });

  it('negative dims, dims whose product overflows, dims past the bytes present', async () => {
    await refused(gemmModel(dims([-1, 2], 8)), /negative dimension -1/);
    await refused(gemmModel(dims([2 ** 40, 2 ** 40], 16)), /overflow/);
    await refused(gemmModel(dims([2, 2 ** 30], 16)), /raw_data holds 16 bytes; dims \[2,1073741824\] need 8589934592/);
    await refused(gemmModel(dims([2, 2], 15)), /need 16/);
    await expect(fromONNX(gemmModel(dims([2, 2], 16)))).resolves.toBeInstanceOf(Network);
  });

  it('every truncation of a valid file', async () => {
    const bytes = toONNX(await network('float32', 'relu', 'softmax'));
    for (let n = 0; n < bytes.length; n++) await refused(bytes.subarray(0, n));
  });
});

type Mutation = {
  kind: 'set' | 'flip' | 'truncate' | 'insert' | 'delete' | 'bomb';
  at: number;
  value: number;
  bytes: Uint8Array;
};

function mutate(base: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % base.length,
    out = Array.from(base);
  switch (m.kind) {
    case 'set':
      out[at] = m.value;
      break;
    case 'flip':
      out[at] = out[at]! ^ (1 << (m.value % 8));
      break;
    case 'truncate':
      out.length = at;
      break;
    case 'insert':
      out.splice(at, 0, ...m.bytes);
      break;
    case 'delete':
      out.splice(at, 1 + (m.value % 8));
      break;
    case 'bomb':
      out.splice(at, 0, ...Array(10).fill(0xff));
      break;
  }
  return Uint8Array.from(out);
}

describe('300 random corruptions', () => {
  it('each gives a ModelFormatError or a network that predicts as onnxruntime does on the same bytes', async () => {
    const bases = [
      toONNX(await network('float32', 'leakyRelu', 'softmax')),
      toONNX(await network('float64', 'tanh', 'sigmoid')),
    ];
    const outcomes = { refused: 0, loaded: 0, ortRefused: 0 };
    const mutation = fc.record({
      kind: fc.constantFrom('set', 'flip', 'truncate', 'insert', 'delete', 'bomb') as fc.Arbitrary<Mutation['kind']>,
      at: fc.nat(),
      value: fc.nat(255),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(1), mutation, async (which, m) => {
        const bytes = mutate(bases[which]!, m);
        // Reading is deterministic and what we read writes back unchanged.
        const result = await loadOrRefuse(
          () => fromONNX(bytes, { backend: 'js' }),
          (net) => fromONNX(toONNX(net)),
          outcomes,
        );
        if (!result) return;
        const x = inputs(result.dtype, 3, result.layers[0]!);
        const theirs = await runOrt(bytes, x, result.layers[0]!).catch(() => null);
        if (theirs === null) {
          outcomes.ortRefused++;
          return;
        }
        const ours = result.predict(x) as Float32Array;
        for (let i = 0; i < ours.length; i++) {
          const [a, b] = [ours[i]!, theirs[i]!];
          if (Number.isNaN(a) || Number.isNaN(b)) expect(Number.isNaN(a)).toBe(Number.isNaN(b));
          else expect(Math.abs(a - b), `value ${i}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(b)));
        }
      }),
      { seed: 20240612, numRuns: 300 },
    );
    console.log('ONNX corruptions:', outcomes);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
