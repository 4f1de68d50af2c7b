// Training off the calling thread under Node (worker_threads), and fitAsync: progress per epoch,
// cancel, the trained network back as a usable Network, errors raised on the calling side.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Network, trainInWorker, ValidationError } from 'backprop-wasm';

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

describe('trainInWorker (worker_threads)', () => {
  it('trains XOR in a worker with a progress event per epoch and returns a usable Network', async () => {
    const { x, y } = xor();
    const seen: number[] = [];
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 300, optimizer: 'adam', learningRate: 0.1 } },
      {
        onProgress: (epoch, logs) => {
          seen.push(epoch);
          expect(logs.loss).toBeGreaterThan(0);
          expect(logs.accuracy).toBeGreaterThanOrEqual(0);
          expect(logs.samplesPerSecond).toBeGreaterThan(0);
        },
      },
    );
    expect(x.length).toBe(0); // moved to the worker, not copied
    const { network, history } = await job.result;
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(history.loss).toHaveLength(300);
    expect(history.accuracy[299]).toBe(1);
    expect(network.evaluate(new Float32Array(XOR_X), new Float32Array(XOR_Y)).accuracy).toBe(1);
    // The same training on this thread gives the same network, bit for bit.
    const here = await Network.create(create);
    here.fit(
      Array.from({ length: XOR_X.length / 2 }, (_, r) => [XOR_X[2 * r]!, XOR_X[2 * r + 1]!]),
      XOR_Y.map((v) => [v]),
      { epochs: 300, optimizer: 'adam', learningRate: 0.1 },
    );
    expect(network.getWeights()).toEqual(here.getWeights());
  });

  it('cancel stops training within a few epochs and rejects with an AbortError', async () => {
    const x = new Float32Array(2000 * 2).map((_, i) => ((i * 7919) % 13) / 13);
    const y = new Float32Array(2000).map((_, i) => i % 2);
    let progress = 0;
    const order: string[] = [];
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 100000, batchSize: 8 } },
      {
        onProgress: () => {
          progress++;
          if (progress === 3) {
            job.cancel();
            queueMicrotask(() => order.push('next microtask'));
          }
        },
      },
    );
    const outcome = job.result.catch((e: unknown) => {
      order.push('rejected');
      return e;
    });
    expect(await outcome).toMatchObject({ name: 'AbortError' });
    const at = progress;
    // cancel() ends the worker at once and rejects (there is no longer a message round trip or a
    // 5 s fallback): the rejection was queued before a microtask queued right after cancel().
    // Progress already queued is not reported after that.
    expect(order).toEqual(['rejected', 'next microtask']);
    await new Promise((r) => setTimeout(r, 100));
    expect(progress).toBe(at); // nothing after the rejection
    expect(progress).toBeLessThan(1000); // of 100,000
  });

  it('an AbortSignal cancels, even one aborted before the call', async () => {
    const { x, y } = xor();
    const job = trainInWorker({ network: { create }, x, y, fit: { epochs: 100000 } }, { signal: AbortSignal.abort() });
    await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a node -e script that cancels a job exits promptly (no fallback timer keeps Node alive)', () => {
    const script = `
      import { trainInWorker } from '${new URL('../dist/src/index.node.js', import.meta.url).href}';
      const x = new Float32Array(4000).fill(0.5), y = new Float32Array(2000).fill(1);
      const job = trainInWorker({ network: { create: { layers: [2, 8, 1] } }, x, y, fit: { epochs: 100000 } },
        { onProgress: (e) => { if (e === 2) job.cancel(); } });
      await job.result.catch((e) => console.log(e.name));
      console.log(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length);`;
    // A worker left running would keep the child alive until the timeout kills it.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, r.stderr).toBeNull();
    const [name, timers] = r.stdout.trim().split('\n');
    expect(name).toBe('AbortError');
    expect(timers).toBe('0'); // was 1: the 5 s fallback timer stayed armed and kept Node alive
  });

  it('sends snapshots of the network every snapshotEvery epochs', async () => {
    const { x, y } = xor();
    const snapshots: number[] = [];
    const job = trainInWorker(
      { network: { create }, x, y, fit: { epochs: 20, optimizer: 'adam' } },
      {
        snapshotEvery: 5,
        onSnapshot: (epoch, bytes) => {
          snapshots.push(epoch);
          expect(Array.from(bytes.subarray(0, 4))).toEqual([66, 80, 87, 77]);
        },
      },
    );
    const { network } = await job.result;
    expect(snapshots).toEqual([4, 9, 14, 19]);
    expect(network.sizes).toEqual([2, 8, 1]);
    expect(() =>
      trainInWorker({ network: { create }, x: new Float32Array(8), y: new Float32Array(4) }, { snapshotEvery: -1 }),
    ).toThrow(/snapshotEvery/);
  });

  it('resumes a checkpoint in the worker', async () => {
    const first = await Network.create(create);
    first.fit(new Float32Array(XOR_X), new Float32Array(XOR_Y), { epochs: 5, optimizer: 'adam' });
    const { x, y } = xor();
    const job = trainInWorker({
      network: { bytes: first.toBytes({ training: true }) },
      x,
      y,
      fit: { epochs: 10, initialEpoch: 5, optimizer: 'adam' },
    });
    const { network, history } = await job.result;
    expect(history.epoch).toEqual([5, 6, 7, 8, 9]);
    const whole = await Network.create(create);
    whole.fit(new Float32Array(XOR_X), new Float32Array(XOR_Y), { epochs: 10, optimizer: 'adam' });
    expect(network.getWeights()).toEqual(whole.getWeights());
  });

  it('bad requests throw on the calling side, before a worker starts', () => {
    const { x, y } = xor();
    expect(() => trainInWorker({ network: { create: { ...create, layers: [2, 0, 1] } }, x, y })).toThrow(
      /layers\[1\] must be a positive integer/,
    );
    expect(() => trainInWorker({ network: { create }, x: new Float64Array(8), y })).toThrow(/must be Float32Arrays/);
    expect(() => trainInWorker({ network: { create }, x: new Float32Array(7), y })).toThrow(
      /not a whole number of rows/,
    );
    expect(() => trainInWorker({ network: { create }, x, y: new Float32Array(3) })).toThrow(/x has 4 rows but y has 3/);
    expect(() => trainInWorker({ network: { create }, x, y, fit: { epochs: 0 } })).toThrow(ValidationError);
    expect(() => trainInWorker({ network: { create }, x, y, fit: { onEpochEnd: () => {} } as never })).toThrow(
      /pass onProgress/,
    );
    expect(() => trainInWorker({ network: { bytes: new Uint8Array(20) }, x, y })).toThrow(/magic bytes/);
    expect(x.length).toBe(8); // nothing was transferred
  });
});

describe('fitAsync', () => {
  it('gives the event loop turns while training, can be aborted, and refuses a second fit meanwhile', async () => {
    const net = await Network.create(create);
    const x = new Float32Array(4000 * 2).map((_, i) => ((i * 7919) % 13) / 13),
      y = new Float32Array(4000).map((_, i) => i % 2);
    let ticks = 0,
      abortedAt = -1;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    const controller = new AbortController();
    const run = net.fitAsync(x, y, {
      epochs: 100000,
      batchSize: 4,
      signal: controller.signal,
      onEpochEnd: (e) => {
        if (ticks >= 5 && abortedAt < 0) {
          abortedAt = e;
          controller.abort();
        }
      },
    });
    expect(() => net.fit(x, y)).toThrow(/already training/);
    const error = await run.catch((e: Error) => e);
    clearInterval(timer);
    expect(error).toMatchObject({ name: 'AbortError' });
    const last = Number(/after epoch (\d+)/.exec((error as Error).message)![1]);
    expect(last).toBe(abortedAt); // the signal is read after every epoch
    expect(net.checkpoint().training!.epochs).toBe(last + 1);
    net.fit(new Float32Array(XOR_X), new Float32Array(XOR_Y)); // usable again
  });

  it('gives the same network as fit', async () => {
    const [a, b] = [await Network.create(create), await Network.create(create)];
    a.fit(new Float32Array(XOR_X), new Float32Array(XOR_Y), { epochs: 20, batchSize: 3 });
    await b.fitAsync(new Float32Array(XOR_X), new Float32Array(XOR_Y), { epochs: 20, batchSize: 3 });
    expect(b.getWeights()).toEqual(a.getWeights());
  });
});
