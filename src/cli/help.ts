// Usage text, one block per command; the activation and optimizer choices come from their descriptors.
import { HIDDEN_ACTIVATIONS } from '../ops/activations.js';
import { OPTIMIZER_NAMES } from '../ops/optimizers.js';

export const USAGE: Record<string, string> = {
  main: `backprop-wasm: train and use neural networks on CSV files

Usage: backprop-wasm <command> [options]

Commands:
  train <data.csv> --target <column>   train a network, write a model file
  evaluate <model.json> <data.csv>     loss and accuracy, or MAE and RMSE, on labelled rows
  predict <model.json> <data.csv>      predictions as CSV on stdout
  export <model.json> --format onnx|tfjs --out <path>   the network as ONNX or a TensorFlow.js layers model
  bench                                the benchmark table (in a repository checkout)

Options: --help (also after a command), --version
Exit codes: 0 done, 1 the run failed, 2 bad flags, data, model file or output path,
130 interrupted (Ctrl-C), 141 the output was closed (| head), 143 SIGTERM, 129 SIGHUP.
Outputs are checked before any work, never replace an input, and are written atomically: a failed
or interrupted run leaves no temporary file and the old output as it was.`,

  train: `Usage: backprop-wasm train <data.csv> --target <column> [options]

The first row names the columns. The target column is what to learn; every other column is a
numeric feature, standardized with the training rows' mean and standard deviation (a column whose
standard deviation is at most 1e-12 of its largest magnitude is constant). A text target is learned
as classes (softmax, cross-entropy), a numeric one as a value (linear output, mse): a target that is
mostly numbers must be all finite numbers (NA, NaN or 1e309 in it is an error on its line).

Options:
  --target <column>         the column to predict (required)
  --layers <sizes>          hidden layer sizes, comma-separated (default 16; "" for none)
  --activation <name>       hidden activation: ${HIDDEN_ACTIVATIONS.join(', ')} (default relu)
  --epochs <n>              passes over the training rows (default 50)
  --batch-size <n>          rows per update (default 32)
  --learning-rate <x>       step size (default 0.001 for adam, 0.01 for sgd and momentum)
  --optimizer <name>        ${OPTIMIZER_NAMES.join(', ')} (default adam)
  --loss <name>             auto, mse (regression) or crossEntropy (classes, even numeric ones) (default auto)
  --validation-split <f>    hold out the last fraction of the rows, as Keras does (default 0.2; 0 for none)
  --seed <n>                initialization and shuffling (default 1)
  --backend <name>          wasm or js (default wasm)
  --dtype <name>            float32 or float64 (default float32)
  --out <file>              the model file to write (default model.json; not the data file), replaced only on success
  --json                    print the result as JSON on stdout (progress goes to stderr)
  --quiet                   no progress
  --help                    this text`,

  evaluate: `Usage: backprop-wasm evaluate <model.json> <data.csv> [--json]

Scores a model written by "backprop-wasm train" on rows that have the feature columns and the
target column: loss and accuracy for classes, MAE and RMSE (in the target's units) for values.

Options:
  --json                    print the result as JSON
  --help                    this text`,

  predict: `Usage: backprop-wasm predict <model.json> <data.csv> [--json]

Writes one line per row of data.csv to stdout: the predicted class and its probability, or the
predicted value. data.csv needs the model's feature columns (other columns are ignored).

Options:
  --json                    print an array of objects instead of CSV
  --help                    this text`,

  export: `Usage: backprop-wasm export <model.json> --format onnx|tfjs --out <path> [--opset N]

Writes the network of a model file (the CLI's, or a library toJSON() file) as an ONNX model (one
.onnx file, written atomically) or as a TensorFlow.js layers model (a folder with model.json and
weights.bin). A network the CLI trained takes standardized features: (x - mean) / std, with the
mean and std in the model file's scaler.

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
