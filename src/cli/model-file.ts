// The CLI's model file: the library's model JSON wrapped with what the CLI needs to read a CSV the
// same way again (feature names, target, task, scalers, class names). Written atomically (files.ts).
import { readFileSync } from 'node:fs';
import type { ModelJSON } from '../index.node.js';
import type { Scaler, Task } from './dataset.js';
import { CliError } from './errors.js';
import { writeFileAtomic } from './files.js';

export const FORMAT = 'backprop-wasm-cli';
export const VERSION = 1;

export interface ModelFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  features: string[];
  target: string;
  task: Task;
  /** Feature standardization, from the training rows. */
  scaler: Scaler;
  /** Regression: the target's standardization (the network predicts standardized values). */
  targetScaler: Scaler | null;
  /** Classification: class names, in output order. */
  classes: string[] | null;
  model: ModelJSON;
}

export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(file)}\n`);
}

export function readModelFile(path: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read model ${path}: ${(e as Error).message}`);
  }
  const bad = (what: string): never => { throw new CliError(`${path} is not a backprop-wasm command-line model: ${what}`); };
  const f = json as Partial<ModelFile> | null;
  if (typeof f !== 'object' || f === null) return bad('not a JSON object');
  if (f.format !== FORMAT) {
    return bad(`format is ${JSON.stringify(f.format)}, expected "${FORMAT}"${'layers' in f || 'weights' in f ? ' (a library model saved with net.toJSON() has no feature names or scaler; train it with "backprop-wasm train")' : ''}`);
  }
  if (f.version !== VERSION) bad(`version ${JSON.stringify(f.version)}; this CLI reads version ${VERSION}`);
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const numbers = (v: unknown, n: number): boolean => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const unique = (v: string[]): boolean => new Set(v).size === v.length;
  if (!strings(f.features) || f.features.length === 0 || !unique(f.features)) bad('"features" must list the feature columns, each once');
  if (typeof f.target !== 'string') bad('"target" must name the target column');
  if (f.task !== 'classification' && f.task !== 'regression') bad('"task" must be classification or regression');
  const n = f.features!.length;
  if (!numbers(f.scaler?.mean, n) || !numbers(f.scaler?.std, n)) bad(`"scaler" needs ${n} means and standard deviations`);
  if (!f.scaler!.std.every((s) => s > 0)) bad('"scaler" standard deviations must be greater than 0');
  if (f.task === 'classification' && (!strings(f.classes) || f.classes.length < 2 || !unique(f.classes))) bad('"classes" must list the class names, each once');
  if (f.task === 'regression' && (!numbers(f.targetScaler?.mean, 1) || !numbers(f.targetScaler?.std, 1) || !(f.targetScaler!.std[0]! > 0))) {
    bad('"targetScaler" needs one mean and a standard deviation greater than 0');
  }
  if (typeof f.model !== 'object' || f.model === null) bad('"model" must be the network (net.toJSON())');
  return f as ModelFile;
}
