// backprop-wasm predict <model.json> <data.csv>: one CSV line (or JSON object) per row: the class
// and its probability (every class's with --proba), or the value; --id carries a column through.
import { parseFlags, positionals, text } from '../args.js';
import { features, loadModel, predictions, readFor, type Prediction } from '../apply.js';
import { columnIndex, csvField, parseDelimiter } from '../csv.js';
import { CliError, EXIT } from '../errors.js';

export async function predictCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('predict', argv, {
    json: { type: 'boolean' },
    proba: { type: 'boolean' },
    id: { type: 'string' },
    delimiter: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return 'help';
  const [modelPath, dataPath] = positionals('predict', given, ['model.json', 'data.csv']);
  const delimiter = parseDelimiter(text(values, 'delimiter'));
  const idName = text(values, 'id'),
    proba = values.proba === true;
  const loaded = await loadModel(modelPath!);
  try {
    const { file } = loaded;
    if (proba && file.task !== 'classification')
      throw new CliError("--proba gives each class's probability, but this model predicts a value (regression)");
    // An --id named like an output column would overwrite it (--json) or repeat it in the CSV header.
    const outputs = [
      file.target,
      'class',
      'probability',
      'probabilities',
      'value',
      ...(file.classes ?? []).map((c) => `probability_${c}`),
    ];
    if (idName !== undefined && outputs.includes(idName)) {
      throw new CliError(
        `--id "${idName}" has the name of an output column (${[...new Set(outputs)].map((c) => `"${c}"`).join(', ')}): rename that column in the file, or leave --id out`,
      );
    }
    const table = readFor(
      loaded,
      dataPath!,
      delimiter,
      idName === undefined ? [] : [{ name: idName, role: '--id column' }],
    );
    const ids = idName === undefined ? null : table.rows.map(({ fields }) => fields[columnIndex(table, idName)]!);
    const preds = predictions(loaded, features(loaded, table, 'predict'), proba);
    const classes = file.classes ?? [];
    if (values.json) {
      const objects = preds.map((p: Prediction, r) => ({
        ...(ids ? { [idName!]: ids[r] } : {}),
        ...('value' in p
          ? { value: p.value }
          : {
              class: p.class,
              probability: p.probability,
              ...(proba ? { probabilities: Object.fromEntries(classes.map((c, k) => [c, p.probabilities![k]])) } : {}),
            }),
      }));
      process.stdout.write(`${JSON.stringify(objects)}\n`);
    } else {
      const head = [
        ...(ids ? [idName!] : []),
        file.target,
        ...(file.task === 'regression' ? [] : proba ? classes.map((c) => `probability_${c}`) : ['probability']),
      ];
      const lines = preds.map((p, r) =>
        [
          ...(ids ? [ids[r]!] : []),
          ...('value' in p
            ? [String(p.value)]
            : [p.class, ...(proba ? p.probabilities!.map((v) => v.toFixed(6)) : [p.probability.toFixed(6)])]),
        ]
          .map(csvField)
          .join(','),
      );
      process.stdout.write(`${head.map(csvField).join(',')}\n${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    loaded.net.dispose();
  }
}
