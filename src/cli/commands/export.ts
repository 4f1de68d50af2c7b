// backprop-wasm export <model.json> --format onnx|tfjs --out <path>: the network of a model file
// (the CLI's, or the library's toJSON()) as ONNX or as a TensorFlow.js layers model.
import { readFileSync } from 'node:fs';
import { Network, ValidationError } from '../../index.node.js';
import { toONNX } from '../../interchange/onnx/index.js';
import { saveLayersModel } from '../../interchange/tfjs/index.node.js';
import { WEIGHTS_FILE } from '../../interchange/tfjs/export.js';
import { parseFlags, positionals } from '../args.js';
import { CliError, EXIT } from '../errors.js';
import { checkOutputFile, checkOutputFolder, writeFileAtomic, writeFolderAtomic } from '../files.js';

async function readNetwork(path: string): Promise<{ net: Network; standardized: boolean }> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: cannot read a model file: ${(e as Error).message}`);
  }
  const cli = typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'backprop-wasm-cli';
  try {
    return { net: await Network.fromJSON((cli ? (json as { model: unknown }).model : json) as never), standardized: cli };
  } catch (e) {
    throw new CliError(`${path}: the network in it is not valid: ${(e as Error).message}`);
  }
}

export async function exportCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('export', argv, {
    format: { type: 'string' }, out: { type: 'string' }, opset: { type: 'string' }, help: { type: 'boolean' },
  });
  if (values.help) return 'help';
  const [modelPath] = positionals('export', given, ['model.json']);
  const format = values.format;
  if (format !== 'onnx' && format !== 'tfjs') throw new CliError(`--format must be onnx or tfjs; got ${format === undefined ? 'nothing' : JSON.stringify(format)} (backprop-wasm export --help)`);
  if (typeof values.out !== 'string') throw new CliError('--out <path> is required: the .onnx file, or the folder for model.json and weights.bin');
  const opset = values.opset === undefined ? undefined : Number(values.opset);
  if (opset !== undefined && (format !== 'onnx' || !Number.isInteger(opset))) throw new CliError('--opset takes an integer, with --format onnx');
  // The output is checked before any work; the tfjs folder is replaced as a whole.
  const out = format === 'onnx' ? checkOutputFile(values.out, [modelPath!]) : checkOutputFolder(values.out, [modelPath!], ['model.json', WEIGHTS_FILE]);
  const { net, standardized } = await readNetwork(modelPath!);
  try {
    if (format === 'onnx') await writeFileAtomic(out, toONNX(net, opset === undefined ? {} : { opset }));
    else await writeFolderAtomic(out, (dir) => saveLayersModel(net, dir));
  } catch (e) {
    if (e instanceof CliError) throw e;
    // A refused option (say --opset 9) is a usage error (exit 2); anything else, a failed run (exit 1).
    throw new CliError(`export failed: ${(e as Error).message}`, e instanceof ValidationError ? EXIT.usage : EXIT.failed);
  } finally {
    net.dispose();
  }
  process.stdout.write(`wrote ${values.out} (${format}, ${net.sizes.join('-')})\n`);
  if (standardized) process.stdout.write('note: the exported network takes standardized features, as the CLI trained it: (x - mean) / std with the scaler in the model file\n');
  return EXIT.ok;
}
