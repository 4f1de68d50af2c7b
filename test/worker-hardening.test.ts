// trainInWorker hardening (worker_threads): what cannot cross to a worker is found before one starts
// (or ends it), unknown keys are refused, a throwing callback rejects the job, errors keep their class
// and fields across the boundary, aborts are honoured at any time, and AbortError is one class with
// one message style for trainInWorker and fitAsync. That no worker outlives a settled job (Node exits)
// is tested in worker-exit.test.ts.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  DisposedError,
  DivergenceError,
  ModelFormatError,
  Network,
  ResourceError,
  trainInWorker,
  ValidationError,
} from 'backprop-wasm';

const XOR_X = [0, 0, 0, 1, 1, 0, 1, 1];
const XOR_Y = [0, 1, 1, 0];
const xor = () => ({ x: Float32Array.from(XOR_X), y: Float32Array.from(XOR_Y) });
const create = {
  layers: [2, 8, 1],
  activation: 'tanh' as const,
  output: 'sigmoid' as const,
  loss: 'crossEntropy' as const,
  seed: 3,
};
const fit = { epochs: 200, optimizer: 'adam' as const, learningRate: 0.1 };
/** Many rows, so an epoch takes a while and the job is still running when a test acts on it. */
const big = (rows = 20000) => ({
  x: new Float32Array(rows * 2).map((_, i) => ((i * 7919) % 13) / 13),
  y: new Float32Array(rows).map((_, i) => i % 2),
});

async function trainedHere(): Promise<Network> {
  const net = await Network.create(create);
  net.fit(new Float32Array(XOR_X), new Float32Array(XOR_Y), fit);
  return net;
}

describe('1. what cannot be moved is copied or refused before a worker starts', () => {
  it('x and y as views on one ArrayBuffer: copied (was a DataCloneError with the worker left running)', async () => {
    const buffer = new ArrayBuffer(12 * 4);
    const x = new Float32Array(buffer, 0, 8),
      y = new Float32Array(buffer, 32, 4);
    x.set(XOR_X);
    y.set(XOR_Y);
    const { network } = await trainInWorker({ network: { create }, x, y, fit }).result;
    expect(network.getWeights()).toEqual((await trainedHere()).getWeights());
    expect(Array.from(x)).toEqual(XOR_X); // the caller's data is intact
    expect(Array.from(y)).toEqual(XOR_Y);
  });

  it('x === y (an autoencoder) trains: the second is copied', async () => {
    const xy = Float32Array.from([0, 1, 1, 0, 0.5, 0.5]);
    const { history } = await trainInWorker({
      network: { create: { layers: [2, 3, 2], seed: 1 } },
      x: xy,
      y: xy,
      fit: { epochs: 3 },
    }).result;
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  it('SharedArrayBuffer-backed x and y: copied, and the shared memory is left as it was', async () => {
    const x = new Float32Array(new SharedArrayBuffer(8 * 4)),
      y = new Float32Array(new SharedArrayBuffer(4 * 4));
    x.set(XOR_X);
    y.set(XOR_Y);
    const { network } = await trainInWorker({ network: { create }, x, y, fit }).result;
    expect(network.getWeights()).toEqual((await trainedHere()).getWeights());
    expect(Array.from(x)).toEqual(XOR_X);
  });

  it('a view on part of a larger buffer is copied: the rest of the buffer is not taken from the caller', async () => {
    const all = new Float32Array(100).fill(7);
    const x = all.subarray(10, 18),
      y = all.subarray(20, 24);
    x.set(XOR_X);
    y.set(XOR_Y);
    await trainInWorker({ network: { create }, x, y, fit: { epochs: 2 } }).result;
    expect(all.length).toBe(100);
    expect(all[99]).toBe(7);
  });

  it('whole buffers are still moved, not copied', async () => {
    const { x, y } = xor();
    const job = trainInWorker({ network: { create }, x, y, fit: { epochs: 2 } });
    expect([x.length, y.length]).toEqual([0, 0]);
    await job.result;
  });

  it('functions and other values that cannot be cloned are refused, naming where they are', () => {
    const { x, y } = xor();
    expect(() =>
      trainInWorker({ network: { create }, x, y, fit: { validationData: [() => 1, () => 2] as never } }),
    ).toThrow(ValidationError);
    expect(() =>
      trainInWorker({
        network: { create },
        x,
        y,
        fit: {
          validationData: [
            [
              [0, 0],
              [0, () => 1],
            ],
            [[0], [1]],
          ] as never,
        },
      }),
    ).toThrow(/validationData x: value .* at row 1, column 1 is not a number \(a function\)/);
    expect(() =>
      trainInWorker({ network: { create: { ...create, weights: [{ W: () => 0, b: [] }] as never } }, x, y }),
    ).toThrow(/network\.create\.weights\[0\]\.W is a function, which cannot be sent to a worker/);
    expect(() =>
      trainInWorker({
        network: { create: { ...create, layers: [2, 8, 1], weights: [{ W: Symbol('w'), b: [] }] as never } },
        x,
        y,
      }),
    ).toThrow(/is a symbol/);
    expect([x.length, y.length]).toEqual([8, 4]); // nothing was moved
  });

  it('signal, callbacks, snapshotEvery and backend are checked', () => {
    const { x, y } = xor();
    const r = { network: { create }, x, y };
    expect(() => trainInWorker(r, { signal: {} as AbortSignal })).toThrow(/signal must be an AbortSignal/);
    expect(() => trainInWorker(r, { signal: { aborted: false } as AbortSignal })).toThrow(ValidationError);
    expect(() => trainInWorker(r, { onProgress: 'log' as never })).toThrow(/onProgress must be a function; got string/);
    expect(() => trainInWorker(r, { onSnapshot: {} as never })).toThrow(/onSnapshot must be a function/);
    expect(() => trainInWorker(r, { snapshotEvery: 1.5 })).toThrow(/snapshotEvery must be a non-negative integer/);
    expect(() => trainInWorker(r, { backend: 'gpu' as never })).toThrow(/backend "gpu" is not one of 'wasm', 'js'/);
    expect(() => trainInWorker(r, null as never)).toThrow(/options must be an object/);
    expect(() => trainInWorker({ network: { bytes: new Uint8Array(4), backend: 'gpu' as never }, x, y })).toThrow(
      /backend "gpu"/,
    );
    expect([x.length, y.length]).toEqual([8, 4]);
  });

  it('x and y already moved to a worker (detached) are refused with the reason', async () => {
    const { x, y } = xor();
    const first = trainInWorker({ network: { create }, x, y, fit: { epochs: 2 } });
    expect(() => trainInWorker({ network: { create }, x, y })).toThrow(
      /x is empty; .*moved to that worker \(its buffer is detached\)/,
    );
    await first.result;
  });

  it('what Network.create would refuse in the worker is refused here: explicit weights, the size against memoryLimit', () => {
    const { x, y } = xor();
    const wrongShape = () =>
      trainInWorker({ network: { create: { ...create, weights: [{ W: [[1]], b: [0] }] } }, x, y });
    expect(wrongShape).toThrow(ValidationError);
    expect(wrongShape).toThrow(/weights/);
    const weights = [
      { W: Array.from({ length: 2 }, () => new Array(8).fill(0.1)), b: new Array(8).fill(0) },
      { W: Array.from({ length: 8 }, () => [Number.NaN]), b: [0] },
    ];
    expect(() => trainInWorker({ network: { create: { ...create, weights } }, x, y })).toThrow(
      /trainInWorker network weights.* not a(?: finite)? number|not finite/,
    );
    let error: unknown = null;
    try {
      trainInWorker({ network: { create: { ...create, layers: [2, 1000, 1000, 1], memoryLimit: 1e6 } }, x, y });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResourceError);
    expect(error).toMatchObject({ available: 1e6 });
    expect((error as ResourceError).requested).toBeGreaterThan(1e6);
    expect([x.length, y.length]).toEqual([8, 4]); // nothing was moved
  });

  it('hostile shapes: a request nested 20,000 deep (walked without recursion for what cannot be cloned), fit: null, x as nested arrays', () => {
    const { x, y } = xor();
    let deep: unknown = 0;
    for (let i = 0; i < 20000; i++) deep = [deep];
    expect(() => trainInWorker({ network: { create: { ...create, weights: deep as never } }, x, y })).toThrow(
      ValidationError,
    );
    // The right number of layers, so the deep value reaches the weights check and its message.
    expect(() => trainInWorker({ network: { create: { ...create, weights: [deep, deep] as never } }, x, y })).toThrow(
      /got an array that cannot be shown/,
    );
    expect(() => trainInWorker({ network: { create }, x, y, fit: { epochs: deep as never } })).toThrow(ValidationError);
    expect(() => trainInWorker({ network: { create }, x, y, fit: null as never })).toThrow(
      /fit must be an options object or left out; got null/,
    );
    expect(() =>
      trainInWorker({
        network: { create },
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as never,
        y,
      }),
    ).toThrow(/x and y must be Float32Arrays \(the network's dtype\)/);
    expect([x.length, y.length]).toEqual([8, 4]);
  });

  it('if posting still fails (a Proxy), the worker is ended and the call throws a ValidationError', () => {
    const { x, y } = xor();
    const call = () => trainInWorker({ network: { create: { ...create, layers: new Proxy([2, 8, 1], {}) } }, x, y });
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(/could not be sent to the worker .*could not be cloned/);
    expect([x.length, y.length]).toEqual([8, 4]); // nothing was moved
  });
});

describe('2. unknown keys are refused', () => {
  it('in the options (a typo such as onprogress), naming the key and the valid ones', () => {
    const { x, y } = xor();
    expect(() => trainInWorker({ network: { create }, x, y }, { onprogress: () => {} } as never)).toThrow(
      /trainInWorker options: unknown option 'onprogress' \(valid: 'onProgress', 'onSnapshot', 'snapshotEvery', 'signal', 'backend'\)/,
    );
    expect(() => trainInWorker({ network: { create }, x, y }, { onProgress: () => {}, snapshot: 5 } as never)).toThrow(
      ValidationError,
    );
  });

  it('in the request and in its network', () => {
    const { x, y } = xor();
    expect(() => trainInWorker({ network: { create }, x, y, fitOptions: { epochs: 3 } } as never)).toThrow(
      /trainInWorker request: unknown option 'fitOptions' \(valid: 'network', 'x', 'y', 'fit'\)/,
    );
    expect(() => trainInWorker({ network: { create, backend: 'js' } as never, x, y })).toThrow(
      /trainInWorker network: unknown option 'backend' \(valid: 'create'\)/,
    );
    expect(() => trainInWorker({ network: { create }, x, y, fit: { epoch: 3 } as never })).toThrow(
      /fit: unknown option 'epoch'/,
    );
    expect([x.length, y.length]).toEqual([8, 4]);
  });
});

describe('3. an exception in a callback rejects the job and ends the worker', () => {
  it('onProgress', async () => {
    const { x, y } = big(2000);
    const boom = new Error('boom in onProgress');
    let calls = 0;
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 100000, batchSize: 8 } },
      {
        onProgress: (epoch) => {
          calls++;
          if (epoch === 1) throw boom;
        },
      },
    );
    await expect(job.result).rejects.toBe(boom);
    const at = calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(at); // no progress after the rejection: the worker is gone
  });

  it('onSnapshot', async () => {
    const { x, y } = xor();
    const boom = new TypeError('boom in onSnapshot');
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 50 } },
      {
        snapshotEvery: 2,
        onSnapshot: () => {
          throw boom;
        },
      },
    );
    await expect(job.result).rejects.toBe(boom);
  });
});

describe('4. errors keep their class and fields across the boundary', () => {
  it("a ResourceError raised in the worker (fit's data beyond memoryLimit) is a ResourceError here, with requested and available", async () => {
    // The network fits in the limit (checked on this side); the copy of 20,000 rows does not (checked by fit, in the worker).
    const small = { ...create, memoryLimit: 20000 };
    const here = await Network.create(small);
    const { x, y } = big();
    const want = (() => {
      try {
        here.fit(x, y, { epochs: 1 });
      } catch (e) {
        return e;
      }
      return null;
    })() as ResourceError;
    expect(want).toBeInstanceOf(ResourceError);
    const error = await trainInWorker({ network: { create: small }, x, y, fit: { epochs: 1 } }).result.catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResourceError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      name: 'ResourceError',
      message: want.message,
      requested: want.requested,
      available: want.available,
    });
    expect((error as Error).stack).toMatch(/ResourceError/);
  });

  it('a DivergenceError keeps its epoch and batch (the same as fit on this thread)', async () => {
    const here = await Network.create({ layers: [2, 8, 1], activation: 'linear', output: 'linear', seed: 3 });
    const X = Float32Array.from({ length: 48 }, (_, i) => ((i * 37) % 11) / 3),
      Y = Float32Array.from({ length: 24 }, (_, i) => i % 5);
    const options = { epochs: 50, batchSize: 4, learningRate: 3, shuffle: false, optimizer: 'sgd' as const };
    const want = (() => {
      try {
        here.fit(X, Y, options);
      } catch (e) {
        return e;
      }
      return null;
    })() as DivergenceError;
    expect(want).toBeInstanceOf(DivergenceError);
    const error = await trainInWorker({
      network: { create: { layers: [2, 8, 1], activation: 'linear', output: 'linear', seed: 3 } },
      x: X.slice(),
      y: Y.slice(),
      fit: options,
    }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error).toMatchObject({
      name: 'DivergenceError',
      message: want.message,
      epoch: want.epoch,
      batch: want.batch,
    });
  });

  it('every class round-trips through the wire format with its fields', async () => {
    const { fromWire, toWire } = await import('../dist/src/worker/errors.js');
    const cases: Error[] = [
      new ValidationError('bad'),
      new ModelFormatError('corrupt'),
      new DivergenceError('diverged', 3, 7),
      new DisposedError('gone'),
      new AbortError('stopped', 4),
      new RangeError('too big'),
      Object.assign(new Error('wasm trap'), { name: 'RuntimeError' }),
      new ResourceError('too large', 10, 5),
    ];
    for (const e of cases) {
      const back = fromWire(structuredClone(toWire(e)));
      expect(back).toBeInstanceOf(e.constructor);
      expect(back).toMatchObject({ name: e.name, message: e.message });
      expect(back.stack).toBe(e.stack);
    }
    expect(fromWire(toWire(new DivergenceError('d', 3, 7)))).toMatchObject({ epoch: 3, batch: 7 });
    expect(fromWire(toWire(new AbortError('a', 4)))).toMatchObject({ lastEpoch: 4 });
    expect(fromWire(structuredClone(toWire(new ResourceError('r', 10, 5))))).toMatchObject({
      requested: 10,
      available: 5,
    });
    expect(fromWire(toWire('a string'))).toMatchObject({
      name: 'Error',
      message: expect.stringMatching(/non-Error value: a string/),
    });
  });
});

describe('5. aborts are honoured at any time', () => {
  it('a signal aborted before the call rejects at once; no worker starts and nothing is moved', async () => {
    const { x, y } = xor();
    let progress = 0;
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 3 } },
      {
        signal: AbortSignal.abort(),
        onProgress: () => {
          progress++;
        },
      },
    );
    expect([x.length, y.length]).toEqual([8, 4]);
    const error = await job.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe('trainInWorker was aborted before any epoch finished');
    await new Promise((r) => setTimeout(r, 200));
    expect(progress).toBe(0);
  });

  it('cancel() right after the call, on a short job, rejects (was: all epochs ran and it resolved)', async () => {
    const { x, y } = xor();
    let progress = 0;
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 3 } },
      {
        onProgress: () => {
          progress++;
        },
      },
    );
    job.cancel();
    await expect(job.result).rejects.toBeInstanceOf(AbortError);
    await new Promise((r) => setTimeout(r, 200));
    expect(progress).toBe(0);
    job.cancel(); // nothing once settled
  });

  it('a signal aborted right after the call rejects too', async () => {
    const { x, y } = xor();
    const controller = new AbortController();
    const job = trainInWorker({ network: { create }, x, y, fit: { epochs: 3 } }, { signal: controller.signal });
    controller.abort();
    await expect(job.result).rejects.toBeInstanceOf(AbortError);
  });

  it('cancel during a long epoch rejects promptly, without waiting for the epoch to end', async () => {
    const { x, y } = big(200_000);
    let progress = 0;
    const job = trainInWorker(
      { network: { create: { ...create, layers: [2, 64, 64, 1] } }, x, y, fit: { epochs: 1000, batchSize: 1 } },
      {
        onProgress: () => {
          progress++;
        },
      },
    );
    const order: string[] = [];
    const outcome = job.result.catch((e: unknown) => {
      order.push('rejected');
      return e;
    });
    await new Promise((r) => setTimeout(r, 300)); // most likely inside the first epoch (the outcome does not depend on it)
    job.cancel();
    queueMicrotask(() => order.push('next microtask'));
    const error = await outcome;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).lastEpoch).toBe(progress === 0 ? null : progress - 1);
    // The rejection is immediate, made by cancel() itself (terminate, no round trip to the worker):
    // its handler was queued before a microtask queued right after cancel() returned.
    expect(order).toEqual(['rejected', 'next microtask']);
  });
});

describe('6. AbortError: one class, one message style for trainInWorker and fitAsync', () => {
  it('trainInWorker cancel', async () => {
    const { x, y } = big(2000);
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 100000, batchSize: 8 } },
      {
        onProgress: (epoch) => {
          if (epoch === 2) job.cancel();
        },
      },
    );
    const error = (await job.result.catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({
      name: 'AbortError',
      message: 'trainInWorker was aborted after epoch 2',
      lastEpoch: 2,
    });
  });

  it('fitAsync', async () => {
    const net = await Network.create(create);
    const { x, y } = big(2000);
    const controller = new AbortController();
    const error = (await net
      .fitAsync(x, y, {
        epochs: 100000,
        batchSize: 8,
        signal: controller.signal,
        onEpochEnd: (e) => {
          if (e === 2) controller.abort();
        },
      })
      .catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toMatch(/^fitAsync was aborted after epoch \d+$/);
    expect(error.lastEpoch).toBeGreaterThanOrEqual(2);
  });
});
