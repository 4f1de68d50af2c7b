// toONNX with inputScale / outputScale / classNames: onnxruntime fed raw rows gives what predict gives
// on the standardized rows (and, for outputScale, in the target's units); the folded weights are the
// float64 formula rounded once; the class names are read back from metadata_props.
import { describe, expect, it } from 'vitest';
import { Network, type DType } from 'backprop-wasm';
import { fromONNX, readONNXMetadata, toONNX } from 'backprop-wasm/onnx';
import { runOrt } from './ort.js';
import { DTYPES, expectAgree, expectBits, flatWeights, network } from './helpers.js';
import { folded, rows, scaleOf, unscale } from './scales.js';

/**
 * onnxruntime on raw rows vs predict on standardized rows: float32 rounds the folded weights and sums
 * in another order (terms up to |mean / std| * |W| ~ 10 here, each to 2^-24 relative), so 1e-5
 * (|diff| <= 1e-5 * max(1, |y|)); float64 rounds at 2^-53, so 1e-12.
 */
const SCALED_TOL: Record<DType, number> = { float32: 1e-5, float64: 1e-12 };
const feed = (dtype: DType, raw: Float64Array): Float32Array | Float64Array =>
  dtype === 'float32' ? Float32Array.from(raw) : raw;

describe.each(DTYPES)('toONNX options, %s', (dtype) => {
  it.each(['tanh', 'relu', 'leakyRelu'] as const)(
    'inputScale (hidden %s, softmax): onnxruntime on raw rows = predict on standardized rows',
    async (act) => {
      const net = await network(dtype, act, 'softmax');
      const s = scaleOf(4, 21);
      const { raw, standardized } = rows(dtype, 12, s);
      const bytes = toONNX(net, { inputScale: s });
      const want = net.predict(standardized) as ArrayLike<number>;
      expectAgree(await runOrt(bytes, feed(dtype, raw), 4), want, SCALED_TOL[dtype], `${dtype} ${act}`);
      // Without the fold the raw rows give something else: the test can tell.
      expect(() => expectAgree(net.predict(feed(dtype, raw)) as ArrayLike<number>, want, 1e-3, 'unfolded')).toThrow();
      net.dispose();
    },
  );

  it('inputScale + outputScale (linear output): onnxruntime on raw rows = unscaled predict on standardized rows', async () => {
    const net = await network(dtype, 'tanh', 'linear');
    const s = scaleOf(4, 22),
      t = scaleOf(3, 23);
    const { raw, standardized } = rows(dtype, 10, s);
    const bytes = toONNX(net, { inputScale: s, outputScale: t });
    expectAgree(
      await runOrt(bytes, feed(dtype, raw), 4),
      unscale(net.predict(standardized) as ArrayLike<number>, t),
      SCALED_TOL[dtype],
      `${dtype} regression`,
    );
    net.dispose();
  });

  it('the folded weights are the float64 formula rounded once to the dtype (fromONNX reads them back)', async () => {
    const net = await network(dtype, 'relu', 'linear');
    const s = scaleOf(4, 24),
      t = scaleOf(3, 25);
    const back = await fromONNX(toONNX(net, { inputScale: s, outputScale: t }), { backend: 'js' });
    const want = folded(net.getWeights(), s, t).flatMap(({ W, b }) => [...W.flat(), ...b]);
    expectBits(flatWeights(back), dtype === 'float32' ? want.map(Math.fround) : want, 'folded weights');
    // A network read from such a file predicts raw rows in the target's units.
    const { raw, standardized } = rows(dtype, 5, s);
    expectAgree(
      back.predict(feed(dtype, raw)) as ArrayLike<number>,
      unscale(net.predict(standardized) as ArrayLike<number>, t),
      SCALED_TOL[dtype],
      'read back',
    );
    back.dispose();
    net.dispose();
  });
});

describe('toONNX options', () => {
  it('a single layer takes both folds (input then output)', async () => {
    const net = await Network.create({ layers: [3, 2], activation: [], output: 'linear', loss: 'mse', seed: 4 });
    const s = scaleOf(3, 26),
      t = scaleOf(2, 27);
    const { raw, standardized } = rows('float32', 6, s);
    const bytes = toONNX(net, { inputScale: s, outputScale: t });
    expectAgree(
      await runOrt(bytes, Float32Array.from(raw), 3),
      unscale(net.predict(standardized) as Float32Array, t),
      SCALED_TOL.float32,
      'one layer',
    );
  });

  it('typed arrays are taken as mean and std; no options writes the weights unchanged', async () => {
    const net = await network('float32', 'sigmoid', 'sigmoid');
    const s = scaleOf(4, 28);
    const std32 = Float32Array.from(s.std); // float32-exact, so the plain array holds the same values
    const typed = toONNX(net, { inputScale: { mean: Float64Array.from(s.mean), std: std32 } });
    const plain = toONNX(net, { inputScale: { mean: s.mean, std: Array.from(std32) } });
    const { raw } = rows('float32', 4, s);
    expect(typed).toEqual(plain);
    expectAgree(
      await runOrt(typed, Float32Array.from(raw), 4),
      await runOrt(plain, Float32Array.from(raw), 4),
      0,
      'typed vs plain',
    );
    expectBits(flatWeights(await fromONNX(toONNX(net, {}))), flatWeights(net), 'no options');
  });

  it('classNames are stored in metadata_props and read back; a file without them reads null', async () => {
    const net = await network('float32', 'relu', 'softmax');
    const names = ['setosa', 'versi "color"', 'virginica ✓'];
    const bytes = toONNX(net, { classNames: names, opset: 13 });
    const meta = readONNXMetadata(bytes);
    expect(meta.classNames).toEqual(names);
    expect(meta.props).toEqual({ classNames: JSON.stringify(names) });
    expect(
      readONNXMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
        .classNames,
    ).toEqual(names);
    // onnxruntime still runs it, and fromONNX still reads it.
    const x = Float32Array.from({ length: 8 }, (_, i) => i / 8);
    expectAgree(await runOrt(bytes, x, 4), net.predict(x) as Float32Array, 2e-6, 'with metadata');
    expect((await fromONNX(bytes)).sizes).toEqual([4, 6, 5, 3]);
    expect(readONNXMetadata(toONNX(net))).toEqual({ props: {}, classNames: null });
  });
});
