// Model files: JSON and binary round trips are bit-exact; a checkpoint resumes training to the bit;
// corrupt or inconsistent files are rejected with a clear error; oversized networks are refused up front.
import { OPTIMIZER_NAMES } from '../dist/src/ops/optimizers.js';
import { describe, expect, it } from 'vitest';
import { Network, ModelFormatError, ValidationError, type NetworkOptions } from 'backprop-wasm';
import { crc32 } from '../dist/src/format/binary.js';
import { init } from '../dist/src/backends/wasm/runtime.js';
import { Rng } from './helpers.js';

const rng = new Rng(61);
const X = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next(), rng.next()]);
const Y = X.map(([a, b, c]) => (a! + b! > c! + 0.5 ? [1, 0] : [0, 1]));
const OPTIONS: NetworkOptions = {
  layers: [4, 7, 2],
  activation: 'tanh',
  output: 'softmax',
  loss: 'crossEntropy',
  seed: 6,
};

/** Rewrites the trailing CRC so a deliberately edited file reaches the checks after the checksum. */
function reseal(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const len = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  edit(header);
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + head.length + bytes.length - 12 - len);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, 12);
  out.set(bytes.subarray(12 + len), 12 + head.length);
  return reseal(out);
}

describe.each(['wasm', 'js'] as const)('model files (%s)', (backend) => {
  it.each(['float32', 'float64'] as const)(
    'toBytes / fromBytes round-trip bit-exactly (%s), onto either backend',
    async (dtype) => {
      const net = await Network.create({ ...OPTIONS, dtype, backend });
      net.fit(X, Y, { epochs: 5, optimizer: 'adam', learningRate: 0.05 });
      const bytes = net.toBytes();
      expect(Array.from(bytes.subarray(0, 4))).toEqual([66, 80, 87, 77]); // "BPWM"
      for (const target of ['wasm', 'js'] as const) {
        const copy = await Network.fromBytes(bytes, { backend: target });
        expect(copy.getWeights()).toEqual(net.getWeights());
        expect(copy.toBytes()).toEqual(bytes);
        expect(copy.toJSON()).toEqual(net.toJSON());
      }
    },
  );

  it.each((['json', 'bytes'] as const).flatMap((form) => OPTIMIZER_NAMES.map((o) => [form, o] as const)))(
    'a run resumed from a %s checkpoint (%s) ends bit-identical to an uninterrupted one',
    async (form, optimizer) => {
      const fit = { batchSize: 7, optimizer, learningRate: 0.02 };
      const whole = await Network.create({ ...OPTIONS, backend });
      whole.fit(X, Y, { ...fit, epochs: 6 });
      const first = await Network.create({ ...OPTIONS, backend });
      first.fit(X, Y, { ...fit, epochs: 3 });
      const saved = form === 'json' ? JSON.stringify(first.checkpoint()) : first.toBytes({ training: true });
      first.dispose();
      const resumed =
        form === 'json'
          ? await Network.fromJSON(saved as string, { backend })
          : await Network.fromBytes(saved as Uint8Array, { backend });
      const h = resumed.fit(X, Y, { ...fit, epochs: 6, initialEpoch: 3 });
      expect(h.epoch).toEqual([3, 4, 5]);
      expect(resumed.getWeights()).toEqual(whole.getWeights());
      expect(resumed.checkpoint().training!.epochs).toBe(6);
    },
  );
});

describe('corrupt model bytes are rejected', () => {
  const good = async () => {
    const n = await Network.create({ ...OPTIONS, dtype: 'float32' });
    n.fit(X, Y, { epochs: 2, optimizer: 'momentum' });
    return n.toBytes({ training: true });
  };
  const cases: [string, (b: Uint8Array) => unknown, RegExp][] = [
    ['not bytes', () => 'BPWM', /expected a Uint8Array or ArrayBuffer/],
    ['too short', (b) => b.subarray(0, 10), /10 bytes is too short/],
    ['wrong magic', (b) => reseal(Uint8Array.from(b, (v, i) => (i === 0 ? 0 : v))), /magic bytes "BPWM" are missing/],
    [
      'wrong version',
      (b) => {
        const c = b.slice();
        new DataView(c.buffer).setUint32(4, 9, true);
        return reseal(c);
      },
      /version 9 is not supported/,
    ],
    [
      'one flipped payload bit',
      (b) => Uint8Array.from(b, (v, i) => (i === b.length - 20 ? v ^ 1 : v)),
      /checksum mismatch/,
    ],
    ['truncated', (b) => b.subarray(0, b.length - 9), /checksum mismatch/],
    [
      'header length past the end',
      (b) => {
        const c = b.slice();
        new DataView(c.buffer).setUint32(8, 1e6, true);
        return reseal(c);
      },
      /header length 1000000 runs past the end/,
    ],
    [
      'header not JSON',
      (b) => {
        const c = b.slice();
        c[12] = 0x7b;
        c[13] = 0x7b;
        return reseal(c);
      },
      /header is not valid JSON/,
    ],
    [
      'header sizes not matching the payload',
      (b) =>
        withHeader(b, (h) => {
          (h.layers as { units: number }[])[0]!.units = 9;
        }),
      /payload holds \d+ bytes, but the header describes \d+/,
    ],
    [
      'an unknown header field (a typo is not ignored)',
      (b) =>
        withHeader(b, (h) => {
          h.dropuot = 0.5;
        }),
      /unknown field 'header\.dropuot'/,
    ],
    [
      'an unknown training field',
      (b) =>
        withHeader(b, (h) => {
          (h.training as Record<string, unknown>).state = [];
        }),
      /unknown field 'training\.state'/,
    ],
    [
      'a null architecture field',
      (b) =>
        withHeader(b, (h) => {
          h.loss = null;
        }),
      /'loss' is null; a model file states every field/,
    ],
    [
      'unknown optimizer in the training state',
      (b) =>
        withHeader(b, (h) => {
          (h.training as Record<string, unknown>).optimizer = 'rmsprop';
        }),
      /training.optimizer "rmsprop"/,
    ],
    [
      'a non-finite weight',
      (b) => {
        const c = b.slice();
        const o = 12 + new DataView(c.buffer).getUint32(8, true);
        new DataView(c.buffer).setFloat32(o + 4, NaN, true);
        return reseal(c);
      },
      /weights\[0\]\.W\[1\] is NaN/,
    ],
    [
      'an infinite optimizer state value',
      (b) => {
        const c = b.slice();
        new DataView(c.buffer).setFloat32(c.length - 8, Infinity, true);
        return reseal(c);
      },
      /training\.state\[1\]\[1\]\[1\] is Infinity/,
    ],
  ];
  it.each(cases)('%s', async (_, corrupt, message) => {
    const error = await Network.fromBytes(corrupt(await good()) as Uint8Array).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('sizes are checked before anything is allocated', () => {
  it('a network too large for 32-bit WebAssembly memory is refused with the size it needs', async () => {
    const rt = await init();
    const before = rt.arena.bytesInUse;
    const error = await Network.create({ layers: [40000, 40000, 10] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /1,600,440,010 parameters and needs 24420\.8 MiB .* more than the limit of 4032\.0 MiB \(32-bit WebAssembly memory holds 4 GiB\)/,
    );
    expect(rt.arena.bytesInUse).toBe(before);
  });

  it('memoryLimit lowers the budget for the network and for fit', async () => {
    await expect(Network.create({ layers: [100, 100, 10], memoryLimit: 100_000 })).rejects.toThrow(
      /more than the limit of 0\.1 MiB \(memoryLimit\)/,
    );
    await expect(Network.create({ layers: [4, 4], memoryLimit: -1 })).rejects.toThrow(
      /memoryLimit must be a positive number/,
    );
    const net = await Network.create({ layers: [4, 8, 2], memoryLimit: 20_000 });
    const before = net.getWeights();
    const big = Array.from({ length: 1000 }, () => [0, 0, 0, 0]);
    expect(() =>
      net.fit(
        big,
        big.map(() => [0, 1]),
      ),
    ).toThrow(/fit: training on 1,000 rows needs .* more than the limit/);
    expect(net.getWeights()).toEqual(before);
    net.fit(X.slice(0, 10), Y.slice(0, 10)); // small data still fits
  });
});

describe('model files: values from the file in messages, and every stated field checked', () => {
  it('a megabyte format, unknown field name or optimizer name is cut; a BigInt version is shown, not a TypeError', async () => {
    const net = await Network.create({ layers: [2, 1], seed: 1, backend: 'js' });
    const json = net.toJSON() as unknown as Record<string, unknown>;
    const long = 'x'.repeat(1_000_000);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...json, format: long }, /^model JSON: format is "x{190,}\.\.\., expected 'backprop-wasm'$/],
      [{ ...json, [long]: 1 }, /^model JSON: unknown field 'x{190,}\.\.\.' \(this version knows/],
      [{ ...json, version: 10n }, /^model JSON: version 10n is not supported/],
      [
        { ...json, training: { optimizer: long, steps: 0, epochs: 0, shuffleState: 1, state: [] } },
        /training\.optimizer "x{190,}\.\.\. is not one of/,
      ],
    ];
    for (const [file, message] of cases) {
      const e = await Network.fromJSON(file as never).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ModelFormatError);
      expect((e as Error).message.length).toBeLessThan(600);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('an activation name is checked when there are no hidden layers: in a file and in Network.create', async () => {
    // Version 1 files name the hidden activation beside the sizes (version 2 has no such field).
    const { weights, dtype, loss, seed } = (await Network.create({ layers: [2, 1], seed: 1, backend: 'js' })).toJSON();
    const v1 = { format: 'backprop-wasm', version: 1, layers: [2, 1], output: 'sigmoid', loss, dtype, seed, weights };
    await expect(Network.fromJSON({ ...v1, activation: 'relu' } as never)).resolves.toBeInstanceOf(Network);
    await expect(Network.fromJSON({ ...v1, activation: 'bogus' } as never)).rejects.toThrow(
      /model JSON: activation "bogus" is not one of 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'/,
    );
    await expect(Network.create({ layers: [2, 1], activation: 'bogus' as never })).rejects.toThrow(ValidationError);
    await expect(Network.create({ layers: [2, 1], activation: 'softmax' as never })).rejects.toThrow(
      /activation "softmax" is not one of/,
    );
    const ok = await Network.create({ layers: [2, 1], activation: 'relu', backend: 'js' });
    expect(ok.activations).toEqual(['sigmoid']);
  });
});
