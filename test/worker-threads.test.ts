// Threads and trainInWorker under the flags a Node process may be started with, and threaded
// networks inside trainInWorker. Workers used to receive process.execArgv, so a process started
// with a per-process flag (--max-old-space-size, --expose-gc, --stack-size, --title, …) failed with
// Node's ERR_WORKER_INVALID_EXEC_ARGV; and trainInWorker's Node worker had no thread pool, so a
// threaded network was refused there. Each flag set runs in a child `node` (Node 24 and, where
// installed, the system Node 20) that trains one network with threads 1, 2, 'auto' and in
// trainInWorker with threads 2, and prints each checkpoint (toBytes with training state) as hex.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AbortError, Network, trainInWorker } from 'backprop-wasm';
import { Rng } from '../dist/src/util/rng.js';

const entry = new URL('../dist/src/index.node.js', import.meta.url).href;

const script = `
  import { Network, trainInWorker } from '${entry}';
  const x = Float32Array.from({ length: 64 * 4 }, (_, i) => Math.sin(i * 0.37));
  const y = Float32Array.from({ length: 64 }, (_, i) => (i % 3) / 3);
  const create = { layers: [4, 16, 1], activation: 'tanh', seed: 5 };
  const fit = { epochs: 3, batchSize: 16, optimizer: 'adam' };
  const hex = (b) => Buffer.from(b).toString('hex');
  const out = {};
  for (const threads of [1, 2, 'auto']) {
    const net = await Network.create({ ...create, threads });
    net.fit(x.slice(), y.slice(), fit);
    out[threads] = hex(net.toBytes({ training: true }));
    net.dispose();
  }
  const r = await trainInWorker({ network: { create: { ...create, threads: 2 } }, x: x.slice(), y: y.slice(), fit }).result;
  out.worker = hex(r.network.toBytes({ training: true }));
  console.log(JSON.stringify(out));`;

const nodes: [string, string][] = [['Node 24', process.execPath]];
if (existsSync('/usr/bin/node') && '/usr/bin/node' !== process.execPath) nodes.push(['system Node', '/usr/bin/node']);

const flagSets = [
  ['--max-old-space-size=4096'],
  ['--expose-gc', '--stack-size=2000', '--title=backprop-wasm-test'],
  ['--zero-fill-buffers', '--max-semi-space-size=16', '--disable-proto=throw', '--abort-on-uncaught-exception'],
];

function run(node: string, flags: string[], env: Record<string, string> = {}): Record<string, string> {
  const out = execFileSync(node, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, string>;
}

describe('threads and trainInWorker work under any flags Node accepts', () => {
  const reference = new Map<string, Record<string, string>>();
  it.each(nodes.flatMap(([name, node]) => flagSets.map((flags) => [name, flags.join(' '), node, flags] as const)))(
    '%s %s: threads 1, 2, auto and trainInWorker with threads 2 give one checkpoint',
    (name, _, node, flags) => {
      const got = run(node, flags);
      expect(Object.keys(got)).toEqual(['1', '2', 'auto', 'worker']);
      for (const k of ['2', 'auto', 'worker']) expect(got[k], k).toBe(got['1']);
      // The same checkpoint as without flags on that Node.
      if (!reference.has(node)) reference.set(node, run(node, []));
      expect(got['1']).toBe(reference.get(node)!['1']);
      void name;
    },
  );

  it('flags in NODE_OPTIONS', () => {
    const got = run(process.execPath, [], { NODE_OPTIONS: '--max-old-space-size=4096 --title=backprop-wasm-test' });
    for (const k of ['2', 'auto', 'worker']) expect(got[k], k).toBe(got['1']);
  });

  it("Node 20 with --experimental-wasm-relaxed-simd (a V8 flag, refused in a Worker's execArgv there)", () => {
    if (
      !existsSync('/usr/bin/node') ||
      !execFileSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).startsWith('v20')
    )
      return;
    const got = run('/usr/bin/node', ['--experimental-wasm-relaxed-simd']);
    for (const k of ['2', 'auto', 'worker']) expect(got[k], k).toBe(got['1']);
  });
});

describe('trainInWorker trains a threaded network', () => {
  it.each(['sgd', 'adam'] as const)(
    'threads: 2 in the worker (%s) is bit-identical to 1 and 2 threads on this thread',
    async (optimizer) => {
      const rng = new Rng(11);
      const rows = 120,
        inputs = 40,
        classes = 5;
      const x = Float32Array.from({ length: rows * inputs }, () => rng.next() * 2 - 1);
      const labels = Int32Array.from({ length: rows }, (_, i) => Math.floor(Math.abs(x[i * inputs]!) * 10) % classes);
      const create = {
        layers: [inputs, 70, 30, classes],
        activation: 'relu',
        output: 'softmax',
        loss: 'crossEntropy',
        seed: 7,
      } as const;
      const fit = { epochs: 3, batchSize: 32, optimizer, learningRate: 0.01 };
      const local = [];
      for (const threads of [1, 2]) {
        const net = await Network.create({ ...create, threads });
        net.fit(x, Array.from(labels), fit);
        local.push(net.toBytes({ training: true }));
        net.dispose();
      }
      const { network, history, threads } = await trainInWorker({
        network: { create: { ...create, threads: 2 } },
        x: x.slice(),
        y: Array.from(labels),
        fit,
      }).result;
      expect(history.epoch).toEqual([0, 1, 2]);
      expect(threads).toBe(2); // what the worker trained on (the network it sends back runs on this thread's 1)
      const remote = network.toBytes({ training: true });
      network.dispose();
      expect(local[1]).toEqual(local[0]);
      expect(remote).toEqual(local[0]);
    },
  );
});

describe("trainInWorker's result says how many threads the worker trained on", () => {
  it.each([
    [undefined, 1],
    [1, 1],
    [3, 3],
    ['auto', 1],
  ] as const)('threads: %s gives threads %s', async (asked, got) => {
    // 'auto' keeps one thread for a network this small (no layer of 2^14 weights), where threads can run.
    const { network, threads } = await trainInWorker({
      network: { create: { layers: [2, 8, 1], seed: 3, threads: asked } },
      x: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
      y: Float32Array.from([0, 1, 1, 0]),
      fit: { epochs: 2 },
    }).result;
    network.dispose();
    expect(threads).toBe(got);
  });
});

describe('trainInWorker checks threads before a worker starts', () => {
  it.each([
    [1e9, /integer from 1 to 64; got 1000000000/],
    ['many', /integer from 1 to 64; got "many"/],
    [0, /got 0/],
    [2.5, /got 2.5/],
  ] as [unknown, RegExp][])(
    'threads: %s is a ValidationError thrown by the call (it was a rejection from a worker started for it)',
    (threads, message) => {
      const x = new Float32Array(8),
        y = new Float32Array(4);
      expect(() =>
        trainInWorker({ network: { create: { layers: [2, 8, 1], threads: threads as number } }, x, y }),
      ).toThrow(message);
      expect([x.length, y.length]).toEqual([8, 4]); // nothing was moved
    },
  );

  it("threads: 2 with backend 'js' too", () => {
    expect(() =>
      trainInWorker({
        network: { create: { layers: [2, 8, 1], threads: 2, backend: 'js' } },
        x: new Float32Array(8),
        y: new Float32Array(4),
      }),
    ).toThrow(/threads: 2 needs backend 'wasm'/);
  });
});

describe('a trainInWorker worker that dies', () => {
  it('(terminated mid-training, with 1 and 2 threads) rejects the job with what happened, and the script exits', () => {
    // Worker is wrapped (synced into the ESM binding) before the package loads, to reach the worker
    // trainInWorker starts; a thread pool inside it stays out of reach (nested), and ends with it.
    const script = `
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      const wt = createRequire(import.meta.url)('node:worker_threads');
      const started = [];
      wt.Worker = class extends wt.Worker { constructor(...a) { super(...a); started.push(this); } };
      syncBuiltinESMExports();
      const { trainInWorker } = await import('${entry}');
      const x = new Float32Array(4000).map((_, i) => (i * 7919) % 13 / 13), y = new Float32Array(2000).map((_, i) => i % 2);
      for (const threads of [1, 2]) {
        const job = trainInWorker({ network: { create: { layers: [2, 8, 1], seed: 3, threads } }, x: x.slice(), y: y.slice(), fit: { epochs: 100000 } },
          { onProgress: (e) => { if (e === 1) void started.at(-1).terminate(); } });
        console.log(await job.result.then(() => 'resolved', (e) => e.name + ': ' + e.message));
      }`;
    // A worker left running would keep the child alive until the timeout kills it (and throws).
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const died = 'Error: backprop-wasm: the training worker exited (code 1) before training finished';
    expect(out.trim().split('\n')).toEqual([died, died]);
  });
});

describe('trainInWorker with threads: 2, aborted at each stage', () => {
  const data = (): { x: Float32Array; y: Float32Array } => ({
    x: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
    y: Float32Array.from([0, 1, 1, 0]),
  });
  const create = { layers: [2, 8, 1], seed: 3, threads: 2 };
  const outcome = (job: { result: Promise<unknown> }): Promise<unknown> =>
    job.result.then(
      () => 'resolved',
      (e: unknown) => e,
    );

  it.each([
    ['before the call', -2],
    ['right after the call', -1],
    ['at epoch 0', 0],
    ['at the last epoch (its result already on its way)', 4],
  ] as [string, number][])('%s: an AbortError with the last epoch reported', async (_, at) => {
    const controller = new AbortController();
    if (at === -2) controller.abort();
    const epochs: number[] = [];
    const job = trainInWorker(
      { network: { create }, ...data(), fit: { epochs: 5 } },
      {
        signal: controller.signal,
        onProgress: (e) => {
          epochs.push(e);
          if (e === at) controller.abort();
        },
      },
    );
    if (at === -1) controller.abort();
    const error = await outcome(job);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).lastEpoch).toBe(at < 0 ? null : at);
    expect(epochs).toEqual(at < 0 ? [] : Array.from({ length: at + 1 }, (_, i) => i));
  });

  it('after it resolved: nothing changes (the network stays usable)', async () => {
    const controller = new AbortController();
    const job = trainInWorker({ network: { create }, ...data(), fit: { epochs: 5 } }, { signal: controller.signal });
    const { network } = await job.result;
    controller.abort();
    job.cancel();
    expect(network.predict([[0, 1]])).toHaveLength(1);
    network.dispose();
  });
});
