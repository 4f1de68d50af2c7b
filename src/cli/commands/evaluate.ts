// backprop-wasm evaluate <model.json> <data.csv>: loss and accuracy, or MAE and RMSE.
import type { FloatArray } from '../../index.node.js';
import { parseFlags, positionals } from '../args.js';
import { features, loadModel, predictions } from '../apply.js';
import { readTable } from '../csv.js';
import { isNumeric, oneHot, regressionMetrics, targetValues } from '../dataset.js';
import { dataError, EXIT } from '../errors.js';
import { formatMetric } from '../progress.js';

export async function evaluateCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('evaluate', argv, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (values.help) return 'help';
  const [modelPath, dataPath] = positionals('evaluate', given, ['model.json', 'data.csv']);
  const loaded = await loadModel(modelPath!);
  try {
    const { file, net } = loaded;
    const table = readTable(dataPath!);
    const targets = targetValues(table, file.target);
    const x = features(loaded, table);
    let result: Record<string, number>;
    let confusionMatrix: number[][] | undefined;
    if (file.task === 'classification') {
      const y = oneHot(table, file.target, targets, file.classes!);
      const { confusionMatrix: matrix, ...scalars } = net.evaluate(x, (net.dtype === 'float64' ? y : Float32Array.from(y)) as FloatArray);
      result = scalars as Record<string, number>;
      confusionMatrix = matrix;
    } else {
      const truth = targets.map((v, r) => {
        if (!isNumeric(v)) throw dataError(table.file, table.rows[r]!.line, `column "${file.target}" (the target) is not a number: "${v}"; the model predicts a value`);
        return Number(v);
      });
      const pred = predictions(loaded, x).map((p) => ('value' in p ? p.value : NaN));
      result = regressionMetrics(pred, truth, file.targetScaler!.std[0]);
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ rows: table.rows.length, ...result, ...(confusionMatrix ? { confusionMatrix } : {}) })}\n`);
    else process.stdout.write(`${table.rows.length} rows  ${Object.entries(result).map(([k, v]) => `${k} ${formatMetric(k, v)}`).join('  ')}\n`);
    return EXIT.ok;
  } finally {
    loaded.net.dispose();
  }
}
