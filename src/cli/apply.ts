// Applying a saved CLI model to a CSV table: the network, the features read and scaled as in
// training, and the predictions in the target's terms (class and probability, or value).
import { Network, type FloatArray } from '../index.node.js';
import { argmax } from '../ops/accuracy.js';
import type { Table } from './csv.js';
import { checkScaled, numericColumns, scale, unscale } from './dataset.js';
import { CliError } from './errors.js';
import { readModelFile, type ModelFile } from './model-file.js';

export interface Loaded { file: ModelFile; net: Network }

export async function loadModel(path: string): Promise<Loaded> {
  const file = readModelFile(path);
  try {
    const net = await Network.fromJSON(file.model);
    const outputs = file.classes?.length ?? 1;
    if (net.sizes[0] !== file.features.length || net.sizes.at(-1) !== outputs) {
      net.dispose();
      throw new Error(`the network is ${net.sizes.join('-')} but the file lists ${file.features.length} features and ${outputs} outputs`);
    }
    return { file, net };
  } catch (e) {
    throw new CliError(`${path}: the network in it is not valid: ${(e as Error).message}`);
  }
}

/**
 * The model's features from `table` (by name, in the model's order), standardized, in the network's
 * dtype. A value that scaling makes unusable (e.g. 1e300 in float32) is an error on its line and column.
 */
export function features({ file, net }: Loaded, table: Table): FloatArray {
  const x = scale(numericColumns(table, file.features), file.scaler);
  checkScaled(table, file.features, x, net.dtype, ' by the model');
  return net.dtype === 'float64' ? x : Float32Array.from(x);
}

export type Prediction = { class: string; probability: number } | { value: number };

export function predictions({ file, net }: Loaded, x: FloatArray): Prediction[] {
  const out = net.predict(x);
  if (file.task === 'regression') return Array.from(unscale(out, file.targetScaler!), (value) => ({ value }));
  const k = file.classes!.length;
  return Array.from({ length: out.length / k }, (_, r) => {
    const best = argmax(out, r * k, k);
    return { class: file.classes![best]!, probability: out[r * k + best]! };
  });
}
