// The playground's 2-D tab: a data set, a network trained in a Web Worker, a live decision boundary
// (from network snapshots the worker sends) and a loss curve (uPlot). window.__playground reports
// progress for the browser tests.
import { Network, trainInWorker } from 'backprop-wasm';
import uPlot from 'uplot';
import { DATASETS } from './datasets.js';
import { drawBoundary } from './boundary.js';
import { setupDigits } from './digits.js';
import { readSettings, showErrors } from './settings.js';

const $ = (id) => document.getElementById(id);
const state = { epochs: 0, snapshots: 0, done: false, accuracy: null, losses: [], rates: { wasm: null, js: null } };
window.__playground = state;
let job = null;
let data = null;

const chartWidth = () => Math.max(200, Math.min(420, $('loss').clientWidth || 420));
const chart = new uPlot(
  {
    width: chartWidth(),
    height: 220,
    title: 'Training loss',
    scales: { x: { time: false } },
    series: [{ label: 'epoch' }, { label: 'loss', stroke: '#e67e00', width: 2 }],
    axes: [{}, { size: 60 }],
  },
  [[], []],
  $('loss'),
);

/** The settings if they are all valid (else the messages show and this returns null). */
function validSettings() {
  const { settings, errors = [] } = readSettings($);
  return showErrors($, errors) ? settings : null;
}

function makeData() {
  const c = validSettings();
  if (!c) return;
  data = DATASETS[c.dataset](c.points, c.noise);
  drawBoundary($('boundary'), null, data);
}

function setRunning(running) {
  $('train').disabled = running;
  $('stop').disabled = !running;
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
  dispatchEvent(new Event('playground:snapshot')); // for the browser tests
}

function train() {
  const c = validSettings();
  if (!c) return;
  if (data.y.length !== c.points) makeData();
  const losses = [[], []];
  chart.setData(losses);
  Object.assign(state, { epochs: 0, snapshots: 0, done: false, accuracy: null, losses: losses[1] });
  setRunning(true);
  try {
    startJob(c, losses);
  } catch (e) {
    // the library refused the request before any worker started
    showErrors($, [{ id: null, message: e.message }]);
    state.done = true;
    setRunning(false);
  }
}

function startJob(c, losses) {
  // samples/s over the last half second of progress, measured here: one tiny epoch is too short for
  // the worker's coarse clock, and this includes the worker's messaging.
  const window = { start: performance.now(), epochs: 0 };
  const create = {
    layers: c.layers,
    activation: c.activation,
    output: 'sigmoid',
    loss: 'crossEntropy',
    backend: c.backend,
    seed: 1,
  };
  job = trainInWorker(
    {
      network: { create },
      x: data.x.slice(),
      y: data.y.slice(),
      fit: { epochs: c.epochs, batchSize: c.batchSize, learningRate: c.learningRate, optimizer: c.optimizer },
    },
    {
      snapshotEvery: Math.max(1, Math.round(c.epochs / 40)),
      onSnapshot: (_, bytes) => {
        void showSnapshot(bytes);
      },
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
  job.result
    .then(async ({ network }) => {
      chart.setData(losses);
      await showSnapshot(network.toBytes());
      network.dispose();
    })
    .catch((e) => {
      if (e.name !== 'AbortError') showErrors($, [{ id: null, message: `training stopped: ${e.message}` }]);
    })
    .finally(() => {
      state.done = true;
      setRunning(false);
    });
}

$('train').addEventListener('click', train);
$('stop').addEventListener('click', () => job?.cancel());
$('noise').addEventListener('input', () => {
  $('noiseValue').textContent = $('noise').value;
  makeData();
});
for (const id of ['dataset', 'points']) $(id).addEventListener('change', makeData);
// Messages appear when Train is pressed (or the data set changes) and go as soon as the value is fixed.
for (const id of ['layers', 'points', 'rate', 'batch', 'epochs'])
  $(id).addEventListener('input', () => {
    if (!$('formError').hidden) validSettings();
  });
addEventListener('resize', () => chart.setSize({ width: chartWidth(), height: 220 }));
document.querySelectorAll('.tab').forEach((tab) =>
  tab.addEventListener('click', () => {
    document.querySelectorAll('.tab, .panel').forEach((el) => el.classList.remove('active'));
    tab.classList.add('active');
    $(tab.dataset.tab).classList.add('active');
  }),
);

makeData();
showRates();
setupDigits();
state.ready = true;
