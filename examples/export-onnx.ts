// Trains a small classifier, then sends it elsewhere: an ONNX file (onnxruntime in Node, the browser,
// Python, C#…; PyTorch via an ONNX importer) and a TensorFlow.js layers-model folder (tf.loadLayersModel;
// Keras via the tensorflowjs converter). Reads both back and checks the predictions agree.
//
// Run: npm run build && node dist/examples/export-onnx.js [--out folder]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Network } from '../src/index.node.js';
import { fromONNX, toONNX } from '../src/interchange/onnx/index.node.js';
import { loadLayersModel, saveLayersModel } from '../src/interchange/tfjs/index.node.js';

const i = process.argv.indexOf('--out');
const out = i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : join(tmpdir(), 'backprop-wasm-export');

// Two interleaved half-moons, seeded.
const x: number[][] = [],
  y: number[][] = [];
for (let k = 0; k < 200; k++) {
  const t = Math.PI * (k / 100 - Math.floor(k / 100)),
    upper = k < 100;
  x.push(upper ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)]);
  y.push(upper ? [1, 0] : [0, 1]);
}
const net = await Network.create({
  layers: [2, 16, 16, 2],
  activation: 'tanh',
  output: 'softmax',
  loss: 'crossEntropy',
  seed: 4,
});
net.fit(x, y, { epochs: 300, batchSize: 32, optimizer: 'adam', learningRate: 0.01 });
console.log('accuracy', net.evaluate(x, y).accuracy);

await mkdir(out, { recursive: true });
const onnxPath = join(out, 'moons.onnx');
await writeFile(onnxPath, toONNX(net));
await saveLayersModel(net, join(out, 'moons-tfjs'));
console.log(`wrote ${onnxPath} and ${join(out, 'moons-tfjs')}/{model.json,weights.bin}`);

const probe = [
  [0, 1],
  [1, -0.5],
];
const fromOnnx = await fromONNX(await readFile(onnxPath));
const fromTfjs = await loadLayersModel(join(out, 'moons-tfjs'));
console.log('ours     ', net.predict(probe));
console.log('via ONNX ', fromOnnx.predict(probe));
console.log('via tfjs ', fromTfjs.predict(probe));
console.log(`
In Python:  import onnxruntime as ort, numpy as np
            s = ort.InferenceSession('${onnxPath}')
            s.run(None, {'input': np.array(${JSON.stringify(probe)}, dtype=np.float32)})
In PyTorch: onnx2torch.convert('${onnxPath}')   (or any ONNX importer)`);
