// Browser scenarios, shared by the plain-ESM, CSP, Vite and esbuild pages. The library is passed in
// (each page imports it its own way). Results go to window.__results; window.__done ends the test.
import { DATASETS } from '../../../examples/playground/datasets.js';

const XOR = { layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'crossEntropy', seed: 1 };
const XOR_FIT = { epochs: 300, optimizer: 'adam', learningRate: 0.05, batchSize: 16 };
const SPIRALS = { layers: [2, 16, 16, 1], activation: 'tanh', output: 'sigmoid', loss: 'crossEntropy', seed: 1 };
const SPIRALS_FIT = { epochs: 800, optimizer: 'adam', learningRate: 0.03, batchSize: 16 };

async function onPage(lib, options, fit, data) {
  const net = await lib.Network.create(options);
  await net.fitAsync(data.x, data.y, fit);
  const { accuracy } = net.evaluate(data.x, data.y);
  net.dispose();
  return accuracy;
}

async function inWorker(lib, options, fit, data) {
  const copy = { x: data.x.slice(), y: data.y.slice() };
  const job = lib.trainInWorker({ network: { create: options }, x: copy.x, y: copy.y, fit });
  const { network } = await job.result;
  return network.evaluate(data.x, data.y).accuracy;
}

// samples/s of the same training on both backends, in this page.
async function speeds(lib) {
  const data = DATASETS.clusters(4096, 0.1, 9);
  const out = {};
  for (const backend of ['wasm', 'js']) {
    const net = await lib.Network.create({
      layers: [2, 64, 64, 1],
      activation: 'relu',
      output: 'sigmoid',
      loss: 'crossEntropy',
      seed: 2,
      backend,
    });
    const rates = [];
    net.fit(data.x, data.y, {
      epochs: 3,
      batchSize: 32,
      optimizer: 'adam',
      onEpochEnd: (_, logs) => {
        rates.push(logs.samplesPerSecond);
      },
    });
    out[backend] = Math.max(...rates.slice(1));
    net.dispose();
  }
  return out;
}

// Longest gap between animation frames while a worker trains.
async function frameGaps(lib) {
  const data = DATASETS.spirals(2000, 0.02, 5);
  let last = performance.now(),
    worst = 0,
    frames = 0,
    running = true;
  const tick = (t) => {
    worst = Math.max(worst, t - last);
    last = t;
    frames++;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => {
    last = t;
    requestAnimationFrame(tick);
  });
  const job = lib.trainInWorker({
    network: { create: { ...SPIRALS, layers: [2, 64, 64, 1] } },
    x: data.x,
    y: data.y,
    fit: { epochs: 40, batchSize: 8 },
  });
  const started = performance.now();
  await job.result;
  running = false;
  return { worstGapMs: worst, frames, trainingMs: performance.now() - started };
}

async function cancel(lib) {
  const data = DATASETS.xor(2000);
  let progress = 0,
    cancelledAt = 0;
  const job = lib.trainInWorker(
    { network: { create: XOR }, x: data.x, y: data.y, fit: { epochs: 100000, batchSize: 4 } },
    {
      onProgress: () => {
        progress++;
        if (progress === 2) {
          cancelledAt = performance.now();
          job.cancel();
        }
      },
    },
  );
  try {
    await job.result;
    return { rejected: false, progress };
  } catch (e) {
    return { rejected: true, name: e.name, progress, ms: performance.now() - cancelledAt };
  }
}

export async function run(lib, { worker = true, speed = true, init } = {}) {
  const results = {};
  try {
    if (init) await lib.init(init);
    if (lib.capabilities) results.capabilities = await lib.capabilities();
    results.xorPage = await onPage(lib, XOR, XOR_FIT, DATASETS.xor());
    results.spiralsPage = await onPage(lib, SPIRALS, SPIRALS_FIT, DATASETS.spirals(300));
    if (speed) results.speed = await speeds(lib);
    if (worker) {
      results.xorWorker = await inWorker(lib, XOR, XOR_FIT, DATASETS.xor());
      results.spiralsWorker = await inWorker(lib, SPIRALS, SPIRALS_FIT, DATASETS.spirals(300));
      results.frames = await frameGaps(lib);
      results.cancel = await cancel(lib);
    }
  } catch (e) {
    results.error = `${e.name}: ${e.message}\n${e.stack}`;
  }
  window.__results = results;
  window.__done = true;
}
