// The training run shared by `backprop-wasm train` and `npm start`: fitAsync (so the progress bar
// redraws and Ctrl-C stops between epochs), per-epoch metrics, the progress display.
import type { EpochLogs, FitOptions, FloatArray, History, Network } from '../index.node.js';
import { CliError } from './errors.js';
import type { Progress } from './progress.js';
import { interruptedCode } from './signals.js';

export { withInterrupt } from './signals.js';

export interface TrainRun {
  net: Network;
  x: FloatArray;
  y: FloatArray;
  fit: FitOptions;
  progress: Progress;
  /** Extra metrics after an epoch (e.g. validation RMSE in the target's units), shown after the library's. */
  metrics?: (logs: EpochLogs) => Record<string, number>;
  /** Stops training between epochs (the run then throws an interrupted CliError). */
  signal?: AbortSignal;
}

export interface TrainResult {
  history: History;
  seconds: number;
  samplesPerSecond: number;
}

/** The library's logs worth showing, in display order (samples/s is shown apart). */
function shown(logs: EpochLogs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['accuracy', 'val_loss', 'val_accuracy'] as const)
    if (logs[key] !== undefined) out[key] = logs[key]!;
  return out;
}

export async function train({ net, x, y, fit, progress, metrics, signal }: TrainRun): Promise<TrainResult> {
  const rates: number[] = [];
  const started = performance.now();
  const classes = net.sizes[net.sizes.length - 1]! > 1;
  try {
    const history = await net.fitAsync(x, y, {
      ...fit,
      signal,
      onEpochEnd: (epoch, logs) => {
        rates.push(logs.samplesPerSecond);
        const all = { ...shown(logs), ...metrics?.(logs) };
        if (!classes) {
          delete all.accuracy;
          delete all.val_accuracy;
        } // threshold-0.5 agreement means nothing for a regression
        progress.epoch({ epoch: epoch + 1, loss: logs.loss, samplesPerSecond: logs.samplesPerSecond, metrics: all });
        return fit.onEpochEnd?.(epoch, logs);
      },
    });
    return {
      history,
      seconds: (performance.now() - started) / 1000,
      samplesPerSecond: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
    };
  } catch (e) {
    if ((e as Error).name === 'AbortError')
      throw new CliError('interrupted: training stopped, nothing written', interruptedCode(signal?.reason));
    throw e;
  } finally {
    progress.done();
  }
}
