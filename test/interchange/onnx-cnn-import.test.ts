// fromONNX on convolutional networks exported by PyTorch (scripts/onnx_cnn_fixtures.py, committed
// under test/fixtures/onnx-cnn): each network at several opsets (11, 13, 17; 21 written from the
// opset-17 export), read on both backends, predicts PyTorch's recorded outputs on the same
// channels-first inputs (converted by toChannelsLast) to 1e-5; onnxruntime runs each float file to
// the same outputs (so the opset-21 files are valid); toONNX of the imported network runs in
// onnxruntime on the channels-last rows to 1e-5. PyTorch exports this library cannot reproduce are refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, ValidationError, type DType } from 'backprop-wasm';
import { fromONNX, toChannelsLast, toONNX } from 'backprop-wasm/onnx';
import { runOrt, runOrtImages as ortNCHW } from './ort.js';

interface Case {
  shape: [number, number, number];
  dtype: DType;
  opsets: number[];
  x: number[];
  y: number[];
}
const dir = new URL('../fixtures/onnx-cnn/', import.meta.url);
const fixture = (name: string): Uint8Array => readFileSync(new URL(`${name}.onnx`, dir));
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, Case>;
const FILES = Object.entries(EXPECTED).flatMap(([name, c]) =>
  c.opsets.map((opset) => [`${name}_opset${opset}`, c] as const),
);
const TOL = 1e-5;

const near = (got: ArrayLike<number>, want: readonly number[], what: string): void => {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i]! - want[i]!), `${what}: output ${i} (${got[i]} vs ${want[i]})`).toBeLessThan(TOL);
};
const typed = (dtype: DType, v: readonly number[]): Float32Array | Float64Array =>
  dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v);

describe('fromONNX reads convolutional networks exported by PyTorch', () => {
  it('covers opsets 11, 13, 17 and 21', () => {
    expect([...new Set(FILES.flatMap(([, c]) => c.opsets))].sort((a, b) => a - b)).toEqual([11, 13, 17, 21]);
  });

  it.each(FILES)('%s: predicts what PyTorch did on both backends, and onnxruntime agrees', async (file, c) => {
    const bytes = fixture(file),
      x = typed(c.dtype, c.x);
    // onnxruntime's CPU provider has no double Conv: a float64 file is checked against PyTorch alone.
    const runs = c.dtype === 'float32';
    if (runs) near(await ortNCHW(bytes, x, c.shape), c.y, `${file} in onnxruntime`);
    const [ch, h, w] = c.shape;
    for (const backend of ['wasm', 'js'] as const) {
      const net = await fromONNX(bytes, { backend });
      try {
        expect(net.inputShape).toEqual([h, w, ch]);
        expect(net.dtype).toBe(c.dtype);
        const rows = toChannelsLast(x, net.inputShape);
        near(net.predict(rows), c.y, `${file} on ${backend}`);
        // Our own export of what was read takes the channels-last rows.
        if (runs)
          near(await runOrt(toONNX(net), rows, h * w * ch), c.y, `${file}: toONNX of the import in onnxruntime`);
      } finally {
        net.dispose();
      }
    }
  });

  it('maps each node onto the layer it is (the C1-like network and the padded one)', async () => {
    const c1 = await fromONNX(fixture('c1_opset17'), { backend: 'js' });
    expect(c1.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'maxPooling2d',
      'conv2d',
      'averagePooling2d',
      'flatten',
      'dense',
      'dense',
    ]);
    expect(c1.layers[0]).toMatchObject({
      filters: 5,
      kernelSize: [3, 3],
      strides: [1, 1],
      padding: 'valid',
      activation: 'relu',
      useBias: true,
    });
    expect(c1.layers[2]).toMatchObject({ filters: 6, activation: 'tanh' });
    expect(c1.activations).toEqual(['relu', 'softmax']);
    expect(c1.toJSON().loss).toBe('crossEntropy');
    c1.dispose();
    const s = await fromONNX(fixture('strided_opset11'), { backend: 'js' });
    expect(s.layers.slice(0, 6)).toMatchObject([
      { type: 'conv2d', filters: 3, strides: [2, 2], padding: 'same', activation: 'relu' },
      { type: 'conv2d', filters: 7, kernelSize: [1, 1], activation: 'sigmoid', useBias: false },
      { type: 'averagePooling2d', poolSize: [3, 3], strides: [1, 1], padding: 'same' },
      { type: 'conv2d', filters: 5, kernelSize: [5, 5], padding: 'same', activation: 'leakyRelu' },
      { type: 'maxPooling2d', poolSize: [2, 2], padding: 'valid' },
      { type: 'flatten' },
    ]);
    expect(s.activations).toEqual(['linear']);
    s.dispose();
  });
});

describe('fromONNX refuses PyTorch exports whose math it cannot reproduce', () => {
  it.each([
    [
      'refused_conv_pads',
      /node '\/0\/Conv' \(Conv\): pads \[1, 1, 1, 1\].* 8×8 input with a 5×5 window.*neither none \('valid'\) nor \[2, 2, 2, 2\]/,
    ],
    [
      'refused_avgpool_counts_pad',
      /node '\/0\/Pad' \(Pad\) pads its input by \[0, 0, 1, 1, 0, 0, 1, 1\].*count_include_pad=False/,
    ],
    ['refused_conv_group', /attribute 'group' = 2 of node '\/0\/Conv' \(Conv\) is not supported/],
    ['refused_conv_dilation', /attribute 'dilations' = \[2, 2\] of node '\/0\/Conv' \(Conv\) is not supported/],
    [
      'refused_maxpool_ceil',
      /attribute 'ceil_mode' = 1 of node '\/0\/MaxPool' \(MaxPool\) adds a partial window on its 7×7 input/,
    ],
    ['refused_view_flatten', /op 'Shape' \(node '\/1\/Shape' \(Shape\)\) is not supported/],
  ])('%s', async (file, message) => {
    for (const backend of ['wasm', 'js'] as const) {
      const error = await fromONNX(fixture(file), { backend }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('toChannelsLast', () => {
  it('moves each value of a channels-first row to its channels-last place, for typed arrays and arrays of rows', () => {
    // Two rows of [c=2, h=2, w=3]: value = 100·row + 10·c + (3·y + x)... as channels-last [h][w][c].
    const chw = (r: number): number[] =>
      [0, 1].flatMap((ch) => [0, 1].flatMap((y) => [0, 1, 2].map((x) => 100 * r + 10 * ch + 3 * y + x)));
    const hwc = (r: number): number[] =>
      [0, 1].flatMap((y) => [0, 1, 2].flatMap((x) => [0, 1].map((ch) => 100 * r + 10 * ch + 3 * y + x)));
    expect(Array.from(toChannelsLast(Float64Array.from([...chw(0), ...chw(1)]), [2, 3, 2]))).toEqual([
      ...hwc(0),
      ...hwc(1),
    ]);
    const f32 = toChannelsLast(Float32Array.from(chw(1)), [2, 3, 2]);
    expect(f32).toBeInstanceOf(Float32Array);
    expect(Array.from(f32)).toEqual(hwc(1));
    expect(toChannelsLast([chw(0), chw(1)], [2, 3, 2])).toEqual([hwc(0), hwc(1)]);
    // One channel: the same order.
    expect(toChannelsLast([[1, 2, 3, 4]], [2, 2, 1])).toEqual([[1, 2, 3, 4]]);
  });

  it('refuses a shape that is not [h, w, c], a length that is not whole rows, and a short row', () => {
    expect(() => toChannelsLast(new Float32Array(12), [2, 6])).toThrow(ValidationError);
    expect(() => toChannelsLast(new Float32Array(12), [2, 0, 3])).toThrow(
      /inputShape must be the network's \[height, width, channels\]/,
    );
    expect(() => toChannelsLast(new Float32Array(13), [2, 2, 3])).toThrow(/13 values are not whole rows of 2·2·3 = 12/);
    expect(() => toChannelsLast([[1, 2, 3]], [2, 2, 1])).toThrow(/row 0 must be an array of 4 values/);
    expect(() => toChannelsLast('rows' as unknown as number[][], [2, 2, 1])).toThrow(ValidationError);
  });

  it('refuses a detached array, holes and non-numbers in rows (naming row and column), and shows NaN in the shape', () => {
    const detached = new Float32Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(() => toChannelsLast(detached, [2, 2, 1])).toThrow(
      /toChannelsLast: the ArrayBuffer under this view is detached/,
    );
    // eslint-disable-next-line no-sparse-arrays
    expect(() =>
      toChannelsLast(
        [
          [1, 2, 3, 4],
          [1, , 3, 4],
        ],
        [2, 2, 1],
      ),
    ).toThrow(/toChannelsLast: value at row 1, column 1 is missing \(a hole or undefined\)/);
    expect(() => toChannelsLast([[1, 2, '3', 4]] as unknown as number[][], [2, 2, 1])).toThrow(
      /toChannelsLast: value "3" at row 0, column 2 is not a number \(a string\)/,
    );
    expect(() => toChannelsLast([[1, 2, 3, 4]], [NaN, 2, 1])).toThrow(
      /inputShape must be the network's \[height, width, channels\]; got \[NaN, 2, 1\]$/,
    );
  });

  it('reads the shape and each row once: a Proxy or getter that changes its answer, and a hole among the rows, are caught', () => {
    // A shape that answers 1 when checked and -1 when used would make the conversion loop forever.
    let reads = 0;
    const shifty = new Proxy([2, 2, 1], { get: (t, k) => (k === '2' && reads++ > 0 ? -1 : Reflect.get(t, k)) });
    expect(Array.from(toChannelsLast(new Float32Array(8), shifty))).toEqual(Array(8).fill(0));
    // A cell that passes the check as a number and is read again as a string.
    let cellReads = 0;
    const row = [1, 2, 3, 4];
    Object.defineProperty(row, 1, { get: () => (cellReads++ > 0 ? 'x' : 2), enumerable: true });
    expect(toChannelsLast([row], [2, 2, 1])).toEqual([[1, 2, 3, 4]]);
    // A hole among the rows is a row that is missing, not a row dropped.
    // eslint-disable-next-line no-sparse-arrays
    expect(() => toChannelsLast([, [1, 2, 3, 4]] as number[][], [2, 2, 1])).toThrow(
      /toChannelsLast: row 0 must be an array of 4 values \(2·2·1\); got undefined/,
    );
  });
});
