// backprop-wasm evaluate <model.json> <data.csv>: loss, accuracy, precision/recall/F1 and the
// confusion matrix (with class names) for classes; MAE and RMSE for values.
import type { FloatArray } from '../../index.node.js';
import { parseFlags, positionals, text } from '../args.js';
import { features, loadModel, predictions, readFor } from '../apply.js';
import { dropMissing, missingHint } from '../columns.js';
import { parseDelimiter } from '../csv.js';
import { isNumeric, oneHot, regressionMetrics, targetValues } from '../dataset.js';
import { dataError, EXIT } from '../errors.js';
import { formatMetric } from '../progress.js';

/** The confusion matrix as text: rows are the true classes, columns the predicted ones. */
export function confusionText(classes: string[], matrix: number[][]): string {
  const head = ['true \\ predicted', ...classes];
  const cells = [head, ...matrix.map((row, i) => [classes[i]!, ...row.map(String)])];
  const widths = head.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells
    .map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '))
    .join('\n');
}

export async function evaluateCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('evaluate', argv, {
    json: { type: 'boolean' },
    delimiter: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return 'help';
  const [modelPath, dataPath] = positionals('evaluate', given, ['model.json', 'data.csv']);
  const delimiter = parseDelimiter(text(values, 'delimiter'));
  const loaded = await loadModel(modelPath!);
  try {
    const { file, net } = loaded;
    let table = readFor(loaded, dataPath!, delimiter, [{ name: file.target, role: 'target column' }]);
    let dropped = 0;
    if (file.missing === 'drop') ({ table, dropped } = dropMissing(table, [file.target, ...file.features]));
    else if (file.missing === 'mean') ({ table, dropped } = dropMissing(table, [file.target]));
    const given = targetValues(table, file.target, missingHint('evaluate', file.missing ?? 'error'));
    // Numeric class labels were written String(Number(v)) in training (classLabels): 1.0 is class "1".
    const targets =
      file.task === 'classification' && file.classes!.every(isNumeric)
        ? given.map((v) => (isNumeric(v) ? String(Number(v)) : v))
        : given;
    const x = features(loaded, table, 'evaluate');
    let result: Record<string, number>;
    let confusionMatrix: number[][] | undefined;
    if (file.task === 'classification') {
      const y = oneHot(table, file.target, targets, file.classes!);
      const { confusionMatrix: matrix, ...scalars } = net.evaluate(
        x,
        (net.dtype === 'float64' ? y : Float32Array.from(y)) as FloatArray,
      );
      result = scalars as Record<string, number>;
      confusionMatrix = matrix;
    } else {
      const truth = targets.map((v, r) => {
        if (!isNumeric(v))
          throw dataError(
            table.file,
            table.rows[r]!.line,
            `column "${file.target}" (the target) is not a number: "${v}"; the model predicts a value`,
          );
        return Number(v);
      });
      const pred = predictions(loaded, x).map((p) => ('value' in p ? p.value : NaN));
      result = regressionMetrics(pred, truth, file.targetScaler!.std[0]);
    }
    const rows = table.rows.length;
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ rows, ...(dropped ? { dropped } : {}), ...result, ...(confusionMatrix ? { classes: file.classes, confusionMatrix } : {}) })}\n`,
      );
    } else {
      process.stdout.write(
        `${rows} rows${dropped ? ` (${dropped} with an empty field left out)` : ''}  ${Object.entries(result)
          .map(([k, v]) => `${k} ${formatMetric(k, v)}`)
          .join('  ')}\n`,
      );
      if (confusionMatrix)
        process.stdout.write(
          `confusion matrix (rows: true class, columns: predicted):\n${confusionText(file.classes!, confusionMatrix)}\n`,
        );
    }
    return EXIT.ok;
  } finally {
    loaded.net.dispose();
  }
}
