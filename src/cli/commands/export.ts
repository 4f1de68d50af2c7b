// backprop-wasm export <model.json> --format onnx|tfjs --out <path>: the network of a model file
// (the CLI's, or the library's toJSON()) as ONNX or as a TensorFlow.js layers model. A CLI model is
// exported self-contained: its feature scaling folded into the first layer, a regression target's
// into the last, its class names in the file's metadata.
import { readFileSync } from 'node:fs';
import { Network, ValidationError } from '../../index.node.js';
import type { ExportOptions } from '../../interchange/tfjs/index.node.js';
import { toONNX } from '../../interchange/onnx/index.js';
import { saveLayersModel } from '../../interchange/tfjs/index.node.js';
import { WEIGHTS_FILE } from '../../interchange/tfjs/index.node.js';
import { parseFlags, positionals } from '../args.js';
import { inputNames } from '../columns.js';
import { CliError, EXIT } from '../errors.js';
import { checkOutputFile, checkOutputFolder, writeFileAtomic, writeFolderAtomic } from '../files.js';
import { encodingOf, readModelFile, type ModelFile } from '../model-file.js';

async function readNetwork(path: string): Promise<{ net: Network; cli: ModelFile | null }> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: cannot read a model file: ${(e as Error).message}`);
  }
  const cli =
    typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'backprop-wasm-cli';
  try {
    const file = cli ? readModelFile(path) : null;
    return { net: await Network.fromJSON((file ? file.model : json) as never), cli: file };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: the network in it is not valid: ${(e as Error).message}`);
  }
}

/**
 * The largest |mean| / std of a feature the scaling can be folded into a float32 file for. The file
 * computes x·(W/std) + (b - mean·W/std): x rounded to float32 is off by up to |x|·2^-24 ≈ 6e-8·|x|,
 * which is |mean|/std · 6e-8 in standardized units, and the folded bias cancels x·W/std to the same
 * relative error. At 1e3 that is at most ~6e-5 of a standard deviation (under the ~1e-4 the exports
 * are tested to); a timestamp column (~1.7e9, spread 50, ratio ~3e7) would be off by several stds.
 */
export const MAX_FOLDED_OFFSET = 1e3;

/** Refuses a float32 export of a CLI model whose feature offset float32 cannot fold (see MAX_FOLDED_OFFSET). */
function checkFoldable(file: ModelFile, float32: boolean, format: string): void {
  if (!float32) return;
  const names = inputNames(encodingOf(file));
  const ratios = file.scaler.mean.map((m, i) => Math.abs(m) / file.scaler.std[i]!);
  const worst = ratios.reduce((w, r, i) => (r > ratios[w]! ? i : w), 0);
  if (!(ratios[worst]! > MAX_FOLDED_OFFSET)) return;
  const fix =
    format === 'onnx'
      ? 'train with --dtype float64 (the ONNX file is then double)'
      : 'export --format onnx from a model trained with --dtype float64 (TensorFlow.js files are float32)';
  throw new CliError(
    `cannot export to a float32 ${format} file: column "${names[worst]}" has mean ${file.scaler.mean[worst]} but std ${file.scaler.std[worst]} (|mean|/std ${ratios[worst]!.toPrecision(3)}, above ${MAX_FOLDED_OFFSET}); folding its scaling into float32 weights loses its signal to rounding. ${fix[0]!.toUpperCase()}${fix.slice(1)}, or centre the column (subtract a constant such as its first value) before training`,
    EXIT.usage,
  );
}

const isImage = (net: Network): boolean => net.inputShape.length === 3;

/**
 * An image network's pixel factor (the CLI divides every pixel by one number, pixelScaler) folded
 * into the first layer with weights: W / factor. Exact for any padding (there is no offset) and through
 * poolings and flatten before it (they commute with a positive factor). Export's inputScale cannot do
 * this: it folds a per-input mean and std into a first dense layer.
 */
function foldPixelScale(net: Network, file: ModelFile): void {
  const factor = file.scaler.std[0]!;
  if (!file.scaler.mean.every((m) => m === 0) || !file.scaler.std.every((s) => s === factor)) {
    throw new CliError(
      "this image model scales its pixels column by column, so its scaling cannot fold into the convolution's shared weights: retrain it with this CLI (which scales every pixel by one factor)",
      EXIT.usage,
    );
  }
  const divide = (w: unknown): unknown => (Array.isArray(w) ? w.map(divide) : (w as number) / factor);
  const weights = net.getWeights();
  weights[0] = { ...weights[0]!, W: divide(weights[0]!.W) as number[][] };
  net.setWeights(weights);
}

/** What makes the exported file take raw rows and name its classes (an image network's pixel factor is folded in already). */
function selfContained(file: ModelFile | null, image: boolean): ExportOptions {
  if (!file) return {};
  return {
    ...(image ? {} : { inputScale: file.scaler }),
    ...(file.targetScaler ? { outputScale: file.targetScaler } : {}),
    ...(file.classes ? { classNames: file.classes } : {}),
  };
}

export async function exportCommand(argv: string[]): Promise<number | 'help'> {
  const { values, positionals: given } = parseFlags('export', argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    opset: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) return 'help';
  const [modelPath] = positionals('export', given, ['model.json']);
  const format = values.format;
  if (format !== 'onnx' && format !== 'tfjs')
    throw new CliError(
      `--format must be onnx or tfjs; got ${format === undefined ? 'nothing' : JSON.stringify(format)} (backprop-wasm export --help)`,
    );
  if (typeof values.out !== 'string')
    throw new CliError('--out <path> is required: the .onnx file, or the folder for model.json and weights.bin');
  const opset = values.opset === undefined ? undefined : Number(values.opset);
  if (opset !== undefined && (format !== 'onnx' || !Number.isInteger(opset)))
    throw new CliError('--opset takes an integer, with --format onnx');
  // The output is checked before any work; the tfjs folder is replaced as a whole.
  const out =
    format === 'onnx'
      ? checkOutputFile(values.out, [modelPath!])
      : checkOutputFolder(values.out, [modelPath!], ['model.json', WEIGHTS_FILE]);
  const { net, cli } = await readNetwork(modelPath!);
  try {
    if (cli) checkFoldable(cli, format === 'tfjs' || net.dtype === 'float32', format);
    if (cli && isImage(net)) foldPixelScale(net, cli);
    const extra = selfContained(cli, isImage(net));
    if (format === 'onnx')
      await writeFileAtomic(out, toONNX(net, { ...extra, ...(opset === undefined ? {} : { opset }) }));
    else await writeFolderAtomic(out, (dir) => saveLayersModel(net, dir, extra));
  } catch (e) {
    if (e instanceof CliError) throw e;
    // A refused option (say --opset 9) is a usage error (exit 2); anything else, a failed run (exit 1).
    throw new CliError(
      `export failed: ${(e as Error).message}`,
      e instanceof ValidationError ? EXIT.usage : EXIT.failed,
    );
  } finally {
    net.dispose();
  }
  process.stdout.write(
    `wrote ${values.out} (${format}, ${isImage(net) ? `${net.inputShape.join('×')} images to ${net.sizes.at(-1)} outputs` : net.sizes.join('-')})\n`,
  );
  if (cli && isImage(net)) {
    const names = cli.features;
    process.stdout.write(
      `inputs, in order: ${names.length} pixel columns, ${names[0]} ... ${names.at(-1)}, each row one ${net.inputShape.join('×')} image flattened channels-last\n`,
    );
    process.stdout.write(
      `the file takes raw pixels: the CLI's pixel factor (1/${cli.scaler.std[0]}) is folded into the first layer's weights\n`,
    );
  } else if (cli) {
    const enc = encodingOf(cli),
      text = enc.filter((e) => e.categories);
    process.stdout.write(`inputs, in order: ${inputNames(enc).join(', ')}\n`);
    process.stdout.write(
      text.length
        ? `note: the file takes numeric columns raw (their scaling is folded in), but text columns one-hot encoded: one 0/1 input per category (${text.map((e) => `"${e.column}": ${e.categories!.join(', ')}`).join('; ')}), as listed above\n`
        : 'the file takes raw rows: the feature scaling is folded into the first layer\n',
    );
  }
  if (cli) {
    process.stdout.write(
      cli.classes
        ? `outputs: the probabilities of ${cli.classes.join(', ')} (class names in the file's metadata)\n`
        : `output: "${cli.target}" in its own units (the target's scaling is folded into the last layer)\n`,
    );
  }
  return EXIT.ok;
}
