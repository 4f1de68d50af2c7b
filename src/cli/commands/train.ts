// backprop-wasm train <data.csv> --target <column>: CSV to a trained model file.
import { DivergenceError, Network, ValidationError, type DType, type FitOptions, type FloatArray } from '../../index.node.js';
import { choice, number, parseFlags, positionals, sizes, text } from '../args.js';
import { readTable } from '../csv.js';
import { HIDDEN_ACTIVATIONS } from '../../ops/activations.js';
import { OPTIMIZER_NAMES } from '../../ops/optimizers.js';
import {
  checkScaled, chooseTask, classNames, fitScaler, numericColumns, oneHot, regressionMetrics, scale, targetValues, trainingRows, unscale,
} from '../dataset.js';
import { CliError, EXIT } from '../errors.js';
import { checkOutputFile } from '../files.js';
import { writeModelFile, type ModelFile } from '../model-file.js';
import { createProgress, formatMetric } from '../progress.js';
import { withInterrupt } from '../signals.js';
import { train } from '../training.js';

const FLAGS = {
  target: { type: 'string' }, layers: { type: 'string' }, activation: { type: 'string' }, epochs: { type: 'string' },
  'batch-size': { type: 'string' }, 'learning-rate': { type: 'string' }, optimizer: { type: 'string' }, loss: { type: 'string' },
  'validation-split': { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, dtype: { type: 'string' },
  out: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

const typed = (dtype: DType, a: Float64Array): FloatArray => (dtype === 'float64' ? a : Float32Array.from(a));

export async function trainCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('train', argv, FLAGS);
  if (values.help) return 'help';
  const [file] = positionals('train', given, ['data.csv']);
  const target = text(values, 'target');
  if (target === undefined) throw new CliError('train needs --target <column>, the column to predict: run "backprop-wasm train --help"');
  const hidden = sizes(values, 'layers', [16]);
  const activation = choice(values, 'activation', HIDDEN_ACTIVATIONS, 'relu');
  const epochs = number(values, 'epochs', 50, { min: 1, integer: true })!;
  const batchSize = number(values, 'batch-size', 32, { min: 1, integer: true })!;
  const learningRate = number(values, 'learning-rate', undefined, { min: 0, above: true });
  const optimizer = choice(values, 'optimizer', OPTIMIZER_NAMES, 'adam');
  const lossFlag = choice(values, 'loss', ['auto', 'mse', 'crossEntropy'] as const, 'auto');
  const split = number(values, 'validation-split', 0.2, { min: 0, max: 0.9 })!;
  const seed = number(values, 'seed', 1, { min: 0, max: 2 ** 31 - 1, integer: true })!;
  const backend = choice(values, 'backend', ['wasm', 'js'] as const, 'wasm');
  const dtype = choice(values, 'dtype', ['float32', 'float64'] as const, 'float32');
  const outName = text(values, 'out', 'model.json');
  const json = values.json === true, quiet = values.quiet === true;
  const out = checkOutputFile(outName, [file!]);

  const table = readTable(file!);
  const targets = targetValues(table, target);
  const features = table.header.filter((c) => c !== target);
  if (features.length === 0) throw new CliError(`${file} has no columns besides the target "${target}": there is nothing to learn from`);
  const raw = numericColumns(table, features);
  const task = chooseTask(table, targets, lossFlag, target);
  const rows = table.rows.length, nTrain = trainingRows(rows, split), cols = features.length;
  const scaler = fitScaler(raw, nTrain, cols);
  const scaled = scale(raw, scaler);
  checkScaled(table, features, scaled, dtype, ' with the training rows\' mean and std');
  const x = typed(dtype, scaled);

  let classes: string[] | null = null, targetScaler = null, y: FloatArray;
  if (task === 'classification') {
    classes = classNames(targets.slice(0, nTrain));
    if (classes.length < 2) throw new CliError(`the training rows of "${target}" hold one class ("${classes[0]}"): there is nothing to tell apart`);
    const unseen = classNames(targets.slice(nTrain)).filter((c) => !classes!.includes(c));
    if (unseen.length) throw new CliError(`the validation rows (the last ${rows - nTrain}) have classes never seen in training (${unseen.join(', ')}): shuffle the file's rows or change --validation-split`);
    y = typed(dtype, oneHot(table, target, targets, classes));
  } else {
    const values = Float64Array.from(targets, Number);
    targetScaler = fitScaler(values, nTrain, 1);
    const scaledY = scale(values, targetScaler);
    checkScaled(table, [target], scaledY, dtype, ' with the training rows\' mean and std');
    y = typed(dtype, scaledY);
  }
  const outputs = classes?.length ?? 1;
  const xTrain = x.subarray(0, nTrain * cols), yTrain = y.subarray(0, nTrain * outputs);
  const xVal = x.subarray(nTrain * cols), yVal = y.subarray(nTrain * outputs);
  if (!quiet) {
    const note = (s: string): boolean => (json ? process.stderr : process.stdout).write(`${s}\n`);
    note(`${file}: ${rows} rows, ${cols} features; ${task === 'classification' ? `${outputs} classes of "${target}" (${classes!.join(', ')})` : `"${target}" as a value`}`);
    note(`network ${[cols, ...hidden, outputs].join('-')} ${activation}/${task === 'classification' ? 'softmax, cross-entropy' : 'linear, mse'}; ${nTrain} rows for training, ${rows - nTrain} for validation`);
  }

  let net: Network;
  try {
    net = await Network.create({
      layers: [cols, ...hidden, outputs], activation, output: task === 'classification' ? 'softmax' : 'linear',
      loss: task === 'classification' ? 'crossEntropy' : 'mse', dtype, backend, seed,
    });
  } catch (e) {
    throw new CliError(`cannot build the network: ${(e as Error).message}`);
  }
  try {
    const fit: FitOptions = { epochs, batchSize, learningRate, optimizer, ...(nTrain < rows ? { validationData: [xVal, yVal] } : {}) };
    const truth = targets.slice(nTrain).map(Number);
    let lastVal: Record<string, number> | undefined; // the last epoch's, which are the final network's
    const valMetrics = task === 'regression' && nTrain < rows
      ? () => { const m = regressionMetrics(unscale(net.predict(xVal) as FloatArray, targetScaler!), truth, targetScaler!.std[0]); return (lastVal = { val_mae: m.mae, val_rmse: m.rmse }); }
      : undefined;
    const progress = createProgress({ epochs, quiet, stream: json ? process.stderr : process.stdout });
    const result = await withInterrupt((signal) => train({ net, x: xTrain, y: yTrain, fit, progress, metrics: valMetrics, signal }));
    const model: ModelFile = { format: 'backprop-wasm-cli', version: 1, features, target, task, scaler, targetScaler, classes, model: net.toJSON() };
    await writeModelFile(out, model);
    const last = Object.fromEntries(Object.entries(result.history).map(([k, v]) => [k, (v as number[]).at(-1)]));
    const final: Record<string, number> = { loss: last.loss! };
    if (task === 'classification') final.accuracy = last.accuracy!;
    if (last.val_loss !== undefined) final.val_loss = last.val_loss;
    if (last.val_accuracy !== undefined && task === 'classification') final.val_accuracy = last.val_accuracy;
    if (valMetrics) Object.assign(final, lastVal ?? valMetrics());
    if (json) {
      process.stdout.write(`${JSON.stringify({ model: outName, task, features, target, classes, rows: { training: nTrain, validation: rows - nTrain }, epochs: result.history.epoch.length, seconds: result.seconds, samplesPerSecond: result.samplesPerSecond, final, history: result.history })}\n`);
    } else if (!quiet) {
      process.stdout.write(`${Object.entries(final).map(([k, v]) => `${k} ${formatMetric(k, v)}`).join('  ')}\nwrote ${outName} (${result.history.epoch.length} epochs in ${result.seconds.toFixed(1)} s)\n`);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DivergenceError) throw new CliError(`training diverged: ${e.message} Nothing was written.`, EXIT.failed);
    if (e instanceof ValidationError) throw new CliError(e.message); // and its subclass ResourceError
    throw e;
  } finally {
    net.dispose();
  }
}
