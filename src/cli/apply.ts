// Applying a saved CLI model to a CSV table: the network, the features read, encoded and scaled as
// in training, and the predictions in the target's terms (class and probabilities, or value).
import { Network, type FloatArray } from '../index.node.js';
import { argmax } from '../internal.js';
import { encode, inputNames, missingHint } from './columns.js';
import { columnIndex, readTable, type Table } from './csv.js';
import { checkScaled, scale, unscale } from './dataset.js';
import { CliError } from './errors.js';
import { encodingOf, readModelFile, type ModelFile } from './model-file.js';

export interface Loaded {
  file: ModelFile;
  net: Network;
}

export async function loadModel(path: string): Promise<Loaded> {
  const file = readModelFile(path);
  try {
    const net = await Network.fromJSON(file.model);
    const outputs = file.classes?.length ?? 1,
      inputs = inputNames(encodingOf(file)).length;
    const takes = net.inputShape.reduce((x, y) => x * y, 1); // an image network's input is its image, not its first dense layer
    if (takes !== inputs || net.sizes.at(-1) !== outputs) {
      net.dispose();
      throw new Error(
        `the network takes ${takes} inputs (${net.inputShape.join('×')}) and gives ${net.sizes.at(-1)} outputs, but the file lists ${inputs} inputs and ${outputs} outputs`,
      );
    }
    return { file, net };
  } catch (e) {
    throw new CliError(`${path}: the network in it is not valid: ${(e as Error).message}`);
  }
}

/**
 * Reads `path` for a model, checking from the header alone (before any data row is parsed) that
 * it has the model's feature columns, `extra` columns (the target for evaluate, --id) too.
 */
export function readFor(
  { file }: Loaded,
  path: string,
  delimiter: string | undefined,
  extra: { name: string; role: string }[] = [],
): Table {
  return readTable(path, {
    delimiter,
    header: (t) => {
      const missing = file.features.filter((c) => !t.header.includes(c));
      if (missing.length)
        throw new CliError(
          `${path} lacks the model's feature column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; its columns are: ${t.header.join(', ')}`,
        );
      for (const { name, role } of extra) columnIndex(t, name, role);
    },
  });
}

/**
 * The model's inputs from `table` (by column name, in the model's order), encoded and standardized,
 * in the network's dtype. An empty field is an error naming its line unless the model was trained
 * with --missing mean; a value that scaling makes unusable (e.g. 1e300 in float32) is an error on
 * its line and column.
 */
export function features({ file, net }: Loaded, table: Table, command: 'predict' | 'evaluate'): FloatArray {
  const enc = encodingOf(file);
  const raw = encode(
    table,
    enc,
    file.missing === 'mean' ? (file.fill ?? null) : null,
    missingHint(command, file.missing ?? 'error'),
  );
  const x = scale(raw, file.scaler);
  checkScaled(table, inputNames(enc), x, net.dtype, ' by the model');
  return net.dtype === 'float64' ? x : Float32Array.from(x);
}

/** A row's prediction: the class and its probability (every class's with `proba`), or the value. */
export type Prediction = { class: string; probability: number; probabilities?: number[] } | { value: number };

export function predictions({ file, net }: Loaded, x: FloatArray, proba = false): Prediction[] {
  const out = net.predict(x);
  if (file.task === 'regression') return Array.from(unscale(out, file.targetScaler!), (value) => ({ value }));
  const k = file.classes!.length;
  return Array.from({ length: out.length / k }, (_, r) => {
    const best = argmax(out, r * k, k);
    return {
      class: file.classes![best]!,
      probability: out[r * k + best]!,
      ...(proba ? { probabilities: Array.from(out.subarray(r * k, r * k + k)) } : {}),
    };
  });
}
