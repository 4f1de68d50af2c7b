// Transferred (detached) buffers and unparseable URLs given to the entries that take bytes or a URL:
// a ValidationError that says what happened and what to do, not V8's TypeError or a misleading
// "empty" or "bad magic" error. Runs on Node 20 (no ArrayBuffer.prototype.detached) and 24.
import { describe, expect, it } from 'vitest';
import { init, Network, trainInWorker, ValidationError } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { fromLayersModel, toLayersModel } from 'backprop-wasm/tfjs';

/** A copy of `bytes` in its own ArrayBuffer and views of it made first, then detached by transferring it. */
function detached(bytes: Uint8Array): { buffer: ArrayBuffer; u8: Uint8Array; f32: Float32Array } {
  const buffer = bytes.slice().buffer;
  const views = { buffer, u8: new Uint8Array(buffer), f32: new Float32Array(buffer, 0, buffer.byteLength >> 2) };
  structuredClone(buffer, { transfer: [buffer] });
  return views;
}
const rejection = async (f: () => unknown): Promise<unknown> => {
  try {
    await f();
    return null;
  } catch (e) {
    return e;
  }
};
const DETACHED =
  /: the ArrayBuffer( under this view)? is detached: it was transferred \(structuredClone or postMessage with a transfer list\) and holds no bytes any more; pass a copy \(buffer\.slice\(0\)\)/;

async function expectDetached(f: () => unknown, what: string): Promise<void> {
  const e = await rejection(f);
  expect(e, what).toBeInstanceOf(ValidationError);
  expect((e as Error).message, what).toMatch(DETACHED);
  expect((e as Error).message, what).toMatch(new RegExp(`^${what.replace(/[[\]]/g, '\\$&')}: the ArrayBuffer`));
}

describe('detached buffers', () => {
  it('fromONNX, Network.fromBytes: the buffer and a view of it', async () => {
    const net = await Network.create({ layers: [3, 4, 2], seed: 1, backend: 'js' });
    const onnx = detached(toONNX(net)),
      model = detached(net.toBytes());
    await expectDetached(() => fromONNX(onnx.buffer), 'fromONNX');
    await expectDetached(() => fromONNX(onnx.u8), 'fromONNX');
    await expectDetached(() => Network.fromBytes(model.buffer), 'model bytes');
    await expectDetached(() => Network.fromBytes(model.u8), 'model bytes');
    // trainInWorker reads the same bytes before it starts a worker.
    await expectDetached(
      () => trainInWorker({ network: { bytes: model.u8 }, x: new Float32Array(3), y: new Float32Array(2) }),
      'model bytes',
    );
    // Not detached: an empty buffer is still a format error, as before.
    await expect(fromONNX(new ArrayBuffer(0))).rejects.not.toThrow(ValidationError);
  });

  it('fromLayersModel: weightData as a buffer, a view and an element of a list', async () => {
    const { modelJSON, weightData } = toLayersModel(
      await Network.create({ layers: [3, 4, 2], seed: 1, backend: 'js' }),
    );
    const gone = detached(new Uint8Array(weightData));
    await expectDetached(() => fromLayersModel({ modelJSON, weightData: gone.buffer }), 'fromLayersModel: weightData');
    await expectDetached(() => fromLayersModel({ modelJSON, weightData: gone.f32 }), 'fromLayersModel: weightData');
    await expectDetached(
      () => fromLayersModel({ modelJSON, weightData: [weightData.slice(0, 8), gone.buffer] }),
      'fromLayersModel: weightData[1]',
    );
  });

  it('predict, fit and evaluate x given a view of a detached buffer, on both backends', async () => {
    for (const backend of ['wasm', 'js'] as const) {
      const net = await Network.create({ layers: [2, 3, 1], seed: 1, backend });
      const x = detached(new Uint8Array(new Float32Array([1, 2]).buffer)).f32;
      await expectDetached(() => net.predict(x), 'predict x');
      await expectDetached(() => net.fit(x, new Float32Array([1]), { epochs: 1 }), 'fit x');
      await expectDetached(() => net.evaluate(new Float32Array([1, 2]), detached(new Uint8Array(4)).f32), 'evaluate y');
      net.dispose();
    }
  });

  it('weights given as typed rows (Network.create, setWeights)', async () => {
    const gone = detached(new Uint8Array(12)).f32;
    await expectDetached(
      () => Network.create({ layers: [2, 3], weights: [{ W: [new Float32Array(3), gone], b: [0, 0, 0] }] }),
      'weights[0].W row 1',
    );
    const net = await Network.create({ layers: [2, 3], seed: 1, backend: 'js' });
    await expectDetached(
      () =>
        net.setWeights([
          {
            W: [
              [1, 2, 3],
              [4, 5, 6],
            ],
            b: detached(new Uint8Array(12)).f32,
          },
        ]),
      'setWeights[0].b',
    );
  });

  it('init: detached module bytes', async () => {
    await expectDetached(() => init(detached(new Uint8Array(8)).buffer), 'init');
    await expectDetached(() => init(detached(new Uint8Array(8)).u8), 'init');
  });
});

describe('init with a string that is not a URL', () => {
  it('a ValidationError naming the value and what init takes', async () => {
    for (const bad of ['not a url::', 'http://[::1', '']) {
      const e = await rejection(() => init(bad));
      expect(e, bad).toBeInstanceOf(ValidationError);
      expect((e as Error).message).toContain(
        `init: ${JSON.stringify(bad)} is not a URL (with no page to resolve it against, an absolute one such as file:///path/backprop.wasm`,
      );
      expect((e as Error).message).toMatch(/init takes the module's URL \(a string or URL\), its bytes/);
    }
    await init(); // still loads afterwards
    const net = await Network.create({ layers: [2, 1], seed: 1 });
    expect(net.predict(new Float32Array([1, 2])).length).toBe(1);
  });
});
