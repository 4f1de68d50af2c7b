// Usage text, one block per command; the activation and optimizer choices and the --layers forms come from their descriptors.
import { HIDDEN_ACTIVATIONS } from '../internal.js';
import { OPTIMIZER_NAMES } from '../internal.js';
import { layersHelp, MAX_TOKENS } from './layer-spec.js';

export const USAGE: Record<string, string> = {
  main: `backprop-wasm: train and use neural networks on CSV files

Usage: backprop-wasm <command> [options]

Commands:
  train <data.csv> --target <column>   train a network, write a model file
  evaluate <model.json> <data.csv>     loss and accuracy, or MAE and RMSE, on labelled rows
  predict <model.json> <data.csv>      predictions as CSV on stdout (--proba, --id)
  export <model.json> --format onnx|tfjs --out <path>   the network as ONNX or a TensorFlow.js layers model
  bench                                the benchmark table (in a repository checkout)

Options: --help (also after a command), --version
Exit codes: 0 done, 1 the run failed, 2 bad flags, data, model file or output path,
130 interrupted (Ctrl-C), 141 the output was closed (| head), 143 SIGTERM, 129 SIGHUP.
Outputs are checked before any work, never replace an input, and are written atomically: a failed
or interrupted run leaves no temporary file and the old output as it was.`,

  train: `Usage: backprop-wasm train <data.csv> --target <column> [options]

The first row names the columns (delimiter , ; or tab, detected from it). The target column is what
to learn; the other columns (or --features) are features. A numeric feature is standardized with the
training rows' mean and standard deviation; a text feature is one-hot encoded (one 0/1 input per
category). The task comes from the target: text is classes; numbers are classes when all are integers
with 2 to max(20, sqrt(rows)) distinct values (and at most half as many as rows), otherwise a value.
The decision is printed; --task overrides it. 20% of the rows (a seeded, class-stratified shuffle)
validate; training stops when val_loss has not fallen for --patience epochs and keeps the best epoch.

Images: with --input-shape height,width,channels each row is one image, its feature columns the
pixels flattened channels-last (row by row, the channels of a pixel together), as many as
height×width×channels. Every pixel is divided by one factor, the largest magnitude among the
training rows' pixels (255 for 8-bit images), with no centring: per-column standardization would
give each position its own offset and scale, which a convolution's shared weights cannot follow.
Text columns are refused. --layers then lists image layers first, for example
  --input-shape 28,28,1 --layers conv32x3,pool2,conv64x3,pool2,dense128

Options:
  --target <column>         the column to predict (required)
  --task <name>             auto, classification or regression (default auto: from the target's values)
  --features <list>         the feature columns, comma-separated names or 1-based column numbers
                            (default: every column but the target)
  --ignore <list>           columns to leave out (an ID, a date...), names or 1-based numbers
  --delimiter <c>           , ; or tab (default: detected from the header line)
  --missing <how>           an empty field: error (default, naming the line), drop (the row) or mean
                            (a numeric column's training mean; a text column's inputs all 0)
  --input-shape <h,w,c>     each row is an image of this shape (h,w: one channel); see Images above
  --layers <list>           the hidden layers, comma-separated (default 16; "" for none; at most
                            ${MAX_TOKENS}; case does not matter):
${layersHelp('                              ')}
                            A plain number is a dense layer, so the older --layers 32,16 still works.
                            Image layers (conv, pool, avgpool, flatten) need --input-shape and come
                            first; a flatten is added before the first other layer (or before the
                            output) unless you write one. The output layer is always added: one
                            unit per class (softmax) or one value (linear), from the target.
  --activation <name>       hidden activation: ${HIDDEN_ACTIVATIONS.join(', ')} (default relu)
  --epochs <n>              at most this many passes over the training rows (default 500)
  --patience <n>            stop after n epochs without a lower val_loss, keeping the best epoch's
                            weights (default 20; 0: run every epoch and keep the last)
  --batch-size <n>          rows per update (default 32)
  --learning-rate <x>       step size (default 0.01)
  --optimizer <name>        ${OPTIMIZER_NAMES.join(', ')} (default adam)
  --validation-split <f>    the fraction of rows held out to validate (default 0.2; 0 for none)
  --split-order <how>       shuffle (default: seeded, stratified by class) or file (the last rows
                            validate, as Keras does)
  --loss <name>             the older spelling of --task: mse (regression), crossEntropy (classes)
  --seed <n>                initialization, split and shuffling (default 1)
  --backend <name>          wasm or js (default wasm)
  --dtype <name>            float32 or float64 (default float32)
  --out <file>              the model file to write (default model.json; not the data file), replaced only on success
  --json                    JSON Lines on stdout: {"event":"epoch",...} per epoch, then {"event":"summary",...}
                            (the text progress goes to stderr)
  --quiet                   no progress
  --help                    this text`,

  evaluate: `Usage: backprop-wasm evaluate <model.json> <data.csv> [--json]

Scores a model written by "backprop-wasm train" on rows that have the feature columns and the
target column (checked from the header before any row is read): loss, accuracy, precision, recall,
F1 and the confusion matrix (with class names) for classes; MAE and RMSE (in the target's units) for
values. Empty fields are treated as in training (--missing).

Options:
  --json                    print the result as JSON (classes and confusionMatrix for a classifier)
  --delimiter <c>           , ; or tab (default: detected from the header line)
  --help                    this text`,

  predict: `Usage: backprop-wasm predict <model.json> <data.csv> [--proba] [--id <column>] [--json]

Writes one line per row of data.csv to stdout: the predicted class and its probability, or the
predicted value. data.csv needs the model's feature columns (checked from the header; other columns
are ignored). A text feature's value must be one of its categories in training.

Options:
  --proba                   every class's probability, one column per class (probability_<class>)
  --id <column>             copy this column (e.g. an ID) to the output, first
  --json                    print an array of objects instead of CSV
  --delimiter <c>           , ; or tab (default: detected from the header line)
  --help                    this text`,

  export: `Usage: backprop-wasm export <model.json> --format onnx|tfjs --out <path> [--opset N]

Writes the network of a model file (the CLI's, or a library toJSON() file) as an ONNX model (one
.onnx file, written atomically) or as a TensorFlow.js layers model (a folder with model.json and
weights.bin). A CLI model is exported self-contained: the file takes raw numeric columns (the
scaling is folded into the first layer), predicts a value in the target's units, and stores the class
names in its metadata. Text columns are the exception: the file takes them one-hot encoded, one 0/1
input per category, in the order the export prints.

Options:
  --format onnx|tfjs        the format (required)
  --out <path>              the .onnx file, or the folder (required; new, empty or an earlier export:
                            it is replaced as a whole)
  --opset <N>               ONNX opset, 13 to 21 (default 17)
  --help                    this text`,

  bench: `Usage: backprop-wasm bench

Runs the benchmark table (npm run bench: every kernel and the training workloads on both backends,
about 150 s). The benchmarks live in the repository, not in the installed package.

Options:
  --help                    this text`,
};
