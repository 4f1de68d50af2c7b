// backprop-wasm predict <model.json> <data.csv>: one CSV line (or JSON object) per row.
import { parseFlags, positionals } from '../args.js';
import { features, loadModel, predictions } from '../apply.js';
import { csvField, readTable } from '../csv.js';
import { EXIT } from '../errors.js';

export async function predictCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('predict', argv, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (values.help) return 'help';
  const [modelPath, dataPath] = positionals('predict', given, ['model.json', 'data.csv']);
  const loaded = await loadModel(modelPath!);
  try {
    const table = readTable(dataPath!);
    const preds = predictions(loaded, features(loaded, table));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(preds)}\n`);
    } else {
      const lines = preds.map((p) => ('value' in p ? String(p.value) : `${csvField(p.class)},${p.probability.toFixed(6)}`));
      const head = loaded.file.task === 'regression' ? csvField(loaded.file.target) : `${csvField(loaded.file.target)},probability`;
      process.stdout.write(`${head}\n${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    loaded.net.dispose();
  }
}
