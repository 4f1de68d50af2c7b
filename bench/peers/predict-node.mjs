// backprop-wasm's predict in Node (bench/peers/predict.mjs runs this on Node 24 when the devDependency
// is installed): the figures of the browser page, same networks and timing, for the Node side.
import { Network } from '../../dist/src/index.node.js';
import { NETS, ROWS, NET_OPTIONS, inputsOf, macsOf, timeAlternating } from './predict-timing.js';

const results = [];
for (const [id, layers] of Object.entries(NETS)) {
  const net = await Network.create({ layers, ...NET_OPTIONS });
  for (const rows of ROWS) {
    const x = inputsOf(rows),
      options = { out: new Float32Array(10 * rows) };
    const [ours] = await timeAlternating(
      [{ name: 'ours', sync: true, run: () => net.predict(x, options) }],
      macsOf(layers, rows),
    );
    results.push({ id, layers, rows, ours });
  }
  net.dispose();
}
process.stdout.write(JSON.stringify({ node: process.version, results }));
