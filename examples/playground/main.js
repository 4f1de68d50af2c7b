// The playground's 2-D tab: a data set, a network trained in a Web Worker, a live decision boundary
// (from network snapshots the worker sends) and a loss curve (uPlot). window.__playground reports
// progress for the browser tests.
import { Network, trainInWorker } from 'backprop-wasm';
import uPlot from 'uplot';
import { DATASETS } from './datasets.js';
import { drawBoundary } from './boundary.js';
import { setupDigits } from './digits.js';

const $ = (id) => document.getElementById(id);
const state = window.__playground = { epochs: 0, snapshots: 0, done: false, accuracy: null, rates: { wasm: null, js: null } };
let job = null;
let data = null;

const chart = new uPlot({
  width: 420, height: 220, title: 'Training loss',
  scales: { x: { time: false } },
  series: [{ label: 'epoch' }, { label: 'loss', stroke: '#e67e00', width: 2 }],
  axes: [{}, { size: 60 }],
}, [[], []], $('loss'));

function readControls() {
  const hidden = $('layers').value.split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
  return {
    dataset: $('dataset').value, noise: Number($('noise').value), points: Number($('points').value),
    layers: [2, ...hidden, 1], activation: $('activation').value,
    learningRate: Number($('rate').value), batchSize: Number($('batch').value),
    optimizer: $('optimizer').value, epochs: Number($('epochs').value),
    backend: document.querySelector('input[name=backend]:checked').value,
  };
}

function makeData() {
  const c = readControls();
  data = DATASETS[c.dataset](c.points, c.noise);
  drawBoundary($('boundary'), null, data);
}

function showRates() {
  const f = (v) => (v === null ? '–' : Math.round(v).toLocaleString('en-US'));
  $('rateWasm').textContent = `${f(state.rates.wasm)} samples/s`;
  $('rateJs').textContent = `${f(state.rates.js)} samples/s`;
}

async function showSnapshot(bytes) {
  const net = await Network.fromBytes(bytes, { backend: 'wasm' });
  drawBoundary($('boundary'), net, data);
  state.accuracy = net.evaluate(data.x, data.y).accuracy;
  $('accuracy').textContent = `${(100 * state.accuracy).toFixed(1)}%`;
  net.dispose();
  state.snapshots++;
}

function train() {
  const c = readControls();
  const losses = [[], []];
  chart.setData(losses);
  Object.assign(state, { epochs: 0, snapshots: 0, done: false, accuracy: null });
  $('train').disabled = true;
  $('stop').disabled = false;
  // samples/s over the last half second of progress, measured here: one tiny epoch is too short for
  // the worker's coarse clock, and this includes the worker's messaging.
  const window = { start: performance.now(), epochs: 0 };
  const create = { layers: c.layers, activation: c.activation, output: 'sigmoid', loss: 'crossEntropy', backend: c.backend, seed: 1 };
  job = trainInWorker(
    { network: { create }, x: data.x.slice(), y: data.y.slice(), fit: { epochs: c.epochs, batchSize: c.batchSize, learningRate: c.learningRate, optimizer: c.optimizer } },
    {
      snapshotEvery: Math.max(1, Math.round(c.epochs / 40)),
      onSnapshot: (_, bytes) => { void showSnapshot(bytes); },
      onProgress: (epoch, logs) => {
        state.epochs = epoch + 1;
        losses[0].push(epoch + 1);
        losses[1].push(logs.loss);
        if (epoch % 5 === 0 || epoch + 1 === c.epochs) chart.setData(losses);
        $('epoch').textContent = `${epoch + 1} / ${c.epochs}`;
        $('lossValue').textContent = logs.loss.toFixed(4);
        window.epochs++;
        const elapsed = performance.now() - window.start;
        if (elapsed > 500 || epoch + 1 === c.epochs) {
          state.rates[c.backend] = (window.epochs * data.y.length) / (elapsed / 1000);
          Object.assign(window, { start: performance.now(), epochs: 0 });
          showRates();
        }
      },
    },
  );
  job.result.then(async ({ network }) => {
    chart.setData(losses);
    await showSnapshot(network.toBytes());
    network.dispose();
  }).catch((e) => {
    if (e.name !== 'AbortError') $('epoch').textContent = `error: ${e.message}`;
  }).finally(() => {
    state.done = true;
    $('train').disabled = false;
    $('stop').disabled = true;
  });
}

$('train').addEventListener('click', train);
$('stop').addEventListener('click', () => job?.cancel());
$('noise').addEventListener('input', () => { $('noiseValue').textContent = $('noise').value; makeData(); });
for (const id of ['dataset', 'points']) $(id).addEventListener('change', makeData);
document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => {
  document.querySelectorAll('.tab, .panel').forEach((el) => el.classList.remove('active'));
  tab.classList.add('active');
  $(tab.dataset.tab).classList.add('active');
}));

makeData();
showRates();
setupDigits();
state.ready = true;
