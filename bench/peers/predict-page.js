// In Chromium (bench/peers/predict.mjs serves it cross-origin isolated): the W1 and W2 networks of
// backprop-wasm exported with toONNX and run by ONNX Runtime Web's wasm execution provider with
// ?threads=N, timed in alternation with backprop-wasm's own predict in the same page.
import * as ort from '/bench/peers/node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';
import { Network } from '/dist/src/index.js';
import { toONNX } from '/dist/src/interchange/onnx/index.js';
import { NETS, ROWS, NET_OPTIONS, inputsOf, macsOf, timeAlternating } from './predict-timing.js';

const threads = Number(new URLSearchParams(location.search).get('threads') ?? 1);
ort.env.wasm.numThreads = threads;
ort.env.wasm.wasmPaths = '/bench/peers/node_modules/onnxruntime-web/dist/';
const results = [];
try {
  for (const [id, layers] of Object.entries(NETS)) {
    const net = await Network.create({ layers, ...NET_OPTIONS });
    const session = await ort.InferenceSession.create(toONNX(net), {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    const [input] = session.inputNames,
      [output] = session.outputNames;
    for (const rows of ROWS) {
      const x = inputsOf(rows),
        options = { out: new Float32Array(10 * rows) };
      const feeds = { [input]: new ort.Tensor('float32', x, [rows, 784]) };
      // The same model: ONNX Runtime's outputs agree with predict's to float32 rounding.
      const theirs = (await session.run(feeds))[output].data;
      net.predict(x, options);
      const diff = options.out.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i])), 0);
      const timed = await timeAlternating(
        [
          { name: 'ours', sync: true, run: () => net.predict(x, options) },
          { name: 'ort', sync: false, run: () => session.run(feeds) },
        ],
        macsOf(layers, rows),
      );
      results.push({ id, layers, rows, diff, ours: timed[0], ort: timed[1] });
    }
    await session.release();
    net.dispose();
  }
  window.__results = { isolated: crossOriginIsolated, threads, userAgent: navigator.userAgent, results };
} catch (e) {
  window.__results = { error: `${e.name}: ${e.message}` };
}
window.__done = true;
