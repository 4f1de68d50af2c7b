// The playground's digits tab: a model (an MLP or a small CNN, digit-models.js) trained in a worker
// on 9,000 of the bundled MNIST digits, with threads where the page is cross-origin isolated, its
// accuracy on the other 1,000 shown per epoch; then a pad to draw a digit, classified on every
// stroke. The strokes are kept as points and redrawn the way MNIST digits were made
// (mnist-preprocess.js), not downscaled from the pad's pixels: both models read those 784 pixels.
import { trainInWorker } from 'backprop-wasm';
import { mnistPixels } from './mnist-preprocess.js';
import { loadDigits } from './digit-data.js';
import { DIGIT_MODELS, threadsNote, threadsSetting } from './digit-models.js';

const $ = (id) => document.getElementById(id);
const MAX_EPOCHS = 50;
let net = null;
/** Strokes drawn on the pad, each a list of [x, y] in pad pixels. */
let strokes = [];

function classify() {
  const pixels = net && mnistPixels(strokes);
  const list = $('probabilities');
  if (!pixels) {
    list.innerHTML = '';
    window.__digits.prediction = null;
    return;
  }
  const p = net.predict(pixels);
  const best = p.indexOf(Math.max(...p));
  list.innerHTML = Array.from(
    p,
    (v, d) =>
      `<li class="${d === best ? 'best' : ''}"><span>${d}</span><span class="bar" style="width:${(v * 10).toFixed(2)}rem"></span><span>${(100 * v).toFixed(1)}%</span></li>`,
  ).join('');
  window.__digits.prediction = best;
}

export function setupDigits() {
  window.__digits = { trained: false, prediction: null, pixels: () => mnistPixels(strokes) };
  const pad = $('pad'),
    ctx = pad.getContext('2d');
  const clear = () => {
    strokes = [];
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, pad.width, pad.height);
    classify();
  };
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
    ctx.beginPath();
    ctx.moveTo(...p);
    ctx.lineTo(...p);
    ctx.stroke(); // a dot for a click
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const stroke = strokes[strokes.length - 1],
      p = at(e);
    ctx.beginPath();
    ctx.moveTo(...stroke[stroke.length - 1]);
    ctx.lineTo(...p);
    ctx.stroke();
    stroke.push(p);
  });
  addEventListener('pointerup', () => {
    if (drawing) {
      drawing = false;
      classify();
    }
  });
  $('clearPad').addEventListener('click', clear);
  const model = () => DIGIT_MODELS[$('digitModel').value];
  const describe = () => {
    $('digitsStatus').textContent = `${model().label}, Adam, trained in a worker on 9,000 digits (1,000 held out)`;
  };
  $('digitModel').addEventListener('change', () => {
    $('digitEpochs').value = String(model().epochs);
    describe();
  });
  $('digitEpochs').value = String(model().epochs);
  describe();
  $('digitsThreads').textContent = threadsNote();
  $('trainDigits').addEventListener('click', () => train($('digitModel').value));
}

async function train(key) {
  const model = DIGIT_MODELS[key];
  const epochs = Number($('digitEpochs').value);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS) {
    $('digitsStatus').textContent = `epochs must be a whole number from 1 to ${MAX_EPOCHS}`;
    return;
  }
  const controls = ['trainDigits', 'digitModel', 'digitEpochs'];
  for (const id of controls) $(id).disabled = true;
  $('digitsStatus').textContent = 'loading digits…';
  try {
    const { train: data, heldOut } = await loadDigits();
    const started = performance.now();
    const job = trainInWorker(
      {
        network: { create: { ...model.create, threads: threadsSetting() } },
        x: data.x,
        y: data.y,
        fit: { epochs, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, validationData: [heldOut.x, heldOut.y] },
      },
      {
        onProgress: (epoch, logs) => {
          $('digitsStatus').textContent =
            `${key.toUpperCase()}, epoch ${epoch + 1}/${epochs} on ${data.rows.toLocaleString('en-US')} digits: loss ${logs.loss.toFixed(3)}, ` +
            `held-out accuracy ${(100 * logs.val_accuracy).toFixed(1)}%, ${Math.round(logs.samplesPerSecond).toLocaleString('en-US')} samples/s`;
        },
      },
    );
    const { network, history, threads } = await job.result;
    const seconds = (performance.now() - started) / 1000;
    net?.dispose();
    net = network;
    $('digitsStatus').textContent +=
      ` · trained on ${threads === 1 ? 'one thread' : `${threads} threads`} in ${seconds.toFixed(1)} s: draw a digit`;
    Object.assign(window.__digits, {
      trained: true,
      model: key,
      threads,
      epochs: history.epoch.length,
      heldOutAccuracy: history.val_accuracy.at(-1),
    });
    classify();
  } catch (e) {
    $('digitsStatus').textContent = `training failed: ${e.message}`;
  } finally {
    for (const id of controls) $(id).disabled = false;
  }
}
