// Trains the same network in trainInWorker with threads 1, 2 and 'auto'; reports whether the page is
// cross-origin isolated, whether the weights agree, and what a refused thread count says.
import { trainInWorker } from '/dist/src/index.js';

let s = 12345;
const next = () => {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  return s / 2 ** 32;
};
const rows = 256,
  inputs = 20,
  classes = 3;
const x = Float32Array.from({ length: rows * inputs }, () => next() * 2 - 1);
const y = new Float32Array(rows * classes);
for (let r = 0; r < rows; r++) y[r * classes + Math.floor(next() * classes)] = 1;

async function run(threads) {
  try {
    const job = trainInWorker({
      network: {
        create: {
          layers: [inputs, 300, classes],
          activation: 'relu',
          output: 'softmax',
          loss: 'crossEntropy',
          seed: 3,
          threads,
        },
      },
      x: x.slice(),
      y: y.slice(),
      fit: { epochs: 3, batchSize: 64, optimizer: 'adam' },
    });
    const { network, history } = await job.result;
    return { weights: JSON.stringify(network.getWeights()), loss: history.loss };
  } catch (e) {
    return { error: `${e.name}: ${e.message}` };
  }
}

const one = await run(1),
  two = await run(2),
  auto = await run('auto');
window.__results = {
  isolated: crossOriginIsolated,
  twoEqualsOne: two.weights !== undefined && two.weights === one.weights,
  autoEqualsOne: auto.weights !== undefined && auto.weights === one.weights,
  twoError: two.error ?? null,
  autoError: auto.error ?? null,
  oneError: one.error ?? null,
  loss: one.loss,
};
window.__done = true;
