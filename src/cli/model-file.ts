// The CLI's model file: the library's model JSON wrapped with what the CLI needs to read a CSV the
// same way again (feature names, target, task, scalers, class names). Written atomically.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ModelJSON } from '../index.node.js';
import type { Scaler, Task } from './dataset.js';
import { CliError } from './errors.js';

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

/** Fails early, before training, if `path` cannot be written in the end. */
export function checkWritable(path: string): void {
  const dir = dirname(path);
  let ok = false;
  try { ok = statSync(dir).isDirectory(); } catch { /* reported below */ }
  if (!ok) throw new CliError(`cannot write ${path}: the folder ${dir} does not exist`);
  try {
    if (statSync(path).isDirectory()) throw new CliError(`cannot write ${path}: it is a folder; give a file name, e.g. ${join(path, 'model.json')}`);
  } catch (e) {
    if (e instanceof CliError) throw e;
  }
}

/**
 * Writes `text` to a temporary file next to `path`, then renames it over `path`: readers see the old
 * file or the new one, never half of one, and a failure leaves no file behind.
 */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`, 1);
  } finally {
    pending.delete(tmp);
  }
}

/** Temporary files being written; removed if the process is interrupted. */
const pending = new Set<string>();
export function removePending(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
}

export function writeModelFile(path: string, file: ModelFile): void {
  writeAtomic(path, `${JSON.stringify(file)}\n`);
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
  if (!strings(f.features) || f.features.length === 0) bad('"features" must list the feature columns');
  if (typeof f.target !== 'string') bad('"target" must name the target column');
  if (f.task !== 'classification' && f.task !== 'regression') bad('"task" must be classification or regression');
  const n = f.features!.length;
  if (!numbers(f.scaler?.mean, n) || !numbers(f.scaler?.std, n)) bad(`"scaler" needs ${n} means and standard deviations`);
  if (!f.scaler!.std.every((s) => s > 0)) bad('"scaler" standard deviations must be greater than 0');
  if (f.task === 'classification' && (!strings(f.classes) || f.classes.length < 2)) bad('"classes" must list the class names');
  if (f.task === 'regression' && (!numbers(f.targetScaler?.mean, 1) || !numbers(f.targetScaler?.std, 1))) bad('"targetScaler" needs one mean and standard deviation');
  if (typeof f.model !== 'object' || f.model === null) bad('"model" must be the network (net.toJSON())');
  return f as ModelFile;
}
