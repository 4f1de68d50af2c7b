// Writes test/fixtures/format-v1/: model files (JSON and binary, model and checkpoint) in format
// version 1, as the library wrote them before the general layer form (issue 18). Run once from the
// build of that version; the files are committed and test/format-v1.test.ts loads them.
import { writeFileSync } from 'node:fs';
import { Network } from '../dist/src/index.node.js';

const dir = new URL('../test/fixtures/format-v1/', import.meta.url);
const x = new Float32Array(40).map((_, i) => Math.sin(i * 0.37));
const y = new Float32Array(30).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
const net = await Network.create({
  layers: [4, 6, 5, 3],
  activation: ['relu', 'tanh'],
  output: 'softmax',
  loss: 'crossEntropy',
  dropout: [0.25, 0],
  seed: 7,
});
await net.fit(x, y, { epochs: 3, batchSize: 4, optimizer: 'adam' });
const xs = new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]);
writeFileSync(new URL('model.json', dir), JSON.stringify(net.toJSON()));
writeFileSync(new URL('checkpoint.json', dir), JSON.stringify(net.checkpoint()));
writeFileSync(new URL('model.bin', dir), net.toBytes());
writeFileSync(new URL('checkpoint.bin', dir), net.toBytes({ training: true }));
const d64 = await Network.create({
  layers: [2, 3, 1],
  activation: 'leakyRelu',
  output: 'linear',
  loss: 'mse',
  dtype: 'float64',
  seed: 3,
});
await d64.fit(new Float64Array([0, 1, 1, 0, 1, 1, 0, 0]), new Float64Array([1, 1, 0, 0]), {
  epochs: 2,
  batchSize: 2,
  optimizer: 'momentum',
});
writeFileSync(new URL('regression64.json', dir), JSON.stringify(d64.checkpoint()));
writeFileSync(new URL('regression64.bin', dir), d64.toBytes({ training: true }));
// What the files must predict once loaded, and what one more epoch from the checkpoint gives
// (x, y and the fit options as above).
const resumed = await Network.fromJSON(JSON.stringify(net.checkpoint()));
await resumed.fit(x, y, { epochs: 4, batchSize: 4, initialEpoch: 3, optimizer: 'adam' });
writeFileSync(
  new URL('expected.json', dir),
  JSON.stringify({
    predict: Array.from(await (await Network.fromJSON(JSON.stringify(net.toJSON()))).predict(xs)),
    resumedWeights: resumed.getWeights().map(({ W, b }) => [Array.from(W), Array.from(b)]),
    predict64: Array.from(await d64.predict(new Float64Array([0.5, -0.5]))),
  }),
);
