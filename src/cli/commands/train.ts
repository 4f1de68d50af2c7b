// backprop-wasm train <data.csv> --target <column>: CSV to a trained model file.
import {
  DivergenceError,
  Network,
  ValidationError,
  type FitOptions,
  type FloatArray,
  type LayerOptions,
} from '../../index.node.js';
import { choice, number, parseFlags, positionals, text } from '../args.js';
import { HIDDEN_ACTIVATIONS } from '../../internal.js';
import { OPTIMIZER_NAMES } from '../../internal.js';
import { MISSING } from '../columns.js';
import { parseDelimiter } from '../csv.js';
import { regressionMetrics, taskFromFlags, unscale } from '../dataset.js';
import { CliError, EXIT } from '../errors.js';
import { checkOutputFile } from '../files.js';
import { VERSION, writeModelFile, type ModelFile } from '../model-file.js';
import { describeLayers, inCliTerms, networkLayers, onlyDense, parseInputShape, parseLayers } from '../layer-spec.js';
import { prepare } from '../prepare.js';
import { createProgress, everyOf, formatMetric, jsonLines } from '../progress.js';
import { SPLIT_ORDERS } from '../split.js';
import { withInterrupt } from '../signals.js';
import { train } from '../training.js';

const FLAGS = {
  target: { type: 'string' },
  layers: { type: 'string' },
  activation: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  optimizer: { type: 'string' },
  loss: { type: 'string' },
  task: { type: 'string' },
  'input-shape': { type: 'string' },
  features: { type: 'string' },
  ignore: { type: 'string' },
  delimiter: { type: 'string' },
  missing: { type: 'string' },
  patience: { type: 'string' },
  'split-order': { type: 'string' },
  'validation-split': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  dtype: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** The defaults, measured on small real tables (scripts/cli_baselines.py; docs/cli.md). */
export const DEFAULTS = { hidden: [16], epochs: 500, patience: 20, batchSize: 32, learningRate: 0.01 } as const;

/**
 * The library's history with its epoch numbers 1-based (epoch, bestEpoch, stoppedEpoch), as the
 * CLI's text, its per-epoch JSON lines and the summary's bestEpoch count them.
 */
function oneBased<H extends { epoch: number[]; bestEpoch?: number; stoppedEpoch?: number }>(h: H): H {
  return {
    ...h,
    epoch: h.epoch.map((e) => e + 1),
    ...(h.bestEpoch !== undefined && h.bestEpoch >= 0 ? { bestEpoch: h.bestEpoch + 1 } : {}),
    ...(h.stoppedEpoch !== undefined ? { stoppedEpoch: h.stoppedEpoch + 1 } : {}),
  };
}

export async function trainCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('train', argv, FLAGS);
  if (values.help) return 'help';
  const [file] = positionals('train', given, ['data.csv']);
  const target = text(values, 'target');
  if (target === undefined)
    throw new CliError('train needs --target <column>, the column to predict: run "backprop-wasm train --help"');
  const activation = choice(values, 'activation', HIDDEN_ACTIVATIONS, 'relu');
  const spec = parseLayers(text(values, 'layers', DEFAULTS.hidden.join(',')), activation);
  const shapeFlag = text(values, 'input-shape');
  const inputShape = shapeFlag === undefined ? null : parseInputShape(shapeFlag);
  // The spec's shapes, checked before the data is read (the output's size is not known yet: a placeholder).
  networkLayers(spec, inputShape, { units: 2, activation: 'softmax' });
  const epochs = number(values, 'epochs', DEFAULTS.epochs, { min: 1, integer: true })!;
  const batchSize = number(values, 'batch-size', DEFAULTS.batchSize, { min: 1, integer: true })!;
  const optimizer = choice(values, 'optimizer', OPTIMIZER_NAMES, 'adam');
  const learningRate = number(values, 'learning-rate', DEFAULTS.learningRate, { min: 0, above: true })!;
  const taskFlag = taskFromFlags(text(values, 'task'), text(values, 'loss'));
  const split = number(values, 'validation-split', 0.2, { min: 0, max: 0.9 })!;
  const patience = number(values, 'patience', DEFAULTS.patience, { min: 0, integer: true })!;
  const splitOrder = choice(values, 'split-order', SPLIT_ORDERS, 'shuffle');
  const missing = choice(values, 'missing', MISSING, 'error');
  const delimiter = parseDelimiter(text(values, 'delimiter'));
  const seed = number(values, 'seed', 1, { min: 0, max: 2 ** 31 - 1, integer: true })!;
  const backend = choice(values, 'backend', ['wasm', 'js'] as const, 'wasm');
  const dtype = choice(values, 'dtype', ['float32', 'float64'] as const, 'float32');
  const outName = text(values, 'out', 'model.json');
  const json = values.json === true,
    quiet = values.quiet === true;
  const out = checkOutputFile(outName, [file!]);

  const p = prepare({
    file: file!,
    target,
    features: text(values, 'features'),
    ignore: text(values, 'ignore'),
    delimiter,
    missing,
    task: taskFlag,
    split,
    splitOrder,
    seed,
    dtype,
    inputShape,
  });
  const { table, task, classes, nTrain, x, y, inputs } = p;
  const rows = table.rows.length,
    cols = inputs.length,
    outputs = classes?.length ?? 1;
  const xTrain = x.subarray(0, nTrain * cols),
    yTrain = y.subarray(0, nTrain * outputs);
  const xVal = x.subarray(nTrain * cols),
    yVal = y.subarray(nTrain * outputs);
  const validating = nTrain < rows,
    stopping = validating && patience > 0;
  const note = (s: string): void => {
    if (!quiet) (json ? process.stderr : process.stdout).write(`${s}\n`);
  };
  const text_ = p.encoding.filter((e) => e.categories);
  note(
    `${file}: ${rows} rows${p.dropped ? ` (${p.dropped} with an empty field left out, --missing ${missing})` : ''}, ${p.features.length} features${text_.length ? ` (${text_.map((e) => `"${e.column}" text, ${e.categories!.length} categories`).join('; ')}: ${cols} inputs)` : ''}`,
  );
  note(
    task === 'classification'
      ? `task: classification, ${outputs} classes of "${target}" (${classes!.join(', ')}): ${p.taskReason}`
      : `task: regression, "${target}" as a value: ${p.taskReason}${taskFlag === 'auto' ? '; give --task classification to learn classes' : ''}`,
  );
  const output = task === 'classification' ? 'softmax' : 'linear';
  const layers = networkLayers(spec, inputShape, { units: outputs, activation: output });
  const hidden = spec.layers.map((l) => l.units as number),
    mlp = !inputShape && onlyDense(spec);
  const network = mlp
    ? `${[cols, ...hidden].join('-')}-${outputs} ${hidden.length ? `${activation} hidden, ` : 'no hidden layer, '}`
    : `${describeLayers(inputShape ?? [cols], layers, spec)}: ${activation} hidden, `;
  note(
    `network ${network}${task === 'classification' ? 'softmax output, cross-entropy' : 'linear output, mse'}; ${nTrain} rows for training, ${rows - nTrain} for validation (${splitOrder === 'file' ? 'the last rows' : classes ? 'a stratified shuffle' : 'shuffled'})`,
  );
  note(
    `up to ${epochs} epochs at learning rate ${learningRate} (${optimizer})${stopping ? `, stopping after ${patience} without a lower val_loss and keeping the best epoch's weights (--patience)` : ''}`,
  );
  for (const w of p.warnings) process.stderr.write(`backprop-wasm: warning: ${w}\n`);

  let net: Network;
  try {
    const loss = task === 'classification' ? 'crossEntropy' : 'mse';
    // A list of hidden sizes keeps the compact form (the network it always built); anything else, the general form.
    net = await (mlp
      ? Network.create({ layers: [cols, ...hidden, outputs], activation, output, loss, dtype, backend, seed })
      : // The parsed layers are plain objects of the descriptors' option names, checked by the library (networkLayers did already).
        Network.create({
          inputShape: inputShape ?? [cols],
          layers: layers.layers as unknown as LayerOptions[],
          loss,
          dtype,
          backend,
          seed,
        }));
  } catch (e) {
    throw new CliError(`cannot build the network: ${inCliTerms((e as Error).message, layers.names)}`);
  }
  if (!mlp && !quiet) note(net.summary());
  try {
    const fit: FitOptions = {
      epochs,
      batchSize,
      learningRate,
      optimizer,
      ...(validating ? { validationData: [xVal, yVal] } : {}),
      ...(stopping ? { earlyStopping: { monitor: 'val_loss', patience, restoreBestWeights: true } } : {}),
    };
    const truth = p.targets.slice(nTrain).map(Number);
    const valByEpoch: Record<string, number>[] = [];
    const valMetrics =
      task === 'regression' && validating
        ? () => {
            const m = regressionMetrics(
              unscale(net.predict(xVal) as FloatArray, p.targetScaler!),
              truth,
              p.targetScaler!.std[0],
            );
            valByEpoch.push({ val_mae: m.mae, val_rmse: m.rmse });
            return valByEpoch.at(-1)!;
          }
        : undefined;
    const text = createProgress({ epochs, quiet, stream: json ? process.stderr : process.stdout });
    const progress = json ? everyOf(text, jsonLines(process.stdout)) : text;
    const result = await withInterrupt((signal) =>
      train({ net, x: xTrain, y: yTrain, fit, progress, metrics: valMetrics, signal }),
    );
    const model: ModelFile = {
      format: 'backprop-wasm-cli',
      version: VERSION,
      features: p.features,
      encoding: p.encoding,
      missing,
      fill: p.fill,
      target,
      task,
      scaler: p.scaler,
      targetScaler: p.targetScaler,
      classes,
      model: net.toJSON(),
    };
    await writeModelFile(out, model);
    const { history } = result;
    const ran = history.epoch.length;
    // With early stopping the network has the best epoch's weights: report that epoch.
    const kept =
      history.bestEpoch !== undefined && history.bestEpoch >= 0 ? history.bestEpoch - history.epoch[0]! : ran - 1;
    const at = (k: string): number | undefined =>
      (history as unknown as Record<string, number[] | undefined>)[k]?.[kept];
    const final: Record<string, number> = { loss: at('loss')! };
    if (task === 'classification') final.accuracy = at('accuracy')!;
    if (at('val_loss') !== undefined) final.val_loss = at('val_loss')!;
    if (task === 'classification' && at('val_accuracy') !== undefined) final.val_accuracy = at('val_accuracy')!;
    if (valByEpoch[kept]) Object.assign(final, valByEpoch[kept]);
    const stopped = history.stoppedEpoch !== undefined;
    const summary = `${stopped ? `stopped after epoch ${ran}: val_loss last fell in epoch ${kept + 1}, whose weights are kept` : `ran ${ran} epochs${stopping ? `; the weights of epoch ${kept + 1} (the lowest val_loss) are kept` : ''}`}`;
    if (json) {
      process.stdout.write(
        `${JSON.stringify({
          event: 'summary',
          model: outName,
          task,
          features: p.features,
          inputs,
          target,
          classes,
          inputShape: net.inputShape,
          layers: net.layers,
          rows: { training: nTrain, validation: rows - nTrain, dropped: p.dropped },
          epochs: ran,
          bestEpoch: kept + 1,
          stoppedEarly: stopped,
          seconds: result.seconds,
          samplesPerSecond: result.samplesPerSecond,
          final,
          history: oneBased(history),
        })}\n`,
      );
      note(summary);
    } else if (!quiet) {
      process.stdout.write(
        `${summary}\n${Object.entries(final)
          .map(([k, v]) => `${k} ${formatMetric(k, v)}`)
          .join('  ')}\nwrote ${outName} (${ran} epochs in ${result.seconds.toFixed(1)} s)\n`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DivergenceError) {
      const what = /^fit: (.*?) in epoch/.exec(e.message)?.[1] ?? e.message;
      throw new CliError(
        `training diverged in epoch ${e.epoch + 1} of ${epochs} (batch ${e.batch + 1}): ${what}. The features are already standardized by the CLI; ` +
          `try a lower --learning-rate (it was ${learningRate})${optimizer === 'adam' ? ' or a larger --batch-size' : ', a larger --batch-size, or --optimizer adam'}. Nothing was written.`,
        EXIT.failed,
      );
    }
    if (e instanceof ValidationError) throw new CliError(e.message); // and its subclass ResourceError
    throw e;
  } finally {
    net.dispose();
  }
}
