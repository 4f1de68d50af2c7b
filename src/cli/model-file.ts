// The CLI's model file: the library's model JSON wrapped with what the CLI needs to read a CSV the
// same way again (feature columns and their encoding, missing-value fill, target, task, scalers, class
// names). Written atomically (files.ts). Version 1 files (numeric features only) are read too.
import { readFileSync } from 'node:fs';
import type { ModelJSON } from '../index.node.js';
import { inputNames, MISSING, type Encoding, type Missing } from './columns.js';
import type { Scaler, Task } from './dataset.js';
import { CliError } from './errors.js';
import { writeFileAtomic } from './files.js';

export const FORMAT = 'backprop-wasm-cli';
export const VERSION = 2;

export interface ModelFile {
  format: typeof FORMAT;
  version: 1 | typeof VERSION;
  /** The feature columns, in input order. */
  features: string[];
  /** Version 2: how each feature column becomes inputs (text columns one-hot over their categories). */
  encoding?: Encoding[];
  /** Version 2: what --missing the model was trained with; 'mean' fills empty numeric fields with `fill`. */
  missing?: Missing;
  fill?: Record<string, number> | null;
  target: string;
  task: Task;
  /** Input standardization (one per input: mean 0, std 1 for one-hot inputs), from the training rows. */
  scaler: Scaler;
  /** Regression: the target's standardization (the network predicts standardized values). */
  targetScaler: Scaler | null;
  /** Classification: class names, in output order. */
  classes: string[] | null;
  model: ModelJSON;
}

/** The file's feature encoding (a version 1 file: every feature numeric). */
export const encodingOf = (f: ModelFile): Encoding[] => f.encoding ?? f.features.map((column) => ({ column }));

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
  const bad = (what: string): never => {
    throw new CliError(`${path} is not a backprop-wasm command-line model: ${what}`);
  };
  const f = json as Partial<ModelFile> | null;
  if (typeof f !== 'object' || f === null) return bad('not a JSON object');
  if (f.format !== FORMAT) {
    return bad(
      `format is ${JSON.stringify(f.format)}, expected "${FORMAT}"${'layers' in f || 'weights' in f ? ' (a library model saved with net.toJSON() has no feature names or scaler; train it with "backprop-wasm train")' : ''}`,
    );
  }
  if (f.version !== 1 && f.version !== VERSION)
    bad(`version ${JSON.stringify(f.version)}; this CLI reads versions 1 and ${VERSION}`);
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const numbers = (v: unknown, n: number): boolean =>
    Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const unique = (v: string[]): boolean => new Set(v).size === v.length;
  if (!strings(f.features) || f.features.length === 0 || !unique(f.features))
    bad('"features" must list the feature columns, each once');
  if (typeof f.target !== 'string') bad('"target" must name the target column');
  if (f.task !== 'classification' && f.task !== 'regression') bad('"task" must be classification or regression');
  if (f.version === 1) {
    f.encoding = undefined;
    f.missing = undefined;
    f.fill = undefined;
  }
  if (f.encoding !== undefined) {
    const ok =
      Array.isArray(f.encoding) &&
      f.encoding.length === f.features!.length &&
      f.encoding.every(
        (e, i) =>
          typeof e === 'object' &&
          e !== null &&
          e.column === f.features![i] &&
          (e.categories === undefined || (strings(e.categories) && e.categories.length > 0 && unique(e.categories))),
      );
    if (!ok) bad('"encoding" must give each feature column, in order, with its categories if it is text');
  }
  if (f.missing !== undefined && !(MISSING as readonly string[]).includes(f.missing))
    bad(`"missing" must be one of ${MISSING.join(', ')}`);
  if (f.missing === 'mean') {
    const numeric = encodingOf(f as ModelFile)
      .filter((e) => !e.categories)
      .map((e) => e.column);
    if (
      typeof f.fill !== 'object' ||
      f.fill === null ||
      !numeric.every((c) => Object.hasOwn(f.fill!, c) && typeof f.fill![c] === 'number' && Number.isFinite(f.fill![c]))
    )
      bad('"fill" needs a finite mean for each numeric feature');
  }
  const n = inputNames(encodingOf(f as ModelFile)).length;
  if (!numbers(f.scaler?.mean, n) || !numbers(f.scaler?.std, n))
    bad(`"scaler" needs ${n} means and standard deviations`);
  if (!f.scaler!.std.every((s) => s > 0)) bad('"scaler" standard deviations must be greater than 0');
  if (f.task === 'classification' && (!strings(f.classes) || f.classes.length < 2 || !unique(f.classes)))
    bad('"classes" must list the class names, each once');
  if (
    f.task === 'regression' &&
    (!numbers(f.targetScaler?.mean, 1) || !numbers(f.targetScaler?.std, 1) || !(f.targetScaler!.std[0]! > 0))
  ) {
    bad('"targetScaler" needs one mean and a standard deviation greater than 0');
  }
  if (typeof f.model !== 'object' || f.model === null) bad('"model" must be the network (net.toJSON())');
  return f as ModelFile;
}
