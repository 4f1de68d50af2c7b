// The 2-D tab's settings, read from the form and checked: a wrong value gets an inline message next
// to the form and its field is marked, instead of reaching the library (which would throw).

const LIMITS = { points: [20, 5000], batch: [1, 5000], epochs: [1, 100000], layer: [1, 512], layers: 6 };

function integer(text, [min, max], what) {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max)
    return [null, `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}`];
  return [v, null];
}

/** "16, 8" to [16, 8]; "" is no hidden layer. */
function hiddenLayers(text) {
  if (text.trim() === '') return [[], null];
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > LIMITS.layers) return [null, `at most ${LIMITS.layers} hidden layers`];
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < LIMITS.layer[0] || Number(p) > LIMITS.layer[1]);
  if (bad !== undefined)
    return [
      null,
      `hidden layers: "${bad}" is not a size from ${LIMITS.layer[0]} to ${LIMITS.layer[1]}; write sizes separated by commas, such as 16,16`,
    ];
  return [parts.map(Number), null];
}

function learningRate(text) {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || v > 1)
    return [null, 'learning rate must be above 0 and at most 1, such as 0.003'];
  return [v, null];
}

/** { settings } when every field is valid, else { errors: [{ id, message }] }. */
export function readSettings($) {
  const errors = [];
  const take = (id, [value, message]) => {
    if (message) errors.push({ id, message });
    return value;
  };
  const hidden = take('layers', hiddenLayers($('layers').value));
  const settings = {
    dataset: $('dataset').value,
    noise: Number($('noise').value),
    points: take('points', integer($('points').value, LIMITS.points, 'points')),
    layers: hidden && [2, ...hidden, 1],
    activation: $('activation').value,
    learningRate: take('rate', learningRate($('rate').value)),
    batchSize: take('batch', integer($('batch').value, LIMITS.batch, 'batch size')),
    optimizer: $('optimizer').value,
    epochs: take('epochs', integer($('epochs').value, LIMITS.epochs, 'epochs')),
    backend: document.querySelector('input[name=backend]:checked').value,
  };
  return errors.length ? { errors } : { settings };
}

/** Shows the messages (or clears them) and marks the fields; returns whether there were none. */
export function showErrors($, errors) {
  for (const id of ['layers', 'points', 'rate', 'batch', 'epochs']) $(id).removeAttribute('aria-invalid');
  for (const { id } of errors) if (id) $(id).setAttribute('aria-invalid', 'true');
  $('formError').textContent = errors.map((e) => e.message).join('. ');
  $('formError').hidden = errors.length === 0;
  return errors.length === 0;
}
