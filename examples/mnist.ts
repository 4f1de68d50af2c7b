// npm start: trains 784-128-10 (relu, softmax, cross-entropy, Adam) on the bundled MNIST digits with
// the WASM backend, through the same training and progress code as `backprop-wasm train`
// (src/cli/training.ts, src/cli/progress.ts), and compares with one epoch of the same training on the
// pure-JS backend. The JS epoch runs first: once WebAssembly memory has grown, V8 checks every
// typed-array access for a detached buffer, which would slow the JS backend by ~25% and make the
// comparison unfair to it.
//
// Run: npm start  (options: -- --epochs N, --quiet, --help)
import { Network, type FitOptions, type NetworkOptions } from '../src/index.node.js';
import { number, parseFlags } from '../src/cli/args.js';
import { CliError, EXIT } from '../src/cli/errors.js';
import { createProgress } from '../src/cli/progress.js';
import { train, withInterrupt } from '../src/cli/training.js';
import { splitDigits } from './mnist-data.js';

const HELP = `Usage: npm start [-- --epochs N] [-- --quiet]
Trains 784-128-10 on the bundled MNIST digits (8,000 for training, 2,000 held out) with the WASM
backend, then prints the held-out accuracy and how many times faster WASM trains than the JS backend.`;

async function run(): Promise<number> {
  const { values, positionals } = parseFlags(
    'npm start',
    process.argv.slice(2),
    { epochs: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
    'run "npm start -- --help" for the options',
  );
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}": run "npm start -- --help"`);
  const epochs = number(values, 'epochs', 15, { min: 1, integer: true })!;

  const { train: data, test } = splitDigits();
  const arch: NetworkOptions = {
    layers: [784, 128, 10],
    activation: 'relu',
    output: 'softmax',
    loss: 'crossEntropy',
    dtype: 'float32',
    seed: 1,
  };
  const fit: FitOptions = {
    epochs,
    batchSize: 32,
    learningRate: 1e-3,
    optimizer: 'adam',
    validationData: [test.x, test.y],
  };

  console.log(
    `MNIST digits: ${data.rows} training, ${test.rows} held out (val_ below); network 784-128-10 relu/softmax, cross-entropy, Adam lr 1e-3, batch 32`,
  );
  console.log('timing one epoch on the JS backend for comparison…');
  const jsNet = await Network.create({ ...arch, backend: 'js' });
  let jsRate = 0;
  jsNet.fit(data.x, data.y, {
    ...fit,
    epochs: 1,
    validationData: undefined,
    onEpochEnd: (_, logs) => {
      jsRate = logs.samplesPerSecond;
    },
  });
  jsNet.dispose();

  const net = await Network.create({ ...arch, backend: 'wasm' });
  try {
    const progress = createProgress({ epochs, quiet: values.quiet === true });
    const result = await withInterrupt((signal) => train({ net, x: data.x, y: data.y, fit, progress, signal }));
    const accuracy = net.evaluate(test.x, test.y).accuracy!; // a softmax output reports accuracy
    console.log(
      `\nheld-out accuracy: ${(100 * accuracy).toFixed(2)}% after ${epochs} epoch${epochs === 1 ? '' : 's'} (${result.seconds.toFixed(1)} s of training)`,
    );
    console.log(
      `WASM backend: ${Math.round(result.samplesPerSecond).toLocaleString('en-US')} samples/s (mean over epochs)`,
    );
    console.log(
      `JS backend:   ${Math.round(jsRate).toLocaleString('en-US')} samples/s (one epoch of the same training): WASM is ${(result.samplesPerSecond / jsRate).toFixed(1)}x faster`,
    );
  } finally {
    net.dispose();
  }
  return EXIT.ok;
}

try {
  process.exitCode = await run();
} catch (e) {
  if (!(e instanceof CliError)) throw e;
  console.error(`npm start: ${e.message}`);
  process.exitCode = e.exitCode;
}
