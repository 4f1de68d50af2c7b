// toONNX: onnxruntime runs every exported network (each activation, both dtypes, every opset) and
// predicts what we predict; ours -> ONNX -> ours is bit-identical.
import { describe, expect, it } from 'vitest';
import { Network, type DType, type HiddenActivation } from 'backprop-wasm';
import { activationOp, type ActivationOp } from '../../dist/src/ops/activations.js';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { runOrt } from './ort.js';
import { DTYPES, expectAgree, expectBits, flatWeights, HIDDEN, inputs, network, TOL } from './helpers.js';

/** A float64 form that computes in float32 (a Cast: GELU's Erf, which onnxruntime has only for float) agrees to 1e-6. */
const tolerance = (dtype: DType, act: HiddenActivation): number =>
  dtype === 'float64' && JSON.stringify((activationOp(act) as ActivationOp).onnx64 ?? null).includes('"Cast"')
    ? 1e-6
    : TOL[dtype];

describe.each(DTYPES)('toONNX %s', (dtype: DType) => {
  it.each(HIDDEN)('hidden %s: onnxruntime agrees (softmax output, and the same activation as output)', async (act) => {
    for (const output of ['softmax', act] as const) {
      const net = await network(dtype, act, output);
      const bytes = toONNX(net);
      for (const rows of [1, 9]) {
        // the batch dimension is dynamic
        const x = inputs(dtype, rows, 4, rows);
        expectAgree(
          net.predict(x) as ArrayLike<number>,
          await runOrt(bytes, x, 4),
          tolerance(dtype, act),
          `${dtype} ${act}/${output} rows ${rows}`,
        );
      }
      net.dispose();
    }
  });

  it.each(HIDDEN)('hidden %s: ours -> ONNX -> ours is bit-identical (weights, predictions)', async (act) => {
    const net = await network(dtype, act, act === 'linear' ? 'softmax' : act);
    const back = await fromONNX(toONNX(net), { backend: 'js' });
    expect(back.layers).toEqual(net.layers);
    expect(back.dtype).toBe(dtype);
    expect(back.activations).toEqual(net.activations);
    expect(back.toJSON().loss).toBe(net.activations.at(-1) === 'softmax' ? 'crossEntropy' : 'mse');
    expectBits(flatWeights(back), flatWeights(net), 'weights');
    const x = inputs(dtype, 7, 4);
    const again = await fromONNX(toONNX(back));
    expectBits(again.predict(x) as ArrayLike<number>, net.predict(x) as ArrayLike<number>, 'predictions');
  });
});

describe('toONNX options', () => {
  it('writes opsets 13-21 (IR version to match), each runnable and readable', async () => {
    const net = await network('float32', 'leakyRelu', 'softmax');
    const x = inputs('float32', 5, 4);
    for (let opset = 13; opset <= 21; opset++) {
      const bytes = toONNX(net, { opset });
      expect(bytes[0]).toBe(0x08); // ir_version first
      expect(bytes[1]).toBe(opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10);
      expectAgree(net.predict(x) as Float32Array, await runOrt(bytes, x, 4), TOL.float32, `opset ${opset}`);
      expectBits(flatWeights(await fromONNX(bytes)), flatWeights(net), `opset ${opset} round trip`);
    }
  });

  it('a two-layer network and a wide one', async () => {
    for (const layers of [
      [3, 2],
      [20, 64, 10],
    ]) {
      const net = await Network.create({
        layers,
        activation: 'relu',
        output: 'softmax',
        loss: 'crossEntropy',
        seed: 9,
      });
      const x = inputs('float32', 3, layers[0]!);
      expectAgree(
        net.predict(x) as Float32Array,
        await runOrt(toONNX(net), x, layers[0]!),
        TOL.float32,
        layers.join('-'),
      );
    }
  });
});
